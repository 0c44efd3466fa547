/// What completion can offer, supplied by the session.
public protocol CompletionSource {
    /// Queryable tables (built-in and plugin ones).
    var tableNames: [String] { get }
    /// Columns of a table.
    func columns(of table: String) -> [String]
    /// Function and aggregate names.
    var functionNames: [String] { get }
    /// Metric names.
    var metricNames: [String] { get }
    /// Dot commands (without the dot).
    var commandNames: [String] { get }
}

/// Completion by context: dot commands at the start of a line, table names after `from` and
/// `join`, and otherwise the columns of the tables in scope, functions and metrics.
public enum Completion {
    /// Pipeline keywords offered after `|`.
    public static let keywords = ["from", "where", "derive", "select", "group", "aggregate", "sort", "take", "join", "union", "window", "pivot", "let"]

    /// Candidates for `word` given the statement text before it (`before` may span lines).
    public static func candidates(before: String, word: String, source: CompletionSource) -> [String] {
        let trimmed = before.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty && word.hasPrefix(".") {
            return source.commandNames.map { "." + $0 }.filter { $0.hasPrefix(word) }.sorted()
        }
        if trimmed.hasPrefix(".") {
            // Arguments of dot commands: table names for .schema, modes for .mode.
            let name = trimmed.dropFirst().split(separator: " ").first.map(String.init) ?? ""
            switch name {
            case "schema": return source.tableNames.filter { $0.hasPrefix(word) }.sorted()
            case "mode": return ["table", "csv", "json", "markdown", "line"].filter { $0.hasPrefix(word) }
            case "timer": return ["on", "off"].filter { $0.hasPrefix(word) }
            case "chart": return ["bar", "spark"].filter { $0.hasPrefix(word) }
            case "help": return (source.commandNames + ["language", "functions"]).filter { $0.hasPrefix(word) }.sorted()
            default: return []
            }
        }
        let tokens = before.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" || $0 == "," || $0 == "{" })
        let last = tokens.last.map(String.init) ?? ""
        if last == "from" || last == "join" || last.hasSuffix(":left") || last.hasSuffix(":inner") {
            return source.tableNames.filter { $0.hasPrefix(word) }.sorted()
        }
        if last == "|" || trimmed.isEmpty {
            return keywords.filter { $0.hasPrefix(word) }
        }
        // Tables in scope: every name after from/join in the statement.
        var inScope: [String] = []
        for (i, t) in tokens.enumerated() where (t == "from" || t == "join") && i + 1 < tokens.count {
            inScope.append(String(tokens[i + 1]))
        }
        var out = Set<String>()
        for t in inScope { for c in source.columns(of: t) where c.hasPrefix(word) { out.insert(c) } }
        for f in source.functionNames where f.hasPrefix(word) { out.insert(f) }
        for m in source.metricNames where m.hasPrefix(word) { out.insert(m) }
        return out.sorted()
    }
}
