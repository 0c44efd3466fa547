/// Resolves a parsed program against a catalog into a ``LogicalPlan``, collecting every
/// diagnostic instead of stopping at the first.
///
/// When a step fails, its columns are unknown, so later "unknown column" errors are
/// suppressed for the rest of that pipeline (they would only repeat the first error).
struct Binder {
    let catalog: any Catalog
    var diagnostics: [Diagnostic] = []
    /// Plans of `let` bindings by name (nil when the binding failed).
    var lets: [String: LogicalPlan?] = [:]
    /// Metric definitions by name.
    let metrics: [String: MetricDefinition]

    init(catalog: any Catalog) {
        self.catalog = catalog
        var m: [String: MetricDefinition] = [:]
        for d in catalog.metrics { m[d.name] = d }
        metrics = m
    }

    mutating func report(_ message: String, _ span: QuerySpan, help: String? = nil) {
        diagnostics.append(Diagnostic(message, span: span, help: help))
    }

    /// Binds the program; nil if there is no final pipeline or any binding failed.
    mutating func bind(_ program: ProgramSyntax, whole: QuerySpan) -> LogicalPlan? {
        for l in program.lets {
            if lets[l.name.text] != nil { report("let \"\(l.name.text)\" is defined twice", l.name.span) }
            lets[l.name.text] = .some(pipeline(l.pipeline))
        }
        guard let main = program.main else {
            report("the program has no pipeline to run", whole, help: "end with a pipeline such as `from applications | take 10`")
            return nil
        }
        return pipeline(main)
    }

    /// The current input of a pipeline while its steps are bound.
    struct Scope {
        var plan: LogicalPlan?
        var schema: Schema
        /// Set once a step that may add columns failed: later unknown names are not reported.
        var incomplete: Bool
        /// Columns whose definition failed: references to them are not reported again.
        var poisoned: Set<String> = []
    }

    mutating func pipeline(_ p: PipelineSyntax) -> LogicalPlan? {
        var scope = relation(p.source)
        if p.hadErrors { scope.incomplete = true }
        var failed = false
        for s in p.steps {
            let before = diagnostics.count
            scope = step(s, scope)
            if diagnostics.count > before || scope.plan == nil { failed = true; scope.plan = nil }
        }
        return failed || scope.incomplete || p.hadErrors ? nil : scope.plan
    }

    mutating func relation(_ r: RelationSyntax) -> Scope {
        switch r {
        case .pipeline(let p):
            let plan = pipeline(p)
            return Scope(plan: plan, schema: (try? plan?.schema()) ?? Schema([]), incomplete: plan == nil)
        case .name(let n):
            if let bound = lets[n.text] {
                return Scope(plan: bound, schema: (try? bound?.schema()) ?? Schema([]), incomplete: bound == nil)
            }
            if let s = catalog.schema(of: n.text) {
                return Scope(plan: .scan(table: n.text, schema: s), schema: s, incomplete: false)
            }
            report("unknown table \"\(n.text)\"", n.span,
                   help: EditDistance.suggestion(for: n.text, among: catalog.tableNames + lets.keys.sorted())
                       ?? "tables are: \(catalog.tableNames.joined(separator: ", "))")
            return Scope(plan: nil, schema: Schema([]), incomplete: true)
        }
    }

    /// Checks that names are columns of the scope; reports the unknown ones.
    mutating func columns(_ names: [SyntaxName], _ scope: Scope, role: String) -> [String]? {
        var ok = true
        for n in names where !scope.schema.contains(n.text) {
            if scope.poisoned.contains(n.text) { ok = false; continue }
            ok = false
            if !scope.incomplete {
                report("unknown column \"\(n.text)\"" + (role.isEmpty ? "" : " in \(role)"), n.span,
                       help: EditDistance.suggestion(for: n.text, among: scope.schema.names))
            }
        }
        return ok ? names.map(\.text) : nil
    }

    /// Validates the plan built for a step, reporting a failure at the step.
    mutating func checked(_ plan: LogicalPlan, _ s: StepSyntax, _ scope: Scope) -> Scope {
        do {
            return Scope(plan: plan, schema: try plan.schema(), incomplete: scope.incomplete)
        } catch let e as QueryError {
            report(e.message, s.span, help: e.help)
        } catch {
            report("\(error)", s.span)
        }
        return Scope(plan: nil, schema: scope.schema, incomplete: true)
    }

    mutating func step(_ s: StepSyntax, _ scope: Scope) -> Scope {
        // Steps that keep the input's columns leave later name checks intact when they fail.
        var failed = scope
        failed.plan = nil
        switch s.kind {
        case .filter, .sort, .take, .union, .invalid(keyword: "where"), .invalid(keyword: "sort"), .invalid(keyword: "take"), .invalid(keyword: "union"):
            break
        default:
            failed.incomplete = true
        }
        switch s.kind {
        case .invalid:
            return failed

        case .filter(let e):
            guard let pred = typed(e, scope, .row, expect: .bool, what: "where") else { return failed }
            guard let plan = scope.plan else { return failed }
            return checked(.filter(plan, predicate: pred), s, scope)

        case .derive(let items):
            var sc = scope, out: [NamedExpr] = []
            for item in items {
                guard let name = item.name else {
                    report("derive needs a name for each column", item.expr.span, help: "write derive {name = \(sourceHint(item.expr))}")
                    sc.incomplete = true
                    continue
                }
                guard let e = typed(item.expr, sc, .row) else { sc.poisoned.insert(name.text); sc.plan = nil; continue }
                out.append(NamedExpr(name.text, e))
                let t = (try? ExprTyping.type(of: e, in: sc.schema)) ?? .integer
                if let i = sc.schema.index(of: name.text) { sc.schema.fields[i] = Field(name.text, t) } else { sc.schema.fields.append(Field(name.text, t)) }
            }
            guard let plan = scope.plan, out.count == items.count else { sc.plan = nil; return sc }
            return checked(.derive(plan, out), s, scope)

        case .select(let items):
            var out: [NamedExpr] = [], ok = true, names: [String] = []
            for item in items {
                var name = item.name?.text
                if name == nil, case .identifier(let c) = item.expr.kind { name = c }
                guard let n = name else {
                    report("select needs a name for a computed column", item.expr.span, help: "write select {name = \(sourceHint(item.expr))}")
                    ok = false
                    continue
                }
                if names.contains(n) { report("column \"\(n)\" is selected twice", item.name?.span ?? item.expr.span); ok = false }
                names.append(n)
                guard let e = typed(item.expr, scope, .row) else { ok = false; continue }
                out.append(NamedExpr(n, e))
            }
            guard ok, let plan = scope.plan else {
                var sc = Scope(plan: nil, schema: Schema(names.map { Field($0, scope.schema.field(named: $0)?.type ?? .integer) }), incomplete: scope.incomplete)
                sc.poisoned = scope.poisoned.union(names.filter { n in !out.contains { $0.name == n } })
                return sc
            }
            return checked(.select(plan, out), s, scope)

        case .group(let keys, let items):
            return aggregate(keys, items, s, scope)
        case .aggregate(let items):
            return aggregate([], items, s, scope)

        case .sort(let keys):
            guard let cols = columns(keys.map(\.column), scope, role: "sort"), let plan = scope.plan else { return failed }
            return checked(.sort(plan, zip(cols, keys).map { SortKey($0.0, descending: $0.1.descending) }), s, scope)

        case .take(let count, let offset):
            guard let plan = scope.plan else { return failed }
            return checked(.take(plan, count: count, offset: offset), s, scope)

        case .join(let kind, let rel, let keys):
            let right = relation(rel)
            let l = columns(keys.map(\.left), scope, role: "the left side of the join")
            let r = columns(keys.map(\.right), right, role: "the right side of the join")
            guard let l, let r, let lp = scope.plan, let rp = right.plan else {
                return Scope(plan: nil, schema: Schema(scope.schema.fields + right.schema.fields.filter { !keys.map(\.right.text).contains($0.name) }), incomplete: true)
            }
            return checked(.join(lp, rp, kind: kind, on: zip(l, r).map { JoinKey($0.0, $0.1) }), s, scope)

        case .union(let rel):
            let right = relation(rel)
            guard let lp = scope.plan, let rp = right.plan else { return failed }
            return checked(.union(lp, rp), s, scope)

        case .window(let partition, let order, let items):
            let p = columns(partition, scope, role: "window by:")
            let o = columns(order.map(\.column), scope, role: "window sort:")
            var out: [NamedExpr] = [], ok = p != nil && o != nil
            var schema = scope.schema
            for item in items {
                guard let name = item.name else {
                    report("window needs a name for each column", item.expr.span, help: "write window {prev = lag(x)}")
                    ok = false
                    continue
                }
                guard case .call(let fn, _) = item.expr.kind, WindowFunction(rawValue: fn.text) != nil else {
                    report("window items must be window function calls (\(WindowFunction.allCases.map(\.rawValue).joined(separator: ", ")))", item.expr.span,
                           help: "compute the rest in a derive after the window step")
                    ok = false
                    continue
                }
                guard let e = typed(item.expr, scope, .window) else { ok = false; continue }
                out.append(NamedExpr(name.text, e))
                schema.fields.append(Field(name.text, (try? ExprTyping.type(of: e, in: scope.schema, context: .window)) ?? .integer))
            }
            guard ok, let p, let o, let plan = scope.plan else { return Scope(plan: nil, schema: schema, incomplete: true) }
            return checked(.window(plan, partition: p, order: zip(o, order).map { SortKey($0.0, descending: $0.1.descending) }, functions: out), s, scope)

        case .pivot(let keyNames, let column, let aggSyntax, let values):
            guard let col = columns([column], scope, role: "pivot")?.first else { return failed }
            guard case .call(let fn, _) = aggSyntax.kind, AggregateFunction(rawValue: fn.text) != nil else {
                report("pivot needs one aggregate call such as sum(x)", aggSyntax.span)
                return failed
            }
            guard let agg = typed(aggSyntax, scope, .aggregate(groupKeys: [])) else { return failed }
            let keys: [String]
            if let keyNames {
                guard let k = columns(keyNames, scope, role: "pivot by:") else { return failed }
                keys = k
            } else {
                let used = Set(agg.columns + [col])
                keys = scope.schema.names.filter { !used.contains($0) }
            }
            guard let plan = scope.plan else { return failed }
            let spec = PivotSpec(keys: keys, column: col, aggregate: agg, values: values.map { PivotValue($0.0) })
            return checked(.pivot(plan, spec), s, scope)
        }
    }

    mutating func aggregate(_ keyNames: [SyntaxName], _ items: [AssignSyntax], _ s: StepSyntax, _ scope: Scope) -> Scope {
        let keys = columns(keyNames, scope, role: "group")
        var out: [NamedExpr] = [], ok = keys != nil
        var fields = keyNames.map { Field($0.text, scope.schema.field(named: $0.text)?.type ?? .integer) }
        var poisoned = Set<String>()
        for item in items {
            guard let name = item.name else {
                report("aggregate needs a name for each value", item.expr.span, help: "write aggregate {name = \(sourceHint(item.expr))}")
                ok = false
                continue
            }
            guard let e = typed(item.expr, scope, .aggregate(groupKeys: keys ?? keyNames.map(\.text))) else { ok = false; poisoned.insert(name.text); continue }
            out.append(NamedExpr(name.text, e))
            fields.append(Field(name.text, (try? ExprTyping.type(of: e, in: scope.schema, context: .aggregate(groupKeys: keys ?? []))) ?? .integer))
        }
        guard ok, let keys, let plan = scope.plan else {
            var sc = Scope(plan: nil, schema: Schema(fields), incomplete: scope.incomplete || items.contains { $0.name == nil })
            sc.poisoned = poisoned
            return sc
        }
        return checked(.aggregate(plan, keys: keys, values: out), s, scope)
    }

    /// A short rendering of an expression for help lines.
    func sourceHint(_ e: ExprSyntax) -> String {
        if case .call(let n, _) = e.kind { return "\(n.text)(…)" }
        return "…"
    }
}
