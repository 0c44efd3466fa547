import GRDB
import Testing
@testable import GongkaiCore

private func col(_ n: String) -> Expr { .column(n) }

@Test func sqlCompilerEmitsOneSelectPerOperator() throws {
    let plan = EngineFixtures.reports.filter(col("report_id").greater(.integer(2)))
        .select([NamedExpr("agency", col("agency"))]).sort([SortKey("agency", descending: true)]).take(2)
    let scan = "SELECT \"report_id\", \"agency\", \"generation\" FROM \"reports\""
    let filter = "SELECT t1.\"report_id\" AS \"report_id\", t1.\"agency\" AS \"agency\", t1.\"generation\" AS \"generation\" FROM (\(scan)) AS t1 WHERE (t1.\"report_id\" > 2)"
    let select = "SELECT t2.\"agency\" AS \"agency\" FROM (\(filter)) AS t2"
    let sort = "SELECT t3.\"agency\" AS \"agency\" FROM (\(select)) AS t3 ORDER BY t3.\"agency\" IS NULL, t3.\"agency\" DESC"
    let take = "SELECT t4.\"agency\" AS \"agency\" FROM (\(sort)) AS t4 ORDER BY t4.\"agency\" IS NULL, t4.\"agency\" DESC LIMIT 2 OFFSET 0"
    #expect(try SQLCompiler.compile(plan) == take)
}

@Test func sqlCompilerQuotesNamesAndText() throws {
    let s = Schema([Field("a \"b\"", .text)])
    let plan = LogicalPlan.scan("t'x", s).filter(col("a \"b\"").equals(.text("it's 宁夏")))
    let sql = try SQLCompiler.compile(plan)
    #expect(sql.contains("FROM \"t'x\""))
    #expect(sql.contains("t1.\"a \"\"b\"\"\" = 'it''s 宁夏'"))
}

@Test func sqlCompilerTracksDecimalScales() throws {
    let plan = EngineFixtures.applications.aggregate(keys: ["county"], [
        NamedExpr("fees", .aggregate(.sum, [col("fee")])),
        NamedExpr("avg", .aggregate(.avg, [col("fee")])),
        NamedExpr("sq", .aggregate(.max, [col("fee") * col("fee")])),
        NamedExpr("n", .aggregate(.count, [])),
    ])
    let compiled = try SQLCompiler(options: .init(decimalScale: 2)).compile(plan)
    #expect(compiled.columns.map(\.decimalScale) == [0, 2, 6, 4, 0])
    #expect(compiled.columns[1].decode(integer: 1234) == .decimal(Quantity("12.34")!))
    #expect(compiled.columns[4].decode(integer: nil) == .null)
    #expect(compiled.sql.contains("GROUP BY"))
}

@Test func sqlCompilerRejectsMedianAndQuantile() {
    for f in [AggregateFunction.median, .quantile] {
        let args: [Expr] = f == .median ? [col("fee")] : [col("fee"), .decimal("0.5")]
        do {
            _ = try SQLCompiler.compile(EngineFixtures.applications.aggregate([NamedExpr("m", .aggregate(f, args))]))
            Issue.record("expected unsupported")
        } catch let e as QueryError {
            #expect(e.kind == .unsupported)
        } catch { Issue.record("\(error)") }
    }
}

@Test func sqlCompilerDivisionRoundsLikeTheEngine() throws {
    // Half-way cases at the 6th decimal, both signs, and division by zero.
    let s = Schema([Field("n", .integer), Field("d", .integer)])
    let rows: [[Value]] = [[vi(1), vi(8_000_000)], [vi(3), vi(8_000_000)], [vi(-1), vi(8_000_000)], [vi(-3), vi(8_000_000)],
                           [vi(2), vi(3)], [vi(-2), vi(3)], [vi(5), vi(0)], [vnull, vi(2)], [vi(7), vnull]]
    let catalog = InMemoryCatalog(tables: ["t": try Batch(schema: s, rows: rows)])
    let plan = LogicalPlan.scan("t", s).select([NamedExpr("q", col("n") / col("d"))])
    let engine = try Executor(catalog: catalog).run(plan).rows
    #expect(engine == [[vd("0")], [vd("0")], [vd("0")], [vd("0")], [vd("0.666667")], [vd("-0.666667")], [vnull], [vnull], [vnull]])
    let bigger = LogicalPlan.scan("t", s).select([NamedExpr("q", (col("n") * .integer(1_000_000)) / col("d"))])
    #expect(try Executor(catalog: catalog).run(bigger).rows.map { $0[0] } == [vd("0.125"), vd("0.375"), vd("-0.125"), vd("-0.375"), vd("666666.666667"), vd("-666666.666667"), vnull, vnull, vnull])
    let db = try DatabaseQueue()
    try db.write { db in
        try db.execute(sql: "CREATE TABLE t (n INTEGER, d INTEGER)")
        for r in rows {
            let args: [(any DatabaseValueConvertible)?] = r.map { if case .integer(let x) = $0 { x } else { nil } }
            try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: StatementArguments(args))
        }
    }
    for p in [plan, bigger] {
        let compiled = try SQLCompiler().compile(p)
        #expect(try DifferentialData.fetch(db, compiled) == Executor(catalog: catalog).run(p).rows)
    }
}

@Test func sqlCompilerRunsLanguageQueriesOnSQLite() throws {
    let db = try DatabaseQueue()
    try db.write { db in
        for (name, schema, rows) in [("applications", EngineFixtures.applicationsSchema, EngineFixtures.applicationsRows), ("reports", EngineFixtures.reportsSchema, EngineFixtures.reportsRows)] {
            try db.execute(sql: "CREATE TABLE \(name) (" + schema.fields.map { "\"\($0.name)\" \($0.type == .text ? "TEXT" : "INTEGER")" }.joined(separator: ", ") + ")")
            for r in rows {
                let args: [(any DatabaseValueConvertible)?] = r.map { v in
                    switch v {
                    case .integer(let x): x
                    case .text(let s): s
                    case .decimal(let q): q.mantissa(atScale: 4)
                    case .bool(let b): b ? 1 : 0
                    case .null: nil
                    }
                }
                try db.execute(sql: "INSERT INTO \(name) VALUES (" + schema.fields.map { _ in "?" }.joined(separator: ", ") + ")", arguments: StatementArguments(args))
            }
        }
    }
    let queries = [
        """
        from applications
        | where year == 2020 and province == "宁夏回族自治区" and applicant == "total"
        | group county (aggregate {received = sum(new_received), denied = sum(denied_total)})
        | derive denial_rate = denied / received
        | sort -denial_rate
        | take 10
        """,
        "from applications | group province (aggregate {r = total_denial_rate, avg_fee = avg(fee), n = count_distinct(county)}) | sort province",
        "from applications | join side:left reports (report_id) | window by:county sort:{year, applicant} {prev = lag(new_received), r = rank()} | sort report_id, applicant",
        "from applications | pivot by:report_id applicant (sum(fee)) columns [\"total\", \"commercial\"] | sort report_id",
    ]
    for q in queries {
        let plan = try Query.compile(q, catalog: EngineFixtures.catalog).get()
        let compiled = try SQLCompiler().compile(Optimizer.default.optimize(plan))
        let sqlRows = try DifferentialData.fetch(db, compiled)
        #expect(sqlRows == (try EngineFixtures.run(plan)), "\(q)")
        #expect(!sqlRows.isEmpty)
    }
}
