/// One problem found in query source: a message, the span it is about and an optional help
/// line such as `did you mean "received"?`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Where (UTF-8 offsets into the source).
    public var span: QuerySpan
    /// A suggestion, when there is one.
    public var help: String?

    /// Creates a diagnostic.
    public init(_ message: String, span: QuerySpan, help: String? = nil) {
        self.message = message
        self.span = span
        self.help = help
    }

    /// `message (help)`.
    public var description: String { message + (help.map { " — \($0)" } ?? "") }
}

/// A 1-based line and column (columns count characters, not bytes).
public struct QueryLocation: Hashable, Sendable, CustomStringConvertible {
    /// Line number, from 1.
    public var line: Int
    /// Column number in characters, from 1.
    public var column: Int

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// Every diagnostic of one compilation together with the source, renderable like a compiler:
///
/// ```
/// error: unknown column "recieved"
///  --> 4:31
///   |
/// 4 | | derive denial_rate = denied / recieved
///   |                               ^^^^^^^^
///   = help: did you mean "received"?
/// ```
public struct Diagnostics: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in source order.
    public var items: [Diagnostic]
    /// The text they refer to.
    public var source: String

    /// Creates a diagnostics list (sorted by position, exact duplicates removed).
    public init(_ items: [Diagnostic], source: String) {
        var seen = Set<Diagnostic>()
        self.items = items.filter { seen.insert($0).inserted }.enumerated()
            .sorted { ($0.element.span.start, $0.offset) < ($1.element.span.start, $1.offset) }.map(\.element)
        self.source = source
    }

    /// The line and column where a span starts.
    public func location(of span: QuerySpan) -> QueryLocation {
        SourceText(source).location(span.start)
    }

    /// The most diagnostics ``rendered`` shows; a line says how many more there are.
    public static let maxRendered = 10

    /// The diagnostics rendered with source lines and carets: the first ``maxRendered``, then
    /// `… and N more errors` (text typed wrong everywhere would otherwise flood the screen).
    public var rendered: String {
        let text = SourceText(source)
        var out = items.prefix(Self.maxRendered).map { render($0, in: text) }
        let more = items.count - Self.maxRendered
        if more > 0 { out.append("… and \(more) more error\(more == 1 ? "" : "s")") }
        return out.joined(separator: "\n")
    }

    /// The rendering.
    public var description: String { rendered }

    /// One diagnostic rendered with its source line and a caret under the span.
    public func render(_ d: Diagnostic) -> String {
        render(d, in: SourceText(source))
    }

    func render(_ d: Diagnostic, in text: SourceText) -> String {
        let loc = text.location(d.span.start)
        let line = text.line(loc.line)
        let gutter = String(loc.line)
        let pad = String(repeating: " ", count: gutter.count)
        let lineStart = text.lineStart(loc.line)
        let lineBytes = Array(line.utf8)
        let from = max(0, min(lineBytes.count, d.span.start - lineStart))
        let to = max(from, min(lineBytes.count, d.span.end - lineStart))
        let before = String(decoding: lineBytes[0..<from], as: UTF8.self)
        let under = String(decoding: lineBytes[from..<to], as: UTF8.self)
        let caretCount = max(1, SourceText.width(under))
        var out = "error: \(d.message)\n\(pad)--> \(loc)\n\(pad) |\n\(gutter) | \(line.replacingTabs)\n"
        out += "\(pad) | " + String(repeating: " ", count: SourceText.width(before)) + String(repeating: "^", count: caretCount)
        if let help = d.help { out += "\n\(pad) = help: \(help)" }
        return out
    }
}

/// Line arithmetic over source text for diagnostics.
struct SourceText {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ s: String) {
        bytes = Array(s.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    func location(_ offset: Int) -> QueryLocation {
        let o = max(0, min(offset, bytes.count))
        let line = (lineStarts.lastIndex { $0 <= o } ?? 0)
        let col = String(decoding: bytes[lineStarts[line]..<o], as: UTF8.self).count + 1
        return QueryLocation(line: line + 1, column: col)
    }

    func lineStart(_ line: Int) -> Int { lineStarts[max(0, min(line - 1, lineStarts.count - 1))] }

    func line(_ line: Int) -> String {
        let s = lineStart(line)
        var e = s
        while e < bytes.count && bytes[e] != UInt8(ascii: "\n") && bytes[e] != UInt8(ascii: "\r") { e += 1 }
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    /// Terminal columns: East Asian wide and fullwidth characters take two.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { acc, u in
            let v = u.value
            if v == 9 { return acc + 4 }
            if v < 0x300 { return acc + 1 }  // ASCII and Latin: one column, no combining marks
            if u.properties.generalCategory == .nonspacingMark || u.properties.generalCategory == .enclosingMark { return acc }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x20000...0x3FFFD).contains(v)
            return acc + (wide ? 2 : 1)
        }
    }
}

fileprivate extension String {
    var replacingTabs: String { split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ") }
}
