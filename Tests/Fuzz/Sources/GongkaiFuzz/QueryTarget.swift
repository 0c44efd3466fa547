import GongkaiCore

/// The pipeline-language target: lexer, parser, binder (against the workspace's real table
/// schemas and a few metrics, including a cycle and a broken one), optimizer, `explain` and
/// the rendering of diagnostics with their carets.
enum QueryTarget {
    /// The workspace's tables, empty, with metrics like the plugins register.
    static let catalog: InMemoryCatalog = {
        var tables: [String: Batch] = [:]
        for def in CatalogTables.all {
            let schema = Schema(def.columns.map { c -> Field in
                switch c.type {
                case .integer: return Field(c.name, .integer)
                case .decimal: return Field(c.name, .decimal)
                case .text: return Field(c.name, .text)
                }
            })
            tables[def.name] = Batch.empty(schema)
        }
        let metrics = [
            MetricDefinition(name: "grant_rate", expression: "(granted + partially_granted) / total_processed"),
            MetricDefinition(name: "denial_total_rate", expression: "sum(denied_total) / sum(new_received)"),
            MetricDefinition(name: "handled", expression: "new_received + denied_total", nullRule: .nullAsZero),
            MetricDefinition(name: "loop_a", expression: "loop_b + 1"),
            MetricDefinition(name: "loop_b", expression: "loop_a + 1"),
            MetricDefinition(name: "broken", expression: "new_received +"),
        ]
        return InMemoryCatalog(tables: tables, metrics: metrics)
    }()

    /// Compiles the input; a plan is optimized and explained, diagnostics are rendered.
    static func run(_ bytes: [UInt8]) {
        let source = String(decoding: bytes, as: UTF8.self)
        switch Query.compile(source, catalog: catalog) {
        case .success(let plan):
            _ = explain(plan)
            _ = try? SQLCompiler.compile(Optimizer.default.optimize(plan))
        case .failure(let diagnostics):
            _ = diagnostics.rendered
        }
    }
}
