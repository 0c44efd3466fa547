/// Expression binding: names to columns or inlined metrics, function names to functions,
/// and type checking node by node so an error points at the smallest wrong sub-expression.
extension Binder {
    /// All function names of the language (for suggestions).
    static let functionNames: [String] = ScalarFunction.allCases.map(\.rawValue)
        + AggregateFunction.allCases.map(\.rawValue) + WindowFunction.allCases.map(\.rawValue)

    /// Binds and type-checks an expression; nil after reporting a diagnostic.
    mutating func typed(_ e: ExprSyntax, _ scope: Scope, _ ctx: ExprContext, expect: DataType? = nil, what: String = "") -> Expr? {
        var metricStack: [String] = []
        guard let bound = expr(e, scope, ctx, insideAggregate: false, metricStack: &metricStack) else { return nil }
        if let expect {
            do {
                let t = try ExprTyping.infer(bound, scope.schema, ctx, insideAggregate: false)
                if let t, t != expect {
                    report("\(what) needs a \(expect) condition, but this is \(t)", e.span,
                           help: t == .integer || t == .decimal ? "compare it, e.g. \(bound) > 0" : nil)
                    return nil
                }
            } catch {
                return nil
            }
        }
        return bound
    }

    private mutating func typeCheck(_ e: Expr, _ span: QuerySpan, _ scope: Scope, _ ctx: ExprContext, insideAggregate: Bool) -> Bool {
        do {
            _ = try ExprTyping.infer(e, scope.schema, ctx, insideAggregate: insideAggregate)
            return true
        } catch let err as QueryError {
            if err.kind == .unknownColumn && scope.incomplete { return false }
            report(err.message, span, help: err.help)
            return false
        } catch {
            report("\(error)", span)
            return false
        }
    }

    /// Binds one node (children first); nil once any diagnostic was reported below it.
    mutating func expr(_ e: ExprSyntax, _ scope: Scope, _ ctx: ExprContext, insideAggregate: Bool, metricStack: inout [String]) -> Expr? {
        func sub(_ x: ExprSyntax, _ inAgg: Bool = insideAggregate) -> Expr? {
            expr(x, scope, ctx, insideAggregate: inAgg, metricStack: &metricStack)
        }
        let result: Expr
        switch e.kind {
        case .literal(let v):
            return .literal(v)
        case .identifier(let name):
            if scope.schema.contains(name) {
                result = .column(name)
            } else if scope.poisoned.contains(name) {
                return nil
            } else if let m = metrics[name] {
                return metric(m, e.span, scope, ctx, insideAggregate: insideAggregate, metricStack: &metricStack)
            } else {
                if !scope.incomplete {
                    let candidates = scope.schema.names + metrics.keys.sorted()
                    var help = EditDistance.suggestion(for: name, among: candidates)
                    if help == nil, catalog.schema(of: name) != nil { help = "\"\(name)\" is a table; join it to use its columns" }
                    report("unknown column \"\(name)\"", e.span, help: help)
                }
                return nil
            }
        case .unary(let op, let x):
            guard let a = sub(x) else { return nil }
            result = .unary(op, a)
        case .binary(let op, let x, let y):
            let a = sub(x), b = sub(y)
            guard let a, let b else { return nil }
            result = .binary(op, a, b)
        case .isNull(let x, let n):
            guard let a = sub(x) else { return nil }
            result = .isNull(a, negated: n)
        case .inList(let x, let items, let n):
            let a = sub(x)
            let list = items.map { sub($0) }
            guard let a, !list.contains(where: { $0 == nil }) else { return nil }
            result = .inList(a, list.compactMap { $0 }, negated: n)
        case .call(let name, let args):
            if let f = ScalarFunction(rawValue: name.text) {
                let bound = args.map { sub($0) }
                guard !bound.contains(where: { $0 == nil }) else { return nil }
                result = .call(f, bound.compactMap { $0 })
            } else if let f = AggregateFunction(rawValue: name.text) {
                guard case .aggregate = ctx else {
                    report("aggregate function \(f.rawValue)() is only allowed inside aggregate {…}", name.span,
                           help: "use `group keys (aggregate {x = \(f.rawValue)(…)})` or `aggregate {…}`")
                    return nil
                }
                if insideAggregate {
                    report("aggregate function \(f.rawValue)() cannot be nested in another aggregate", name.span)
                    return nil
                }
                let bound = args.map { sub($0, true) }
                guard !bound.contains(where: { $0 == nil }) else { return nil }
                result = .aggregate(f, bound.compactMap { $0 })
            } else if let f = WindowFunction(rawValue: name.text) {
                guard ctx == .window else {
                    report("window function \(f.rawValue)() is only allowed inside window {…}", name.span,
                           help: "write `window by:… sort:… {x = \(f.rawValue)(…)}`")
                    return nil
                }
                let bound = args.map { expr($0, scope, .row, insideAggregate: false, metricStack: &metricStack) }
                guard !bound.contains(where: { $0 == nil }) else { return nil }
                result = .window(f, bound.compactMap { $0 })
            } else {
                report("unknown function \"\(name.text)\"", name.span,
                       help: EditDistance.suggestion(for: name.text, among: Binder.functionNames)
                           ?? "functions are: \(Binder.functionNames.joined(separator: ", "))")
                return nil
            }
        }
        return typeCheck(result, e.span, scope, ctx, insideAggregate: insideAggregate) ? result : nil
    }

    /// Inlines a metric's expression (parsed in the same language) at a reference.
    private mutating func metric(_ m: MetricDefinition, _ span: QuerySpan, _ scope: Scope, _ ctx: ExprContext,
                                 insideAggregate: Bool, metricStack: inout [String]) -> Expr? {
        if metricStack.contains(m.name) {
            report("metric \"\(m.name)\" refers to itself (\((metricStack + [m.name]).joined(separator: " → ")))", span)
            return nil
        }
        let (syntax, parseDiags) = QueryParser.parseExpression(m.expression)
        guard let syntax, parseDiags.isEmpty else {
            report("metric \"\(m.name)\" has an invalid expression \"\(m.expression)\": \(parseDiags.first?.message ?? "cannot parse")", span)
            return nil
        }
        // Re-anchor every span of the metric at the reference so errors point at it.
        let anchored = Binder.reanchor(syntax, span)
        let metricHasAggregate = Binder.containsAggregateCall(syntax)
        if metricHasAggregate, !(isAggregateContext(ctx)) || insideAggregate {
            report("metric \"\(m.name)\" contains aggregates and is only valid inside aggregate {…}", span,
                   help: "use it as `group … (aggregate {\(m.name) = \(m.name)})`")
            return nil
        }
        metricStack.append(m.name)
        defer { metricStack.removeLast() }
        let before = diagnostics.count
        guard var e = expr(anchored, scope, ctx, insideAggregate: insideAggregate, metricStack: &metricStack) else {
            if diagnostics.count > before, let last = diagnostics.popLast() {
                report("in metric \"\(m.name)\" = \(m.expression): \(last.message)", span, help: last.help)
            }
            return nil
        }
        if m.nullRule == .nullAsZero {
            e = e.transformed { node in
                if case .column(let c) = node, let f = scope.schema.field(named: c), f.type.isNumeric {
                    return .call(.coalesce, [node, f.type == .integer ? .integer(0) : .literal(.decimal(.zero))])
                }
                return node
            }
        }
        return e
    }

    private func isAggregateContext(_ ctx: ExprContext) -> Bool {
        if case .aggregate = ctx { return true }
        return false
    }

    static func containsAggregateCall(_ e: ExprSyntax) -> Bool {
        switch e.kind {
        case .literal, .identifier: return false
        case .unary(_, let x), .isNull(let x, _): return containsAggregateCall(x)
        case .binary(_, let a, let b): return containsAggregateCall(a) || containsAggregateCall(b)
        case .inList(let x, let items, _): return containsAggregateCall(x) || items.contains(where: containsAggregateCall)
        case .call(let n, let args): return AggregateFunction(rawValue: n.text) != nil || args.contains(where: containsAggregateCall)
        }
    }

    static func reanchor(_ e: ExprSyntax, _ span: QuerySpan) -> ExprSyntax {
        let kind: ExprSyntax.Kind
        switch e.kind {
        case .literal, .identifier: kind = e.kind
        case .unary(let op, let x): kind = .unary(op, reanchor(x, span))
        case .binary(let op, let a, let b): kind = .binary(op, reanchor(a, span), reanchor(b, span))
        case .isNull(let x, let n): kind = .isNull(reanchor(x, span), negated: n)
        case .inList(let x, let items, let n): kind = .inList(reanchor(x, span), items.map { reanchor($0, span) }, negated: n)
        case .call(let n, let args): kind = .call(SyntaxName(text: n.text, span: span), args.map { reanchor($0, span) })
        }
        return ExprSyntax(kind: kind, span: span)
    }
}
