/// A result ready to show: column names and cells, independent of where it came from (a
/// query, a plugin command, a report summary). Every writer — terminal box table, CSV, JSON,
/// Markdown, line mode, HTML — takes one of these.
public struct DisplayTable: Sendable {
    /// One cell.
    public enum Cell: Sendable, Hashable {
        /// SQL null: shown differently from 0.
        case null
        /// An integer.
        case integer(Int64)
        /// An exact decimal, as its plain text (`7539.443252`).
        case decimal(String)
        /// Text (from reports: may contain anything, escape on output).
        case text(String)
        /// A boolean.
        case bool(Bool)

        /// Whether the cell is numeric (right-aligned).
        public var isNumeric: Bool {
            switch self {
            case .integer, .decimal: return true
            default: return false
            }
        }

        /// The value as a double, for charts.
        public var doubleValue: Double? {
            switch self {
            case .integer(let i): return Double(i)
            case .decimal(let s): return Double(s)
            case .bool(let b): return b ? 1 : 0
            default: return nil
            }
        }

        /// Plain text (CSV, JSON strings): no separators; null is empty.
        public var plain: String {
            switch self {
            case .null: return ""
            case .integer(let i): return String(i)
            case .decimal(let s): return s
            case .text(let t): return t
            case .bool(let b): return b ? "true" : "false"
            }
        }

        /// Text for people: thousands separators in integers, `null` for null.
        public var display: String {
            switch self {
            case .null: return "null"
            case .integer(let i): return Self.grouped(String(i))
            case .decimal(let s):
                let parts = s.split(separator: ".", maxSplits: 1)
                return Self.grouped(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
            case .text(let t): return t
            case .bool(let b): return b ? "true" : "false"
            }
        }

        /// `1234567` → `1,234,567` (sign kept).
        static func grouped(_ digits: String) -> String {
            var d = Substring(digits)
            var sign = ""
            if d.first == "-" { sign = "-"; d = d.dropFirst() }
            guard d.count > 3 else { return sign + d }
            var out = ""
            for (i, c) in d.enumerated() {
                if i > 0 && (d.count - i) % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return sign + out
        }
    }

    /// Column names.
    public var columns: [String]
    /// Rows of cells (each as many as columns).
    public var rows: [[Cell]]
    /// Rows in the full result, when `rows` is a prefix of it.
    public var totalRows: Int

    /// Creates a table.
    public init(columns: [String], rows: [[Cell]], totalRows: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.totalRows = totalRows ?? rows.count
    }

    /// Whether a column holds identifiers or years, shown without thousands separators.
    public static func isPlainNumberColumn(_ name: String) -> Bool {
        name == "year" || name.hasSuffix("_year") || name.hasPrefix("year_") || name == "id" || name.hasSuffix("_id") || name == "line" || name == "code"
    }

    /// A cell as people read it in column `j` (years and ids without separators).
    public func display(_ row: Int, _ j: Int) -> String {
        let c = rows[row][j]
        return Self.isPlainNumberColumn(columns[j]) ? (c == .null ? "null" : c.plain) : c.display
    }

    /// Whether a column is numeric (all its non-null cells are numbers).
    public func isNumericColumn(_ j: Int) -> Bool {
        var any = false
        for r in rows where r[j] != .null {
            if !r[j].isNumeric { return false }
            any = true
        }
        return any
    }
}
