@testable import GongkaiCore

/// Small, hand-checkable tables shared by the engine, language, optimizer and SQL tests.
enum EngineFixtures {
    static let applicationsSchema = Schema([
        Field("report_id", .integer), Field("year", .integer), Field("province", .text), Field("county", .text),
        Field("applicant", .text), Field("new_received", .integer), Field("denied_total", .integer), Field("fee", .decimal),
    ])

    static func q(_ s: String) -> Value { .decimal(Quantity(s) ?? .zero) }

    /// 8 rows: two counties of 宁夏 in 2020 and 2021, one of 甘肃, with nulls.
    static let applicationsRows: [[Value]] = [
        [.integer(1), .integer(2020), .text("宁夏回族自治区"), .text("兴庆区"), .text("total"), .integer(10), .integer(2), q("1.5")],
        [.integer(1), .integer(2020), .text("宁夏回族自治区"), .text("兴庆区"), .text("natural_person"), .integer(7), .integer(1), q("0.5")],
        [.integer(2), .integer(2020), .text("宁夏回族自治区"), .text("金凤区"), .text("total"), .integer(4), .integer(0), .null],
        [.integer(3), .integer(2021), .text("宁夏回族自治区"), .text("兴庆区"), .text("total"), .integer(12), .integer(3), q("2.25")],
        [.integer(4), .integer(2021), .text("宁夏回族自治区"), .text("金凤区"), .text("total"), .integer(0), .integer(0), q("0")],
        [.integer(5), .integer(2020), .text("甘肃省"), .text("城关区"), .text("total"), .integer(20), .null, q("10")],
        [.integer(5), .integer(2020), .text("甘肃省"), .text("城关区"), .text("commercial"), .integer(5), .integer(1), .null],
        [.integer(6), .integer(2021), .text("甘肃省"), .null, .text("total"), .null, .integer(4), q("-1.25")],
    ]

    static let reportsSchema = Schema([Field("report_id", .integer), Field("agency", .text), Field("generation", .text)])
    static let reportsRows: [[Value]] = [
        [.integer(1), .text("兴庆区人民政府"), .text("2019")],
        [.integer(2), .text("金凤区人民政府"), .text("2019")],
        [.integer(3), .text("兴庆区人民政府"), .text("2021")],
        [.integer(5), .text("城关区人民政府"), .text("2019")],
        [.integer(7), .text("无报告"), .text("2021")],
    ]

    static let metrics: [MetricDefinition] = [
        MetricDefinition(name: "denial_share", expression: "denied_total / new_received", descriptionZh: "不予公开占比", descriptionEn: "share denied"),
        MetricDefinition(name: "total_denial_rate", expression: "sum(denied_total) / sum(new_received)", descriptionZh: "总不予公开率", descriptionEn: "overall denial rate"),
        MetricDefinition(name: "handled", expression: "new_received + denied_total", nullRule: .nullAsZero),
        MetricDefinition(name: "loop_a", expression: "loop_b + 1"),
        MetricDefinition(name: "loop_b", expression: "loop_a + 1"),
        MetricDefinition(name: "broken", expression: "new_received +"),
    ]

    static let catalog: InMemoryCatalog = {
        // The rows above are well-typed; a failure here is a bug in the fixture itself.
        let apps = (try? Batch(schema: applicationsSchema, rows: applicationsRows)) ?? .empty(applicationsSchema)
        let reps = (try? Batch(schema: reportsSchema, rows: reportsRows)) ?? .empty(reportsSchema)
        return InMemoryCatalog(tables: ["applications": apps, "reports": reps], metrics: metrics)
    }()

    static var applications: LogicalPlan { .scan("applications", applicationsSchema) }
    static var reports: LogicalPlan { .scan("reports", reportsSchema) }

    /// Runs a plan on the fixture catalog.
    static func run(_ plan: LogicalPlan, optimizer: Optimizer = .none) throws -> [[Value]] {
        try Executor(catalog: catalog).run(optimizer.optimize(plan)).rows
    }

    /// Compiles and runs a query on the fixture catalog.
    static func query(_ source: String, optimizer: Optimizer = .default) throws -> ResultTable {
        switch Query.compile(source, catalog: catalog) {
        case .success(let plan): return try Executor(catalog: catalog).run(optimizer.optimize(plan))
        case .failure(let d): throw d
        }
    }

    static func diagnostics(_ source: String) -> Diagnostics? {
        if case .failure(let d) = Query.compile(source, catalog: catalog) { return d }
        return nil
    }
}

/// Shorthands for expected rows.
func vi(_ v: Int64) -> Value { .integer(v) }
func vd(_ s: String) -> Value { .decimal(Quantity(s) ?? .zero) }
func vt(_ s: String) -> Value { .text(s) }
func vb(_ v: Bool) -> Value { .bool(v) }
let vnull = Value.null
