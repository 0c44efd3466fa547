/// Evaluates sub-expressions made only of literals (`2019 + 1` → `2020`), simplifies boolean
/// identities (`x and true` → `x`, `false and x` → `false`, `if(true, a, b)` → `a`) and removes
/// `where true`. A fold that would throw (overflow) or change an expression's type is skipped.
public struct ConstantFolding: OptimizerRule {
    /// Creates the rule.
    public init() {}

    /// `constant_folding`.
    public var name: String { "constant_folding" }

    /// Folds every expression of every node.
    public func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformed { node in
            guard let input = node.inputs.first, let schema = try? input.schema() else { return node }
            switch node {
            case .filter(let child, let p):
                let f = ConstantFolding.fold(p, schema)
                if f == .bool(true) { return child }
                return .filter(child, predicate: f)
            case .derive(let child, let items):
                var s = schema
                var out: [NamedExpr] = []
                for item in items {
                    let f = NamedExpr(item.name, ConstantFolding.fold(item.expr, s))
                    out.append(f)
                    let t = (try? ExprTyping.type(of: f.expr, in: s)) ?? .integer
                    if let i = s.index(of: item.name) { s.fields[i] = Field(item.name, t) } else { s.fields.append(Field(item.name, t)) }
                }
                return .derive(child, out)
            case .aggregate, .window, .pivot:
                return node // arguments of aggregates and windows are left as written
            default:
                return node.mappingExpressions { ConstantFolding.fold($0, schema) }
            }
        }
    }

    /// The folded expression, or the original when folding would change its type (a fold
    /// to a bare `null` loses the type, so it is never applied).
    public static func fold(_ e: Expr, _ schema: Schema) -> Expr {
        guard let before = try? ExprTyping.infer(e, schema, .row, insideAggregate: false) else { return e }
        let folded = e.transformed { simplify($0, schema) }
        guard let after = try? ExprTyping.infer(folded, schema, .row, insideAggregate: false), after == before else { return e }
        return folded
    }

    private static func isLiteral(_ e: Expr) -> Bool { if case .literal = e { true } else { false } }

    static func simplify(_ e: Expr, _ schema: Schema) -> Expr {
        switch e {
        case .column, .literal, .aggregate, .window:
            return e
        case .binary(.and, let a, let b):
            if a == .bool(true) { return b }
            if b == .bool(true) { return a }
            if a == .bool(false) || b == .bool(false) { return .bool(false) }
        case .binary(.or, let a, let b):
            if a == .bool(false) { return b }
            if b == .bool(false) { return a }
            if a == .bool(true) || b == .bool(true) { return .bool(true) }
        case .call(.if, let args) where args.count == 3:
            if args[0] == .bool(true) { return args[1] }
            if args[0] == .bool(false) || args[0] == .null { return args[2] }
        default:
            break
        }
        guard e.children.allSatisfy(isLiteral) else { return e }
        guard let t = try? ExprTyping.infer(e, Schema([]), .row, insideAggregate: false),
              let v = try? ScalarOps.evaluate(e, { _ in nil }) else { return e }
        return .literal(ScalarOps.coerce(v, to: t))
    }
}
