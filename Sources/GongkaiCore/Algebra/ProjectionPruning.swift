/// Removes columns nobody downstream uses: scans read only the needed columns, and unused
/// `derive` items, `select` items, aggregate values and window functions are dropped.
///
/// The plan's own output is never narrowed; a scan or select keeps at least one column so
/// row counts survive (`aggregate {n = count()}`).
public struct ProjectionPruning: OptimizerRule {
    /// Creates the rule.
    public init() {}

    /// `projection_pruning`.
    public var name: String { "projection_pruning" }

    /// Prunes the whole plan, keeping every output column.
    public func apply(_ plan: LogicalPlan) -> LogicalPlan { prune(plan, nil) }

    private func union(_ a: Set<String>, _ exprs: [Expr]) -> Set<String> {
        exprs.reduce(a) { $0.union($1.columns) }
    }

    /// `required` nil means every output column is needed.
    private func prune(_ plan: LogicalPlan, _ required: Set<String>?) -> LogicalPlan {
        switch plan {
        case .scan(let table, let schema):
            guard let req = required else { return plan }
            var kept = schema.fields.filter { req.contains($0.name) }
            if kept.isEmpty, let first = schema.fields.first { kept = [first] }
            return .scan(table: table, schema: Schema(kept))
        case .filter(let c, let p):
            guard let req = required else { return .filter(prune(c, nil), predicate: p) }
            return .filter(prune(c, req.union(p.columns)), predicate: p)
        case .sort(let c, let keys):
            guard let req = required else { return .sort(prune(c, nil), keys) }
            return .sort(prune(c, req.union(keys.map(\.column))), keys)
        case .take(let c, let n, let o):
            return .take(prune(c, required), count: n, offset: o)
        case .derive(let c, let items):
            guard var needed = required ?? (try? plan.schema()).map({ Set($0.names) }) else { return plan }
            var kept: [NamedExpr] = []
            for item in items.reversed() where needed.contains(item.name) {
                kept.insert(item, at: 0)
                needed.remove(item.name)
                needed.formUnion(item.expr.columns)
            }
            if required == nil { kept = items }
            let child = prune(c, required == nil ? nil : needed)
            return kept.isEmpty ? child : .derive(child, kept)
        case .select(let c, let items):
            var kept = required.map { r in items.filter { r.contains($0.name) } } ?? items
            if kept.isEmpty, let first = items.first { kept = [first] }
            return .select(prune(c, union([], kept.map(\.expr))), kept)
        case .aggregate(let c, let keys, let values):
            var kept = required.map { r in values.filter { r.contains($0.name) } } ?? values
            if kept.isEmpty && keys.isEmpty, let first = values.first { kept = [first] }
            return .aggregate(prune(c, union(Set(keys), kept.map(\.expr))), keys: keys, values: kept)
        case .pivot(let c, let spec):
            return .pivot(prune(c, union(Set(spec.keys + [spec.column]), [spec.aggregate])), spec)
        case .window(let c, let part, let order, let fns):
            let kept = required.map { r in fns.filter { r.contains($0.name) } } ?? fns
            let names = Set(fns.map(\.name))
            let base: Set<String>
            if let r = required { base = r.subtracting(names) } else { base = Set(((try? c.schema())?.names) ?? []) }
            let need = union(base.union(part).union(order.map(\.column)), kept.map(\.expr))
            let child = prune(c, required == nil ? nil : need)
            return kept.isEmpty ? child : .window(child, partition: part, order: order, functions: kept)
        case .join(let l, let r, let kind, let on):
            guard let req = required, let ls = try? l.schema(), let rs = try? r.schema() else {
                return .join(prune(l, nil), prune(r, nil), kind: kind, on: on)
            }
            let lreq = req.intersection(ls.names).union(on.map(\.left))
            let rreq = req.intersection(rs.names).union(on.map(\.right))
            return .join(prune(l, lreq), prune(r, rreq), kind: kind, on: on)
        case .union(let l, let r):
            guard let req = required, let ls = try? l.schema() else { return .union(prune(l, nil), prune(r, nil)) }
            var target = ls.names.filter { req.contains($0) }
            if target.isEmpty, let first = ls.names.first { target = [first] }
            if target == ls.names { return .union(prune(l, nil), prune(r, nil)) }
            let t = Set(target)
            return .union(prune(l.select(columns: target), t), prune(r.select(columns: target), t))
        }
    }

}
