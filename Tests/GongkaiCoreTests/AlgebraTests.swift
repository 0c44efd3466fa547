import Testing
@testable import GongkaiCore

// MARK: - Quantity arithmetic

@Test func algebraQuantityAddSubtractMultiplyAreExact() throws {
    let a = Quantity("1.5")!, b = Quantity("2.25")!
    #expect(try a.adding(b) == Quantity("3.75")!)
    #expect(try a.subtracting(b) == Quantity("-0.75")!)
    #expect(try a.multiplied(by: b) == Quantity("3.375")!)
}

@Test func algebraQuantityOverflowThrowsInsteadOfWrapping() {
    #expect(throws: QueryError.self) { try Quantity(mantissa: Int64.max).adding(Quantity(1)) }
    #expect(throws: QueryError.self) { try Quantity(mantissa: Int64.min).subtracting(Quantity(1)) }
    #expect(throws: QueryError.self) { try Quantity(mantissa: Int64.max / 2).multiplied(by: Quantity(3)) }
    #expect(throws: QueryError.self) { try Quantity(mantissa: Int64.min).negated() }
    #expect(throws: QueryError.self) { try Quantity(mantissa: Int64.max).divided(by: Quantity(1)) }
}

@Test func algebraQuantityDivisionRoundsHalfEvenAtSixPlaces() throws {
    #expect(try Quantity(1).divided(by: Quantity(3)) == Quantity("0.333333")!)
    #expect(try Quantity(2).divided(by: Quantity(3)) == Quantity("0.666667")!)
    #expect(try Quantity(-2).divided(by: Quantity(3)) == Quantity("-0.666667")!)
    #expect(try Quantity(1).divided(by: Quantity(7)) == Quantity("0.142857")!)
    #expect(try Quantity("0.125")!.divided(by: Quantity(1), scale: 2) == Quantity("0.12")!)
    #expect(try Quantity("0.135")!.divided(by: Quantity(1), scale: 2) == Quantity("0.14")!)
    #expect(try Quantity("-0.125")!.divided(by: Quantity(1), scale: 2) == Quantity("-0.12")!)
    #expect(try Quantity("-0.135")!.divided(by: Quantity(1), scale: 2) == Quantity("-0.14")!)
    #expect(try Quantity("7.5")!.divided(by: Quantity("-0.25")!) == Quantity(-30))
    #expect(try Quantity(5).divided(by: .zero) == nil)
    #expect(try Quantity.zero.divided(by: Quantity(3)) == .zero)
    #expect(try Quantity(mantissa: 1, scale: 10).divided(by: Quantity(1))?.mantissa == 0)
}

@Test func algebraQuantityCompareNeverOverflows() {
    let huge = Quantity(mantissa: Int64.max), tiny = Quantity(mantissa: 1, scale: 18)
    #expect(Quantity.compare(huge, tiny) == 1)
    #expect(Quantity.compare(tiny, huge) == -1)
    #expect(Quantity.compare(Quantity(mantissa: Int64.min), tiny) == -1)
    #expect(Quantity.compare(Quantity("2.50")!, Quantity("2.5")!) == 0)
}

// MARK: - Typing

@Test func algebraTypingFollowsTheNumericRules() throws {
    let s = EngineFixtures.applicationsSchema
    func type(_ e: Expr, _ ctx: ExprContext = .row) throws -> DataType { try ExprTyping.type(of: e, in: s, context: ctx) }
    #expect(try type(.column("year") + .integer(1)) == .integer)
    #expect(try type(.column("year") + .column("fee")) == .decimal)
    #expect(try type(.column("year") / .integer(2)) == .decimal)
    #expect(try type(.binary(.integerDivide, .column("year"), .integer(2))) == .integer)
    #expect(try type(.column("county").equals(.text("x"))) == .bool)
    #expect(try type(.call(.length, [.column("province")])) == .integer)
    #expect(try type(.call(.coalesce, [.column("new_received"), .column("fee")])) == .decimal)
    #expect(try type(.aggregate(.avg, [.column("new_received")]), .aggregate(groupKeys: [])) == .decimal)
    #expect(try type(.aggregate(.sum, [.column("new_received")]), .aggregate(groupKeys: [])) == .integer)
    #expect(try type(.null) == .integer)
}

@Test func algebraTypingRejectsIllTypedExpressions() {
    let s = EngineFixtures.applicationsSchema
    func fails(_ e: Expr, _ ctx: ExprContext = .row, _ kind: QueryError.Kind) {
        #expect(throws: QueryError.self) { try ExprTyping.type(of: e, in: s, context: ctx) }
        do { _ = try ExprTyping.type(of: e, in: s, context: ctx) } catch let err as QueryError { #expect(err.kind == kind, "\(err)") } catch {}
    }
    fails(.column("county") + .integer(1), .row, .type)
    fails(.column("county").equals(.integer(1)), .row, .type)
    fails(.binary(.integerDivide, .column("fee"), .integer(2)), .row, .type)
    fails(.column("recieved"), .row, .unknownColumn)
    fails(.aggregate(.sum, [.column("new_received")]), .row, .invalidPlan)
    fails(.aggregate(.sum, [.column("new_received")]) + .column("year"), .aggregate(groupKeys: ["county"]), .invalidPlan)
    fails(.aggregate(.sum, [.aggregate(.sum, [.column("year")])]), .aggregate(groupKeys: []), .invalidPlan)
    fails(.aggregate(.quantile, [.column("year"), .decimal("1.5")]), .aggregate(groupKeys: []), .type)
    fails(.window(.lag, [.column("year")]), .row, .invalidPlan)
    fails(.call(.contains, [.column("county")]), .row, .type)
}

@Test func algebraUnknownColumnSuggestsTheClosestName() {
    do {
        _ = try ExprTyping.type(of: .column("new_recieved"), in: EngineFixtures.applicationsSchema)
        Issue.record("expected an error")
    } catch let e as QueryError {
        #expect(e.help == "did you mean \"new_received\"?")
    } catch { Issue.record("unexpected \(error)") }
}

// MARK: - Scalar semantics

@Test func algebraThreeValuedLogic() throws {
    let T = Expr.bool(true), F = Expr.bool(false), N = Expr.null
    func ev(_ e: Expr) throws -> Value { try ScalarOps.evaluate(e, { _ in nil }) }
    #expect(try ev(T.and(N)) == .null)
    #expect(try ev(F.and(N)) == .bool(false))
    #expect(try ev(T.or(N)) == .bool(true))
    #expect(try ev(F.or(N)) == .null)
    #expect(try ev(.unary(.not, N)) == .null)
    #expect(try ev(.inList(.integer(1), [.integer(1), .null], negated: false)) == .bool(true))
    #expect(try ev(.inList(.integer(2), [.integer(1), .null], negated: false)) == .null)
    #expect(try ev(.inList(.integer(2), [.integer(1)], negated: true)) == .bool(true))
    #expect(try ev(.inList(.null, [.integer(1)], negated: false)) == .null)
    #expect(try ev(.integer(5) / .integer(0)) == .null)
    #expect(try ev(.binary(.integerDivide, .integer(-7), .integer(2))) == .integer(-3))
    #expect(try ev(.binary(.remainder, .integer(-7), .integer(2))) == .integer(-1))
    #expect(try ev(.binary(.remainder, .integer(7), .integer(0))) == .null)
    #expect(throws: QueryError.self) { try ev(.integer(Int64.max) + .integer(1)) }
}

@Test func algebraTextFunctionsWorkOnChineseAndCompareBytewise() {
    #expect(ScalarOps.length("宁夏回族自治区") == 7)
    #expect(ScalarOps.contains("宁夏回族自治区", "回族"))
    #expect(!ScalarOps.contains("宁夏", "夏宁"))
    #expect(ScalarOps.contains("宁夏", ""))
    #expect(ScalarOps.startsWith("宁夏回族自治区", "宁夏"))
    #expect(ScalarOps.endsWith("宁夏回族自治区", "自治区"))
    #expect(!ScalarOps.endsWith("区", "自治区"))
    #expect(ScalarOps.textCompare("Z", "a") < 0)
    #expect(ScalarOps.textCompare("a", "é") < 0)
    #expect(ScalarOps.textCompare("兴庆区", "城关区") < 0)
    #expect(ScalarOps.textCompare("ab", "abc") < 0)
    // Canonically equivalent but byte-different texts are different (binary collation).
    #expect(!ScalarOps.textEqual("\u{E9}", "e\u{301}"))
}

// MARK: - Plan schemas

@Test func algebraPlanSchemasAreKnownBeforeRunning() throws {
    let a = EngineFixtures.applications
    let agg = a.aggregate(keys: ["county"], [NamedExpr("n", .aggregate(.count, [])), NamedExpr("fee", .aggregate(.avg, [.column("fee")]))])
    #expect(try agg.schema() == Schema([Field("county", .text), Field("n", .integer), Field("fee", .decimal)]))
    let win = a.window(partition: ["county"], order: [SortKey("year")], [NamedExpr("prev", .window(.lag, [.column("fee")]))])
    #expect(try win.schema().fields.last == Field("prev", .decimal))
    let piv = a.pivot(PivotSpec(keys: ["report_id"], column: "applicant", aggregate: .aggregate(.sum, [.column("new_received")]),
                                values: [PivotValue(.text("total")), PivotValue(.text("commercial"), name: "biz")]))
    #expect(try piv.schema() == Schema([Field("report_id", .integer), Field("total", .integer), Field("biz", .integer)]))
    let join = a.join(EngineFixtures.reports, kind: .left, on: [JoinKey("report_id")])
    #expect(try join.schema().names == EngineFixtures.applicationsSchema.names + ["agency", "generation"])
}

@Test func algebraInvalidPlansAreErrorsNotCrashes() {
    let a = EngineFixtures.applications
    let bad: [LogicalPlan] = [
        a.join(a, on: [JoinKey("report_id")]),                                   // duplicate columns
        a.union(EngineFixtures.reports),                                                // different columns
        a.sort([SortKey("nope")]),
        a.take(-1),
        a.aggregate(keys: ["county", "county"], [NamedExpr("n", .aggregate(.count, []))]),
        a.window([NamedExpr("x", .column("year"))]),                              // not a window call
        a.filter(.column("year")),                                                // not a bool
        a.join(EngineFixtures.reports, on: [JoinKey("county", "report_id")]),           // text vs integer key
        a.aggregate(keys: [], []),
        a.select([]),
    ]
    for p in bad {
        #expect(throws: QueryError.self) { try p.schema() }
        #expect(throws: QueryError.self) { try Executor(catalog: EngineFixtures.catalog).run(p) }
    }
}

@Test func algebraExpressionsPrintAsParseableLanguage() throws {
    let exprs: [Expr] = [
        (.column("a") + .column("b")) * .integer(2),
        .column("a") - (.column("b") - .column("c")),
        .unary(.not, .column("x").equals(.text("宁\"夏"))).and(.isNull(.column("y"), negated: true)),
        .inList(.column("year"), [.integer(2020), .integer(-1)], negated: true),
        .call(.if, [.column("f").or(.bool(false)), .decimal("1.50"), .null]),
        .column("2020") / .column("new received"),
    ]
    let schema = Schema([Field("a", .integer), Field("b", .integer), Field("c", .integer), Field("x", .text), Field("y", .integer),
                         Field("year", .integer), Field("f", .bool), Field("2020", .integer), Field("new received", .integer)])
    for e in exprs {
        let back = Query.compileExpression(e.description, schema: schema, catalog: InMemoryCatalog(tables: [:]))
        #expect((try? back.get()) == e, "\(e)")
    }
    let parsed = try Query.compileExpression("(a + b) * 2", schema: schema, catalog: InMemoryCatalog(tables: [:])).get()
    #expect(parsed == (.column("a") + .column("b")) * .integer(2))
}
