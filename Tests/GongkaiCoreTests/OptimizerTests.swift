import Testing
@testable import GongkaiCore

private let apps = EngineFixtures.applications
private let reports = EngineFixtures.reports
private func col(_ n: String) -> Expr { .column(n) }
private func keep(_ names: String...) -> [NamedExpr] { names.map { NamedExpr($0, .column($0)) } }

/// The rule's output must run to exactly the rows of its input.
private func sameRows(_ a: LogicalPlan, _ b: LogicalPlan) throws {
    #expect(try EngineFixtures.run(a) == EngineFixtures.run(b))
}

// MARK: - Constant folding

@Test func optimizerConstantFoldingEvaluatesLiteralSubexpressions() throws {
    let rule = ConstantFolding()
    let p1 = apps.filter(col("year").equals(.integer(2019) + .integer(1)))
    #expect(rule.apply(p1) == apps.filter(col("year").equals(.integer(2020))))
    let p2 = apps.filter(Expr.bool(true).and(col("year").greater(.integer(2019))))
    #expect(rule.apply(p2) == apps.filter(col("year").greater(.integer(2019))))
    let p3 = apps.filter(Expr.bool(true).or(col("county").isNullCheck)).select(keep("county"))
    #expect(rule.apply(p3) == apps.select(keep("county")))
    let p4 = apps.derive([NamedExpr("x", .decimal("1.5") * .integer(2)), NamedExpr("y", .call(.length, [.text("宁夏")]))])
    #expect(rule.apply(p4) == apps.derive([NamedExpr("x", .literal(.decimal(Quantity(mantissa: 30, scale: 1)))), NamedExpr("y", .integer(2))]))
    for p in [p1, p2, p3, p4] { try sameRows(p, rule.apply(p)) }
}

@Test func optimizerConstantFoldingSkipsFoldsThatThrowOrChangeTypes() {
    let rule = ConstantFolding()
    let overflow = apps.derive([NamedExpr("x", .integer(Int64.max) + .integer(1))])
    #expect(rule.apply(overflow) == overflow)
    let typeChange = apps.derive([NamedExpr("x", .call(.if, [.bool(true), .integer(1), .decimal("2.5")]))])
    #expect(rule.apply(typeChange) == typeChange)
    let divByZero = apps.derive([NamedExpr("x", .integer(1) / .integer(0))])
    #expect(rule.apply(divByZero) == divByZero) // null would lose the decimal type
}

// MARK: - Predicate pushdown

@Test func optimizerPushdownMovesFiltersBelowDeriveSortAndSelect() throws {
    let rule = PredicatePushdown()
    let derive = [NamedExpr("r", col("new_received") + .integer(1))]
    let p1 = apps.derive(derive).sort([SortKey("r")]).filter(col("year").equals(.integer(2020)).and(col("r").greater(.integer(5))))
    #expect(rule.apply(p1) == apps.filter(col("year").equals(.integer(2020))).derive(derive).filter(col("r").greater(.integer(5))).sort([SortKey("r")]))
    let renames = [NamedExpr("y", col("year")), NamedExpr("c", col("county")), NamedExpr("n", col("new_received") * .integer(2))]
    let p2 = apps.select(renames).filter(col("y").equals(.integer(2021)).and(col("n").greater(.integer(1))))
    #expect(rule.apply(p2) == apps.filter(col("year").equals(.integer(2021))).select(renames).filter(col("n").greater(.integer(1))))
    for p in [p1, p2] { try sameRows(p, rule.apply(p)) }
}

@Test func optimizerPushdownUsesGroupAndPartitionKeysOnly() throws {
    let rule = PredicatePushdown()
    let values = [NamedExpr("n", .aggregate(.count, []))]
    let p1 = apps.aggregate(keys: ["county"], values).filter(col("county").equals(.text("兴庆区")).and(col("n").greater(.integer(1))))
    #expect(rule.apply(p1) == apps.filter(col("county").equals(.text("兴庆区"))).aggregate(keys: ["county"], values).filter(col("n").greater(.integer(1))))
    let fns = [NamedExpr("prev", .window(.lag, [col("new_received")]))]
    let p2 = apps.window(partition: ["county"], order: [SortKey("year")], fns)
        .filter(col("county").equals(.text("兴庆区")).and(col("year").equals(.integer(2021))))
    #expect(rule.apply(p2) == apps.filter(col("county").equals(.text("兴庆区"))).window(partition: ["county"], order: [SortKey("year")], fns)
        .filter(col("year").equals(.integer(2021))))
    for p in [p1, p2] { try sameRows(p, rule.apply(p)) }
}

@Test func optimizerPushdownSplitsJoinConditionsBySide() throws {
    let rule = PredicatePushdown()
    let cond = col("year").equals(.integer(2020)).and(col("generation").equals(.text("2019")))
    let inner = apps.join(reports, on: [JoinKey("report_id")]).filter(cond)
    #expect(rule.apply(inner) == apps.filter(col("year").equals(.integer(2020)))
        .join(reports.filter(col("generation").equals(.text("2019"))), on: [JoinKey("report_id")]))
    let left = apps.join(reports, kind: .left, on: [JoinKey("report_id")]).filter(cond)
    #expect(rule.apply(left) == apps.filter(col("year").equals(.integer(2020)))
        .join(reports, kind: .left, on: [JoinKey("report_id")]).filter(col("generation").equals(.text("2019"))))
    for p in [inner, left] { try sameRows(p, rule.apply(p)) }
}

@Test func optimizerPushdownStopsAtTakeAndCopiesIntoUnion() throws {
    let rule = PredicatePushdown()
    let cond = col("year").equals(.integer(2020))
    let take = apps.take(3).filter(cond)
    #expect(rule.apply(take) == take)
    let union = apps.union(apps).filter(cond)
    #expect(rule.apply(union) == apps.filter(cond).union(apps.filter(cond)))
    let merged = apps.filter(cond).filter(col("new_received").greater(.integer(5)))
    #expect(rule.apply(merged) == apps.filter(col("new_received").greater(.integer(5)).and(cond)))
    for p in [take, union, merged] { try sameRows(p, rule.apply(p)) }
}

// MARK: - Projection pruning

@Test func optimizerPruningNarrowsScansAndDropsUnusedItems() throws {
    let rule = ProjectionPruning()
    let p1 = apps.derive([NamedExpr("a", col("new_received") + .integer(1)), NamedExpr("b", col("year") * .integer(2))]).select(keep("a"))
    let narrow = LogicalPlan.scan("applications", Schema([Field("new_received", .integer)]))
    #expect(rule.apply(p1) == narrow.derive([NamedExpr("a", col("new_received") + .integer(1))]).select(keep("a")))
    let p2 = apps.aggregate(keys: ["county"], [NamedExpr("n", .aggregate(.count, [])), NamedExpr("s", .aggregate(.sum, [col("fee")]))]).select(keep("county", "n"))
    #expect(rule.apply(p2) == LogicalPlan.scan("applications", Schema([Field("county", .text)]))
        .aggregate(keys: ["county"], [NamedExpr("n", .aggregate(.count, []))]).select(keep("county", "n")))
    let p3 = apps.aggregate([NamedExpr("n", .aggregate(.count, []))])
    #expect(rule.apply(p3) == LogicalPlan.scan("applications", Schema([Field("report_id", .integer)])).aggregate([NamedExpr("n", .aggregate(.count, []))]))
    let p4 = apps.join(reports, on: [JoinKey("report_id")]).select(keep("agency", "year"))
    #expect(rule.apply(p4) == LogicalPlan.scan("applications", Schema([Field("report_id", .integer), Field("year", .integer)]))
        .join(.scan("reports", Schema([Field("report_id", .integer), Field("agency", .text)])), on: [JoinKey("report_id")]).select(keep("agency", "year")))
    let p5 = apps.window(order: [SortKey("year")], [NamedExpr("rn", .window(.rowNumber, [])), NamedExpr("p", .window(.lag, [col("fee")]))]).select(keep("rn"))
    #expect(rule.apply(p5) == LogicalPlan.scan("applications", Schema([Field("year", .integer)]))
        .window(order: [SortKey("year")], [NamedExpr("rn", .window(.rowNumber, []))]).select(keep("rn")))
    for p in [p1, p2, p3, p4, p5] { try sameRows(p, rule.apply(p)) }
}

@Test func optimizerPruningKeepsTheOutputAndUnionShapes() throws {
    let rule = ProjectionPruning()
    #expect(rule.apply(apps) == apps)
    let u = apps.union(apps).select(keep("county"))
    let pruned = rule.apply(u)
    let narrow = LogicalPlan.scan("applications", Schema([Field("county", .text)]))
    #expect(pruned == narrow.select(keep("county")).union(narrow.select(keep("county"))).select(keep("county")))
    try sameRows(u, pruned)
}

// MARK: - The optimizer and explain

private struct BreaksSchema: OptimizerRule {
    var name: String { "breaks_schema" }
    func apply(_ plan: LogicalPlan) -> LogicalPlan { EngineFixtures.reports }
}

@Test func optimizerRulesAreSwitchableAndUnsafeRewritesAreDiscarded() throws {
    #expect(Optimizer.default.rules.map(\.name) == ["constant_folding", "predicate_pushdown", "projection_pruning"])
    #expect(Optimizer.default.disabling("predicate_pushdown").rules.map(\.name) == ["constant_folding", "projection_pruning"])
    let plan = apps.filter(col("year").equals(.integer(2020)))
    #expect(Optimizer(rules: [BreaksSchema()]).optimize(plan) == plan)
    #expect(Optimizer.none.optimize(plan) == plan)
}

@Test func optimizerExplainShowsThePlanBeforeAndAfter() throws {
    let plan = try Query.compile("""
    from applications
    | derive r = new_received + 0 * 2
    | where year == 2019 + 1
    | select {county, r}
    """, catalog: EngineFixtures.catalog).get()
    #expect(explain(plan) == """
    logical plan:
      select {county, r}
        filter year == 2019 + 1
          derive {r = new_received + 0 * 2}
            scan applications [report_id, year, province, county, applicant, new_received, denied_total, fee]

    optimized plan (constant_folding, predicate_pushdown, projection_pruning):
      select {county, r}
        derive {r = new_received + 0}
          filter year == 2020
            scan applications [year, county, new_received]

    output: (county: text, r: integer)
    """)
    try sameRows(plan, Optimizer.default.optimize(plan))
}

@Test func optimizerDefaultPreservesResultsOfTheLanguageExamples() throws {
    let queries = [
        "from applications | where year == 2020 and province == \"宁夏回族自治区\" | group county (aggregate {n = sum(new_received)}) | sort -n",
        "from applications | join side:left reports (report_id) | where generation == \"2019\" and fee > 0 | select {agency, fee}",
        "from applications | window by:county sort:year {prev = lag(new_received)} | where county == \"兴庆区\" | select {year, prev}",
        "from applications | pivot by:report_id applicant (count()) columns [\"total\", \"commercial\"] | where report_id > 1",
    ]
    for q in queries {
        let plan = try Query.compile(q, catalog: EngineFixtures.catalog).get()
        try sameRows(plan, Optimizer.default.optimize(plan))
        #expect(Optimizer.default.optimize(plan) != plan, "\(q)")
    }
}

private extension Expr {
    var isNullCheck: Expr { .isNull(self, negated: false) }
}
