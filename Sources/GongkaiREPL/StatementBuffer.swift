/// Collects input lines into statements: a statement ends with `;` or an empty line; a dot
/// command is one line. Multi-line statements keep their line breaks (history recalls them
/// whole).
public struct StatementBuffer: Sendable {
    private var lines: [String] = []

    /// Creates an empty buffer.
    public init() {}

    /// Whether a statement is in progress (the prompt shows a continuation mark).
    public var isEmpty: Bool { lines.isEmpty }

    /// What a line completes.
    public enum Outcome: Equatable, Sendable {
        /// The statement goes on.
        case more
        /// A complete pipeline (without the final `;`).
        case statement(String)
        /// A dot command line.
        case command(String)
        /// Nothing (an empty line with nothing pending).
        case nothing
    }

    /// Adds a line.
    public mutating func add(_ line: String) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if lines.isEmpty {
            if trimmed.isEmpty { return .nothing }
            if trimmed.hasPrefix(".") { return .command(trimmed) }
        }
        if trimmed.isEmpty { return finish() }
        lines.append(line)
        if Self.endsStatement(trimmed) { return finish() }
        return .more
    }

    /// Ends the statement at end of input.
    public mutating func flush() -> Outcome { lines.isEmpty ? .nothing : finish() }

    /// Drops the statement in progress (Ctrl-C).
    public mutating func reset() { lines = [] }

    private mutating func finish() -> Outcome {
        var text = lines.joined(separator: "\n")
        lines = []
        while let last = text.last, last == ";" || last == " " || last == "\n" { text.removeLast() }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .nothing : .statement(text)
    }

    /// A `;` outside a string literal and comment at the end of the line.
    static func endsStatement(_ line: String) -> Bool {
        var inString = false
        var last: Character = " "
        for c in line {
            if c == "\"" { inString.toggle() }
            if !inString && c == "#" { break }
            if !inString && !c.isWhitespace { last = c }
        }
        return last == ";"
    }
}

/// A dot command split into its name and arguments (`.chart bar province rate` →
/// `chart`, `["bar", "province", "rate"]`). Arguments may be quoted.
public struct DotCommand: Equatable, Sendable {
    /// The name without the dot.
    public var name: String
    /// The arguments.
    public var args: [String]

    /// Parses a line starting with `.`.
    public init?(_ line: String) {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix(".") else { return nil }
        var words: [String] = []
        var cur = ""
        var quote: Character?
        var started = false
        for c in t.dropFirst() {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c; started = true
            } else if c == " " || c == "\t" {
                if started || !cur.isEmpty { words.append(cur); cur = ""; started = false }
            } else {
                cur.append(c)
            }
        }
        if started || !cur.isEmpty { words.append(cur) }
        guard let first = words.first, !first.isEmpty else { return nil }
        name = first
        args = Array(words.dropFirst())
    }
}
