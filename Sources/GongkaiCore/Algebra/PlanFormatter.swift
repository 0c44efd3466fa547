/// Renders plans as indented operator trees, one operator per line, inputs indented below.
///
/// ```
/// take 10
///   sort -denial_rate
///     derive denial_rate = denied / received
///       aggregate by [county] {received = sum(new_received)}
///         scan applications [county, new_received]
/// ```
public enum PlanFormatter {
    /// The plan as an indented tree.
    public static func format(_ plan: LogicalPlan) -> String {
        var lines: [String] = []
        write(plan, depth: 0, into: &lines)
        return lines.joined(separator: "\n")
    }

    /// One line describing a single operator (without its inputs).
    public static func line(_ plan: LogicalPlan) -> String {
        func list(_ items: [NamedExpr]) -> String { "{" + items.map(\.description).joined(separator: ", ") + "}" }
        func names(_ n: [String]) -> String { "[" + n.map(Expr.quotedIdentifier).joined(separator: ", ") + "]" }
        switch plan {
        case .scan(let t, let s): return "scan \(t) \(names(s.names))"
        case .filter(_, let p): return "filter \(p)"
        case .derive(_, let i): return "derive \(list(i))"
        case .select(_, let i): return "select \(list(i))"
        case .aggregate(_, let k, let v): return "aggregate by \(names(k)) \(list(v))"
        case .sort(_, let k): return "sort " + k.map(\.description).joined(separator: ", ")
        case .take(_, let c, let o): return "take \(c)" + (o > 0 ? " offset:\(o)" : "")
        case .join(_, _, let kind, let on): return "join \(kind.rawValue) on (" + on.map(\.description).joined(separator: ", ") + ")"
        case .union: return "union"
        case .window(_, let p, let o, let f):
            return "window by:\(names(p)) sort:[" + o.map(\.description).joined(separator: ", ") + "] \(list(f))"
        case .pivot(_, let s):
            return "pivot by:\(names(s.keys)) \(Expr.quotedIdentifier(s.column)) (\(s.aggregate)) columns ["
                + s.values.map { $0.value.literalText + ($0.name == $0.value.description ? "" : " as \($0.name)") }.joined(separator: ", ") + "]"
        }
    }

    private static func write(_ plan: LogicalPlan, depth: Int, into lines: inout [String]) {
        lines.append(String(repeating: "  ", count: depth) + line(plan))
        for input in plan.inputs { write(input, depth: depth + 1, into: &lines) }
    }
}

/// The plan before and after optimization, as text (what the REPL's `explain` prints).
public func explain(_ plan: LogicalPlan, optimizer: Optimizer = .default) -> String {
    let optimized = optimizer.optimize(plan)
    var out = "logical plan:\n" + PlanFormatter.format(plan).indented
    out += "\n\noptimized plan (" + optimizer.rules.map(\.name).joined(separator: ", ") + "):\n" + PlanFormatter.format(optimized).indented
    if let s = try? optimized.schema() { out += "\n\noutput: \(s)" }
    return out
}

fileprivate extension String {
    var indented: String { split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") }
}
