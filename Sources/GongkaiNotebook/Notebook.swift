import Foundation
import GongkaiCore
import Yams

/// A saved analysis: Markdown with YAML front matter and fenced ```` ```gongkai ```` cells.
///
/// ```markdown
/// ---
/// title: 申请办理结果
/// params:
///   year: 2021
///   province: 宁夏回族自治区
/// ---
/// Prose between cells is the report's text.
///
/// ```gongkai
/// #| caption: Denial rate by county
/// #| chart: bar
/// #| x: county
/// #| y: denial_rate
/// from applications | where year == $year and applicant == "total" | …
/// ```
/// ```
///
/// No outputs are stored in the source, so notebooks diff cleanly.
public struct Notebook: Sendable {
    /// A parameter with its typed default.
    public struct Parameter: Sendable, Equatable {
        /// Name, referenced as `$name` in cells.
        public var name: String
        /// The default value (its type is the parameter's type).
        public var value: ParameterValue
    }

    /// A typed parameter value.
    public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
        case integer(Int)
        case decimal(String)
        case text(String)
        case bool(Bool)

        /// The type's name for messages.
        public var typeName: String {
            switch self {
            case .integer: return "integer"
            case .decimal: return "decimal"
            case .text: return "text"
            case .bool: return "bool"
            }
        }

        /// The value as a pipeline-language literal (text quoted and escaped).
        public var literal: String {
            switch self {
            case .integer(let i): return String(i)
            case .decimal(let d): return d
            case .bool(let b): return b ? "true" : "false"
            case .text(let t): return Value.text(t).literalText
            }
        }

        /// Plain text of the value.
        public var description: String {
            switch self {
            case .integer(let i): return String(i)
            case .decimal(let d): return d
            case .bool(let b): return b ? "true" : "false"
            case .text(let t): return t
            }
        }

        /// Parses `text` as a value of the same type as `self` (for `-p name=value`).
        public func parsing(_ text: String) -> ParameterValue? {
            switch self {
            case .integer: return Int(text).map { .integer($0) }
            case .decimal: return Double(text) != nil ? .decimal(text) : nil
            case .bool: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
            case .text: return .text(text)
            }
        }
    }

    /// A piece of the notebook in order: prose or a cell.
    public enum Part: Sendable, Equatable {
        /// Markdown prose.
        case prose(String)
        /// A code cell.
        case cell(Cell)
    }

    /// A code cell: its source (a pipeline or dot command(s)), options and place in the file.
    public struct Cell: Sendable, Equatable {
        /// 1-based number of the cell among the notebook's cells.
        public var number: Int
        /// The code, without `#|` option lines.
        public var source: String
        /// Options from `#| key: value` lines.
        public var options: [String: String]
        /// The line of the opening fence.
        public var line: Int

        /// The first line of code, for messages.
        public var firstLine: String { source.split(separator: "\n").first.map(String.init) ?? "" }
        /// Whether to show the code in the output (`#| echo: false` hides it).
        public var echo: Bool { options["echo"] != "false" }
        /// Whether a failure renders in place instead of stopping the run.
        public var continueOnError: Bool { options["continue-on-error"] == "true" || options["error"] == "continue" }
    }

    /// Title from the front matter.
    public var title: String
    /// Parameters in declaration order.
    public var parameters: [Parameter]
    /// Workspace path from the front matter, if any.
    public var workspace: String?
    /// Prose and cells in order.
    public var parts: [Part]

    /// The cells.
    public var cells: [Cell] {
        parts.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }
}

/// Why a notebook cannot be read or run; the message names what and where.
public struct NotebookError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
