import Testing
@testable import GongkaiCore

private let apps = EngineFixtures.applications
private func col(_ n: String) -> Expr { .column(n) }
private func keep(_ names: String...) -> [NamedExpr] { names.map { NamedExpr($0, .column($0)) } }

@Test func engineScanReadsTheRequestedColumnsInOrder() throws {
    let rows = try EngineFixtures.run(.scan("reports", Schema([Field("generation", .text), Field("report_id", .integer)])))
    #expect(rows == [[vt("2019"), vi(1)], [vt("2019"), vi(2)], [vt("2021"), vi(3)], [vt("2019"), vi(5)], [vt("2021"), vi(7)]])
}

@Test func engineFilterDropsFalseAndNull() throws {
    let rows = try EngineFixtures.run(apps.filter(col("new_received").greater(.integer(5))).select(keep("report_id", "applicant")))
    #expect(rows == [[vi(1), vt("total")], [vi(1), vt("natural_person")], [vi(3), vt("total")], [vi(5), vt("total")]])
    // 0/0 and x/vnull are vnull, so those rows are dropped too.
    let rates = try EngineFixtures.run(apps.filter((col("denied_total") / col("new_received")).greater(.decimal("0.1"))).select(keep("report_id")))
    #expect(rates == [[vi(1)], [vi(1)], [vi(3)], [vi(5)]])
}

@Test func engineDeriveIsSequentialAndReplacesInPlace() throws {
    let rows = try EngineFixtures.run(apps.take(2).derive([
        NamedExpr("a", col("new_received") * .integer(2)),
        NamedExpr("b", col("a") + .integer(1)),
        NamedExpr("new_received", col("new_received") + .integer(100)),
    ]).select(keep("new_received", "a", "b")))
    #expect(rows == [[vi(110), vi(20), vi(21)], [vi(107), vi(14), vi(15)]])
    let schema = try apps.derive([NamedExpr("year", .text("x"))]).schema()
    #expect(schema.names == EngineFixtures.applicationsSchema.names)
    #expect(schema.field(named: "year")?.type == .text)
}

@Test func engineDivisionByZeroIsNullAndDecimalsAreExact() throws {
    let rows = try EngineFixtures.run(apps.select([
        NamedExpr("id", col("report_id")),
        NamedExpr("rate", col("denied_total") / col("new_received")),
        NamedExpr("q", .binary(.integerDivide, col("new_received"), .integer(0))),
        NamedExpr("fee2", col("fee") * col("fee")),
    ]))
    #expect(rows.map { $0[1] } == [vd("0.2"), vd("0.142857"), vd("0"), vd("0.25"), vnull, vnull, vd("0.2"), vnull])
    #expect(rows.allSatisfy { $0[2] == vnull })
    #expect(rows.map { $0[3] } == [vd("2.25"), vd("0.25"), vnull, vd("5.0625"), vd("0"), vd("100"), vnull, vd("1.5625")])
}

@Test func engineOverflowIsAnErrorNotACrash() {
    let plan = apps.derive([NamedExpr("big", .integer(Int64.max) + col("new_received"))])
    do {
        _ = try EngineFixtures.run(plan)
        Issue.record("expected overflow")
    } catch let e as QueryError {
        #expect(e.kind == .overflow)
    } catch { Issue.record("\(error)") }
    #expect(throws: QueryError.self) {
        try EngineFixtures.run(apps.aggregate([NamedExpr("s", .aggregate(.sum, [.integer(Int64.max) - col("new_received")]))]))
    }
}

@Test func engineSelectRenamesAndComputes() throws {
    let rows = try EngineFixtures.run(apps.take(3).select([NamedExpr("rid", col("report_id")), NamedExpr("nr2", col("new_received") + .integer(1))]))
    #expect(rows == [[vi(1), vi(11)], [vi(1), vi(8)], [vi(2), vi(5)]])
}

@Test func engineAggregateComputesEveryFunctionPerGroup() throws {
    let plan = apps.aggregate(keys: ["province"], [
        NamedExpr("sum", .aggregate(.sum, [col("new_received")])),
        NamedExpr("n", .aggregate(.count, [])),
        NamedExpr("n_nr", .aggregate(.count, [col("new_received")])),
        NamedExpr("counties", .aggregate(.countDistinct, [col("county")])),
        NamedExpr("avg_fee", .aggregate(.avg, [col("fee")])),
        NamedExpr("min_county", .aggregate(.min, [col("county")])),
        NamedExpr("max_fee", .aggregate(.max, [col("fee")])),
        NamedExpr("median", .aggregate(.median, [col("new_received")])),
        NamedExpr("fees", .aggregate(.sum, [col("fee")])),
        NamedExpr("rate", .aggregate(.sum, [col("denied_total")]) / .aggregate(.sum, [col("new_received")])),
    ])
    #expect(try EngineFixtures.run(plan) == [
        [vt("宁夏回族自治区"), vi(33), vi(5), vi(5), vi(2), vd("1.0625"), vt("兴庆区"), vd("2.25"), vd("7"), vd("4.25"), vd("0.181818")],
        [vt("甘肃省"), vi(25), vi(3), vi(2), vi(1), vd("4.375"), vt("城关区"), vd("10"), vd("12.5"), vd("8.75"), vd("0.2")],
    ])
}

@Test func engineAggregateGroupsNullKeysTogether() throws {
    let rows = try EngineFixtures.run(apps.aggregate(keys: ["county"], [
        NamedExpr("n", .aggregate(.count, [])), NamedExpr("s", .aggregate(.sum, [col("new_received")])),
    ]))
    #expect(rows == [[vt("兴庆区"), vi(3), vi(29)], [vt("金凤区"), vi(2), vi(4)], [vt("城关区"), vi(2), vi(25)], [vnull, vi(1), vnull]])
}

@Test func engineAggregateWithoutKeysReturnsOneRowEvenOnEmptyInput() throws {
    let rows = try EngineFixtures.run(apps.filter(.bool(false)).aggregate([
        NamedExpr("n", .aggregate(.count, [])), NamedExpr("s", .aggregate(.sum, [col("new_received")])),
        NamedExpr("m", .aggregate(.max, [col("county")])), NamedExpr("a", .aggregate(.avg, [col("fee")])),
    ]))
    #expect(rows == [[vi(0), vnull, vnull, vnull]])
    let grouped = try EngineFixtures.run(apps.filter(.bool(false)).aggregate(keys: ["county"], [NamedExpr("n", .aggregate(.count, []))]))
    #expect(grouped.isEmpty)
}

@Test func engineMedianAndQuantileInterpolateExactly() throws {
    // new_received non-vnull values: 0 4 5 7 10 12 20
    let rows = try EngineFixtures.run(apps.aggregate([
        NamedExpr("med", .aggregate(.median, [col("new_received")])),
        NamedExpr("q25", .aggregate(.quantile, [col("new_received"), .decimal("0.25")])),
        NamedExpr("q90", .aggregate(.quantile, [col("new_received"), .decimal("0.9")])),
        NamedExpr("q0", .aggregate(.quantile, [col("new_received"), .integer(0)])),
        NamedExpr("q1", .aggregate(.quantile, [col("new_received"), .integer(1)])),
        NamedExpr("fee_med", .aggregate(.median, [col("fee")])),
    ]))
    // fee non-vnull: -1.25 0 0.5 1.5 2.25 10 → median (0.5 + 1.5) / 2 = 1
    #expect(rows == [[vd("7"), vd("4.5"), vd("15.2"), vd("0"), vd("20"), vd("1")]])
    #expect(throws: QueryError.self) { try SQLCompiler.compile(apps.aggregate([NamedExpr("m", .aggregate(.median, [col("fee")]))])) }
}

@Test func engineSortIsStableWithNullsLastInBothDirections() throws {
    let byReceived = try EngineFixtures.run(apps.sort([SortKey("new_received", descending: true)]).select(keep("new_received")))
    #expect(byReceived.map { $0[0] } == [vi(20), vi(12), vi(10), vi(7), vi(5), vi(4), vi(0), vnull])
    let byCounty = try EngineFixtures.run(apps.sort([SortKey("county")]).select(keep("report_id")))
    #expect(byCounty.map { $0[0] } == [vi(1), vi(1), vi(3), vi(5), vi(5), vi(2), vi(4), vi(6)])
    let byCountyDesc = try EngineFixtures.run(apps.sort([SortKey("county", descending: true)]).select(keep("report_id")))
    #expect(byCountyDesc.map { $0[0] } == [vi(2), vi(4), vi(5), vi(5), vi(1), vi(1), vi(3), vi(6)])
}

@Test func engineTakeWithOffset() throws {
    let rows = try EngineFixtures.run(apps.sort([SortKey("report_id"), SortKey("applicant")]).take(3, offset: 2).select(keep("report_id", "applicant")))
    #expect(rows == [[vi(2), vt("total")], [vi(3), vt("total")], [vi(4), vt("total")]])
    #expect(try EngineFixtures.run(apps.take(0)).isEmpty)
    #expect(try EngineFixtures.run(apps.take(5, offset: 100)).isEmpty)
}

@Test func engineInnerAndLeftJoinKeepLeftOrder() throws {
    let inner = try EngineFixtures.run(apps.join(EngineFixtures.reports, on: [JoinKey("report_id")]).select(keep("report_id", "agency")))
    #expect(inner == [[vi(1), vt("兴庆区人民政府")], [vi(1), vt("兴庆区人民政府")], [vi(2), vt("金凤区人民政府")],
                      [vi(3), vt("兴庆区人民政府")], [vi(5), vt("城关区人民政府")], [vi(5), vt("城关区人民政府")]])
    let left = try EngineFixtures.run(apps.join(EngineFixtures.reports, kind: .left, on: [JoinKey("report_id")]).select(keep("report_id", "generation")))
    #expect(left == [[vi(1), vt("2019")], [vi(1), vt("2019")], [vi(2), vt("2019")], [vi(3), vt("2021")], [vi(4), vnull],
                     [vi(5), vt("2019")], [vi(5), vt("2019")], [vi(6), vnull]])
}

@Test func engineJoinNeverMatchesNullKeysAndHandlesManyToMany() throws {
    let ls = Schema([Field("k", .integer), Field("l", .text)]), rs = Schema([Field("rk", .integer), Field("r", .text)])
    let catalog = InMemoryCatalog(tables: [
        "l": try Batch(schema: ls, rows: [[vnull, vt("a")], [vi(1), vt("b")], [vi(2), vt("c")]]),
        "r": try Batch(schema: rs, rows: [[vnull, vt("x")], [vi(1), vt("y")], [vi(1), vt("z")]]),
    ])
    let plan = LogicalPlan.scan("l", ls).join(.scan("r", rs), kind: .left, on: [JoinKey("k", "rk")])
    #expect(try Executor(catalog: catalog).run(plan).rows == [[vnull, vt("a"), vnull], [vi(1), vt("b"), vt("y")], [vi(1), vt("b"), vt("z")], [vi(2), vt("c"), vnull]])
    let inner = LogicalPlan.scan("l", ls).join(.scan("r", rs), on: [JoinKey("k", "rk")])
    #expect(try Executor(catalog: catalog).run(inner).rows == [[vi(1), vt("b"), vt("y")], [vi(1), vt("b"), vt("z")]])
}

@Test func engineUnionAppendsRightAfterLeft() throws {
    let a = apps.filter(col("year").equals(.integer(2021))).select(keep("report_id"))
    let b = apps.filter(col("province").equals(.text("甘肃省")).and(col("year").equals(.integer(2020)))).select(keep("report_id"))
    #expect(try EngineFixtures.run(a.union(b)) == [[vi(3)], [vi(4)], [vi(6)], [vi(5)], [vi(5)]])
}

@Test func engineWindowLagLeadRowNumberPerPartition() throws {
    let plan = apps.filter(col("applicant").equals(.text("total")))
        .window(partition: ["county"], order: [SortKey("year")], [
            NamedExpr("prev", .window(.lag, [col("new_received")])),
            NamedExpr("rn", .window(.rowNumber, [])),
            NamedExpr("next", .window(.lead, [col("new_received")])),
            NamedExpr("prev2", .window(.lag, [col("new_received"), .integer(2)])),
        ]).select(keep("report_id", "prev", "rn", "next", "prev2"))
    #expect(try EngineFixtures.run(plan) == [
        [vi(1), vnull, vi(1), vi(12), vnull], [vi(2), vnull, vi(1), vi(0), vnull], [vi(3), vi(10), vi(2), vnull, vnull],
        [vi(4), vi(4), vi(2), vnull, vnull], [vi(5), vnull, vi(1), vnull, vnull], [vi(6), vnull, vi(1), vnull, vnull],
    ])
}

@Test func engineWindowRanksTiesAndKeepsInputOrder() throws {
    let plan = apps.derive([NamedExpr("bucket", .binary(.integerDivide, col("new_received"), .integer(5)))])
        .window(order: [SortKey("bucket", descending: true)], [
            NamedExpr("r", .window(.rank, [])), NamedExpr("dr", .window(.denseRank, [])), NamedExpr("rn", .window(.rowNumber, [])),
        ]).select(keep("r", "dr", "rn"))
    let rows = try EngineFixtures.run(plan)
    #expect(rows.map { $0[0] } == [2, 4, 6, 2, 6, 1, 4, 8].map(vi))
    #expect(rows.map { $0[1] } == [2, 3, 4, 2, 4, 1, 3, 5].map(vi))
    #expect(rows.map { $0[2] } == [2, 4, 6, 3, 7, 1, 5, 8].map(vi))
}

@Test func enginePivotSpreadsDeclaredColumns() throws {
    let spec = PivotSpec(keys: ["report_id"], column: "applicant", aggregate: .aggregate(.sum, [col("new_received")]),
                         values: [PivotValue(.text("total")), PivotValue(.text("natural_person")), PivotValue(.text("commercial"), name: "biz")])
    let rows = try EngineFixtures.run(apps.filter(col("year").equals(.integer(2020))).pivot(spec))
    #expect(rows == [[vi(1), vi(10), vi(7), vnull], [vi(2), vi(4), vnull, vnull], [vi(5), vi(20), vnull, vi(5)]])
    let counts = PivotSpec(keys: [], column: "province", aggregate: .aggregate(.count, []),
                           values: [PivotValue(.text("宁夏回族自治区")), PivotValue(.text("甘肃省")), PivotValue(.text("西藏"))])
    #expect(try EngineFixtures.run(apps.pivot(counts)) == [[vi(5), vi(3), vi(0)]])
}

@Test func engineExpressionKernelsFollowSQLNullRules() throws {
    let s = Schema([Field("p", .bool), Field("q", .bool), Field("x", .integer)])
    let rows: [[Value]] = [[vb(true), vnull, vi(1)], [vb(false), vnull, vi(2)], [vnull, vnull, vnull], [vb(true), vb(false), vi(3)]]
    let catalog = InMemoryCatalog(tables: ["t": try Batch(schema: s, rows: rows)])
    let plan = LogicalPlan.scan("t", s).select([
        NamedExpr("and", col("p").and(col("q"))), NamedExpr("or", col("p").or(col("q"))), NamedExpr("not", .unary(.not, col("p"))),
        NamedExpr("in", .inList(col("x"), [.integer(1), .null], negated: false)),
        NamedExpr("notin", .inList(col("x"), [.integer(3)], negated: true)),
        NamedExpr("isnull", .isNull(col("x"), negated: false)),
        NamedExpr("co", .call(.coalesce, [col("x"), .integer(-1)])),
        NamedExpr("if", .call(.if, [col("p"), .text("yes"), .text("no")])),
    ])
    #expect(try Executor(catalog: catalog).run(plan).rows == [
        [vnull, vb(true), vb(false), vb(true), vb(true), vb(false), vi(1), vt("yes")],
        [vb(false), vnull, vb(true), vnull, vb(true), vb(false), vi(2), vt("no")],
        [vnull, vnull, vnull, vnull, vnull, vb(true), vi(-1), vt("no")],
        [vb(false), vb(true), vb(false), vnull, vb(false), vb(false), vi(3), vt("yes")],
    ])
}

@Test func engineTextFunctionsOnChinese() throws {
    let rows = try EngineFixtures.run(apps.take(1).select([
        NamedExpr("len", .call(.length, [col("province")])),
        NamedExpr("has", .call(.contains, [col("province"), .text("回族")])),
        NamedExpr("starts", .call(.startsWith, [col("province"), .text("宁夏")])),
        NamedExpr("ends", .call(.endsWith, [col("county"), .text("区")])),
        NamedExpr("cat", .call(.concat, [col("county"), .text("·"), col("applicant")])),
        NamedExpr("abs", .call(.abs, [.integer(0) - col("fee")])),
    ]))
    #expect(rows == [[vi(7), vb(true), vb(true), vb(true), vt("兴庆区·total"), vd("1.5")]])
}

@Test func engineParallelChunksGiveTheSameResultAsOneThread() throws {
    let s = Schema([Field("g", .integer), Field("v", .integer), Field("m", .decimal), Field("s", .text)])
    var rows: [[Value]] = []
    var rng = SplitMix(state: 99)
    for n in 0..<60_000 {
        rows.append([vi(Int64(rng.int(0...40))), rng.chance(0.1) ? vnull : vi(Int64(rng.int(-1000...1000))),
                     vd("\(rng.int(-500...500)).\(rng.int(0...99))"), vt(["甲", "乙", "丙", "\(n % 7)"][n % 4])])
    }
    let catalog = InMemoryCatalog(tables: ["t": try Batch(schema: s, rows: rows)])
    let plan = LogicalPlan.scan("t", s)
        .filter(col("v").greater(.integer(-900)))
        .derive([NamedExpr("w", col("v") * col("m"))])
        .aggregate(keys: ["g", "s"], [
            NamedExpr("n", .aggregate(.count, [])), NamedExpr("sv", .aggregate(.sum, [col("v")])), NamedExpr("sw", .aggregate(.sum, [col("w")])),
            NamedExpr("avg", .aggregate(.avg, [col("m")])), NamedExpr("mx", .aggregate(.max, [col("s")])),
            NamedExpr("med", .aggregate(.median, [col("v")])), NamedExpr("cd", .aggregate(.countDistinct, [col("v")])),
        ])
        .sort([SortKey("g"), SortKey("s")])
    let parallel = try Executor(catalog: catalog, parallel: true, chunkSize: 4096).run(plan).rows
    let serial = try Executor(catalog: catalog, parallel: false, chunkSize: 1_000_000).run(plan).rows
    #expect(parallel.count == 41 * 10 || parallel.count > 100)
    #expect(parallel == serial)
}

@Test func engineCancellationStopsTheQuery() {
    let executor = Executor(catalog: EngineFixtures.catalog, isCancelled: { true })
    do {
        _ = try executor.run(apps)
        Issue.record("expected cancellation")
    } catch let e as QueryError {
        #expect(e.kind == .cancelled)
    } catch { Issue.record("\(error)") }
}

@Test func engineCatalogMismatchesAreErrors() {
    #expect(throws: QueryError.self) { try EngineFixtures.run(.scan("nope", EngineFixtures.reportsSchema)) }
    let wrongType = Schema([Field("report_id", .text)])
    #expect(throws: QueryError.self) { try EngineFixtures.run(.scan("reports", wrongType)) }
    #expect(throws: QueryError.self) { try Batch(schema: EngineFixtures.reportsSchema, rows: [[vi(1)]]) }
    #expect(throws: QueryError.self) { try Batch(schema: EngineFixtures.reportsSchema, rows: [[vt("x"), vt("y"), vt("z")]]) }
}

@Test func engineResultTableReadsByRowAndColumn() throws {
    let r = try Executor(catalog: EngineFixtures.catalog).run(EngineFixtures.reports.take(2))
    #expect(r.rowCount == 2)
    #expect(r.value(row: 1, column: 1) == vt("金凤区人民政府"))
    #expect(r.value(row: 0, column: "generation") == vt("2019"))
    #expect(r.value(row: 0, column: "nope") == nil)
    #expect(r.column(named: "report_id")?.values == [vi(1), vi(2)])
}

@Test func engineHugeTakeAndOffsetDoNotOverflow() throws {
    #expect(try EngineFixtures.run(apps.take(Int.max, offset: 7)).count == 1)
    #expect(try EngineFixtures.query("from applications | take 9223372036854775807 offset:1").rowCount == 7)
    #expect(EngineFixtures.diagnostics("from applications | take 99999999999999999999") != nil)
}
