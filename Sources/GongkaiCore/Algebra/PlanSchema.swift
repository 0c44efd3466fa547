/// Schema derivation and validation for ``LogicalPlan``: one walk that type-checks every node.
extension LogicalPlan {
    /// The output columns, or the first ``QueryError`` found in the plan.
    public func schema() throws -> Schema {
        switch self {
        case .scan(let table, let schema):
            guard !schema.fields.isEmpty else { throw QueryError(.invalidPlan, "scan of \(table) reads no column") }
            try PlanChecks.unique(schema.names, "table \(table)")
            return schema
        case .filter(let child, let predicate):
            let s = try child.schema()
            let t = try ExprTyping.infer(predicate, s, .row, insideAggregate: false)
            if let t, t != .bool { throw QueryError(.type, "where needs a bool condition, but \(predicate) is \(t)") }
            return s
        case .derive(let child, let items):
            var s = try child.schema()
            for item in items {
                let t = try ExprTyping.type(of: item.expr, in: s, context: .row)
                if let i = s.index(of: item.name) { s.fields[i] = Field(item.name, t) } else { s.fields.append(Field(item.name, t)) }
            }
            return s
        case .select(let child, let items):
            let s = try child.schema()
            guard !items.isEmpty else { throw QueryError(.invalidPlan, "select needs at least one column") }
            try PlanChecks.unique(items.map(\.name), "select")
            return Schema(try items.map { item in
                let t = try ExprTyping.type(of: item.expr, in: s, context: .row)
                if case .column(let c) = item.expr, let f = s.field(named: c) { return Field(item.name, t, description: f.description) }
                return Field(item.name, t)
            })
        case .aggregate(let child, let keys, let values):
            let s = try child.schema()
            let keyFields = try PlanChecks.fields(keys, in: s, "group key")
            guard !keys.isEmpty || !values.isEmpty else { throw QueryError(.invalidPlan, "aggregate needs at least one group key or value") }
            try PlanChecks.unique(keys + values.map(\.name), "aggregate")
            let valueFields = try values.map { Field($0.name, try ExprTyping.type(of: $0.expr, in: s, context: .aggregate(groupKeys: keys))) }
            return Schema(keyFields + valueFields)
        case .sort(let child, let keys):
            let s = try child.schema()
            _ = try PlanChecks.fields(keys.map(\.column), in: s, "sort key")
            return s
        case .take(let child, let count, let offset):
            guard count >= 0, offset >= 0 else { throw QueryError(.invalidPlan, "take needs non-negative numbers, got \(count) offset \(offset)") }
            return try child.schema()
        case .join(let left, let right, _, let on):
            let ls = try left.schema(), rs = try right.schema()
            guard !on.isEmpty else { throw QueryError(.invalidPlan, "join needs at least one key") }
            for k in on {
                let lf = try PlanChecks.fields([k.left], in: ls, "left join key")[0]
                let rf = try PlanChecks.fields([k.right], in: rs, "right join key")[0]
                guard lf.type == rf.type else {
                    throw QueryError(.type, "join key \(k) compares \(lf.type) with \(rf.type)")
                }
            }
            let dropped = Set(on.map(\.right))
            let out = ls.fields + rs.fields.filter { !dropped.contains($0.name) }
            let dup = PlanChecks.duplicates(out.map(\.name))
            if let d = dup.first {
                throw QueryError(.invalidPlan, "column \"\(d)\" exists on both sides of the join",
                                 help: "rename it on one side with select or derive before joining")
            }
            return Schema(out)
        case .union(let left, let right):
            let ls = try left.schema(), rs = try right.schema()
            guard ls.names == rs.names, ls.fields.map(\.type) == rs.fields.map(\.type) else {
                throw QueryError(.type, "union needs the same columns on both sides: \(ls) vs \(rs)")
            }
            return ls
        case .window(let child, let partition, let order, let functions):
            var s = try child.schema()
            _ = try PlanChecks.fields(partition, in: s, "partition key")
            _ = try PlanChecks.fields(order.map(\.column), in: s, "window sort key")
            try PlanChecks.unique(s.names + functions.map(\.name), "window")
            let base = s
            for f in functions {
                guard case .window = f.expr else {
                    throw QueryError(.invalidPlan, "window items must be window function calls such as lag(x) or row_number(), got \(f.expr)")
                }
                s.fields.append(Field(f.name, try ExprTyping.type(of: f.expr, in: base, context: .window)))
            }
            return s
        case .pivot(let child, let spec):
            let s = try child.schema()
            let keyFields = try PlanChecks.fields(spec.keys, in: s, "pivot key")
            let column = try PlanChecks.fields([spec.column], in: s, "pivot column")[0]
            guard case .aggregate = spec.aggregate else {
                throw QueryError(.invalidPlan, "pivot needs one aggregate call such as sum(x), got \(spec.aggregate)")
            }
            let t = try ExprTyping.type(of: spec.aggregate, in: s, context: .aggregate(groupKeys: spec.keys))
            for v in spec.values {
                if let vt = v.value.type, ExprTyping.common(vt, column.type) == nil {
                    throw QueryError(.type, "pivot value \(v.value.literalText) is \(vt) but column \"\(spec.column)\" is \(column.type)")
                }
            }
            try PlanChecks.unique(spec.keys + spec.values.map(\.name), "pivot")
            return Schema(keyFields + spec.values.map { Field($0.name, t) })
        }
    }
}

/// Small shared checks for schema derivation.
enum PlanChecks {
    static func duplicates(_ names: [String]) -> [String] {
        var seen = Set<String>(), dup: [String] = []
        for n in names where !seen.insert(n).inserted { dup.append(n) }
        return dup
    }

    static func unique(_ names: [String], _ context: String) throws {
        if let d = duplicates(names).first { throw QueryError(.invalidPlan, "duplicate column \"\(d)\" in \(context)") }
    }

    static func fields(_ names: [String], in s: Schema, _ role: String) throws -> [Field] {
        try names.map { n in
            guard let f = s.field(named: n) else {
                throw QueryError(.unknownColumn, "unknown \(role) \"\(n)\"", help: EditDistance.suggestion(for: n, among: s.names))
            }
            return f
        }
    }
}

/// Rewrites shared by the executor and the SQL compiler so that both run the same algebra.
public enum PlanLowering {
    /// A pivot as the conditional aggregation it means: `v = agg(if(column == v, arg, null))`.
    public static func pivotAsAggregate(_ child: LogicalPlan, _ spec: PivotSpec) -> LogicalPlan {
        let values: [NamedExpr] = spec.values.map { v in
            let cond = Expr.binary(.equal, .column(spec.column), .literal(v.value))
            guard case .aggregate(let f, let args) = spec.aggregate else { return NamedExpr(v.name, spec.aggregate) }
            if args.isEmpty { // count() counts the matching rows
                return NamedExpr(v.name, .aggregate(f, [.call(.if, [cond, .integer(1), .null])]))
            }
            var newArgs = args
            newArgs[0] = .call(.if, [cond, args[0], .null])
            return NamedExpr(v.name, .aggregate(f, newArgs))
        }
        return .aggregate(child, keys: spec.keys, values: values)
    }

    /// Splits aggregate expressions into distinct bare aggregate calls (named `__agg0`, …) and
    /// final expressions over the keys and those calls: `rate = sum(a) / sum(b)` becomes
    /// calls `[__agg0 = sum(a), __agg1 = sum(b)]` and final `rate = __agg0 / __agg1`.
    public static func splitAggregates(_ values: [NamedExpr]) -> (calls: [NamedExpr], finals: [NamedExpr]) {
        var calls: [NamedExpr] = []
        var index: [Expr: String] = [:]
        let finals = values.map { item in
            NamedExpr(item.name, item.expr.transformedTopDown { e in
                guard case .aggregate = e else { return nil }
                if let n = index[e] { return .column(n) }
                let n = "__agg\(calls.count)"
                index[e] = n
                calls.append(NamedExpr(n, e))
                return .column(n)
            })
        }
        return (calls, finals)
    }
}

extension Expr {
    /// Rewrites top-down: where `replace` returns an expression it is used and not descended into.
    func transformedTopDown(_ replace: (Expr) -> Expr?) -> Expr {
        if let r = replace(self) { return r }
        let kids = children
        return kids.isEmpty ? self : replacingChildren(kids.map { $0.transformedTopDown(replace) })
    }
}
