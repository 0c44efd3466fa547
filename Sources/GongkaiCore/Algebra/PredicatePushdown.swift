/// Moves `where` conditions as close to the scans as their columns allow, so fewer rows flow
/// through derive, sort, join, aggregate and window.
///
/// Each conjunct moves independently: below `derive` when it uses no derived column, below
/// `select` through renames of plain columns, below `sort` always, below `aggregate`/`pivot`
/// when it uses only group keys, below `window` when it uses only partition keys, into both
/// sides of `union`, into the left side of any join and the right side of an inner join.
/// Nothing moves below `take` (it would change which rows are taken).
public struct PredicatePushdown: OptimizerRule {
    /// Creates the rule.
    public init() {}

    /// `predicate_pushdown`.
    public var name: String { "predicate_pushdown" }

    /// Pushes every filter of the plan down.
    public func apply(_ plan: LogicalPlan) -> LogicalPlan { rewrite(plan) }

    private func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        if case .filter(let child, let p) = plan { return push(p.conjuncts, into: child) }
        return plan.replacingInputs(plan.inputs.map(rewrite))
    }

    private func wrap(_ preds: [Expr], _ plan: LogicalPlan) -> LogicalPlan {
        guard let p = Expr.conjunction(preds) else { return plan }
        return .filter(plan, predicate: p)
    }

    /// Splits predicates into those whose columns all satisfy `ok` and the rest.
    private func partition(_ preds: [Expr], _ ok: (String) -> Bool) -> (movable: [Expr], stay: [Expr]) {
        var m: [Expr] = [], s: [Expr] = []
        for p in preds { if p.columns.allSatisfy(ok) { m.append(p) } else { s.append(p) } }
        return (m, s)
    }

    private func push(_ preds: [Expr], into child: LogicalPlan) -> LogicalPlan {
        switch child {
        case .filter(let c, let p):
            return push(preds + p.conjuncts, into: c)
        case .sort(let c, let keys):
            return .sort(push(preds, into: c), keys)
        case .derive(let c, let items):
            let derived = Set(items.map(\.name))
            let (m, s) = partition(preds) { !derived.contains($0) }
            return wrap(s, .derive(push(m, into: c), items))
        case .select(let c, let items):
            var rename: [String: String] = [:]
            for i in items { if case .column(let src) = i.expr { rename[i.name] = src } }
            let (m, s) = partition(preds) { rename[$0] != nil }
            return wrap(s, .select(push(m.map { $0.renamingColumns(rename) }, into: c), items))
        case .aggregate(let c, let keys, let values):
            let (m, s) = partition(preds) { keys.contains($0) }
            return wrap(s, .aggregate(push(m, into: c), keys: keys, values: values))
        case .pivot(let c, let spec):
            let (m, s) = partition(preds) { spec.keys.contains($0) }
            return wrap(s, .pivot(push(m, into: c), spec))
        case .window(let c, let part, let order, let fns):
            let (m, s) = partition(preds) { part.contains($0) }
            return wrap(s, .window(push(m, into: c), partition: part, order: order, functions: fns))
        case .union(let l, let r):
            return .union(push(preds, into: l), push(preds, into: r))
        case .join(let l, let r, let kind, let on):
            guard let ls = try? l.schema() else { return wrap(preds, rewrite(child)) }
            let leftNames = Set(ls.names)
            let (toLeft, rest) = partition(preds) { leftNames.contains($0) }
            var toRight: [Expr] = [], stay: [Expr] = rest
            if kind == .inner, let rs = try? r.schema() {
                let dropped = Set(on.map(\.right))
                let rightNames = Set(rs.names).subtracting(dropped)
                (toRight, stay) = partition(rest) { rightNames.contains($0) }
            }
            return wrap(stay, .join(push(toLeft, into: l), push(toRight, into: r), kind: kind, on: on))
        case .scan, .take:
            return wrap(preds, rewrite(child))
        }
    }
}
