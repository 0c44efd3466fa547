/// The entry point of the pipeline language: source text in, a validated ``LogicalPlan``
/// (or every diagnostic) out.
///
/// Grammar (full version with semantics in `Docs/query-language.md`):
///
/// ```
/// program  := (let | ";")* pipeline        let := "let" name "=" pipeline
/// pipeline := "from" relation ("|" step)*  relation := name | "(" pipeline ")"
/// step     := where expr | derive {a = e, …} | select {a, b = e, …}
///           | group keys (aggregate {…}) | aggregate {…} | sort a, -b | take n (offset:m)?
///           | join (side:left)? relation (a, b == c) | union relation
///           | window (by:keys)? (sort:keys)? {x = lag(e), …}
///           | pivot (by:keys)? col (agg(e)) columns [v, …]
/// ```
///
/// ```swift
/// switch Query.compile("from applications | where year == 2020 | take 10", catalog: catalog) {
/// case .success(let plan): print(explain(plan))
/// case .failure(let diagnostics): print(diagnostics.rendered)
/// }
/// ```
public struct Query {
    /// Parses and binds one program (`let` bindings and a final pipeline).
    public static func compile(_ source: String, catalog: any Catalog) -> Result<LogicalPlan, Diagnostics> {
        let (program, parseDiags) = QueryParser.parse(source)
        var binder = Binder(catalog: catalog)
        let plan = binder.bind(program, whole: QuerySpan(start: 0, end: source.utf8.count))
        let all = parseDiags + binder.diagnostics
        if let plan, all.isEmpty { return .success(plan) }
        if all.isEmpty {
            return .failure(Diagnostics([Diagnostic("the program could not be compiled", span: QuerySpan(start: 0, end: source.utf8.count))], source: source))
        }
        return .failure(Diagnostics(all, source: source))
    }

    /// Parses and binds an expression over a schema (for metrics, REPL completion and tests).
    public static func compileExpression(_ source: String, schema: Schema, catalog: any Catalog, context: ExprContext = .row) -> Result<Expr, Diagnostics> {
        let (syntax, diags) = QueryParser.parseExpression(source)
        guard let syntax, diags.isEmpty else { return .failure(Diagnostics(diags, source: source)) }
        var binder = Binder(catalog: catalog)
        let e = binder.typed(syntax, Binder.Scope(plan: nil, schema: schema, incomplete: false), context)
        if let e, binder.diagnostics.isEmpty { return .success(e) }
        return .failure(Diagnostics(binder.diagnostics, source: source))
    }
}
