import GRDB
import Testing
@testable import GongkaiCore

/// `percent_rank()` and `partition_size()`: the ranking helpers of the language, with ties,
/// nulls and a half-way rounding case, in the engine and in the SQL it compiles to.
@Suite struct RankingWindowTests {
    static let schema = Schema([Field("agency", .text), Field("province", .text), Field("rate", .integer)])

    static func run(_ rows: [[Value]], _ pipeline: String) throws -> (engine: [[Value]], sql: [[Value]]) {
        let catalog = InMemoryCatalog(tables: ["t": try Batch(schema: schema, rows: rows)])
        let plan = try Query.compile(pipeline, catalog: catalog).get()
        let engine = try Executor(catalog: catalog).run(Optimizer.default.optimize(plan)).rows
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (agency TEXT, province TEXT, rate INTEGER)")
            for r in rows {
                let args: [(any DatabaseValueConvertible)?] = r.map { v in
                    switch v {
                    case .integer(let x): x
                    case .text(let s): s
                    default: nil
                    }
                }
                try db.execute(sql: "INSERT INTO t VALUES (?, ?, ?)", arguments: StatementArguments(args))
            }
        }
        let sql = try DifferentialData.fetch(db, try SQLCompiler().compile(Optimizer.default.optimize(plan)))
        return (engine, sql)
    }

    @Test func tiesShareARankAndThePercentileCountsTheCohort() throws {
        let rows: [[Value]] = [
            [.text("a"), .text("福建省"), .integer(10)], [.text("b"), .text("福建省"), .integer(30)],
            [.text("c"), .text("福建省"), .integer(10)], [.text("d"), .text("福建省"), .integer(5)],
            [.text("e"), .text("福建省"), .null], [.text("f"), .text("上海市"), .integer(1)],
        ]
        let q = """
            from t | where rate is not null
            | window by:province sort:-rate {rank = rank(), below = percent_rank(), size = partition_size()}
            | derive percentile = 1 - below
            | select {agency, rank, percentile, size}
            | sort agency
            """
        let (engine, sql) = try Self.run(rows, q)
        #expect(engine == [
            [.text("a"), .integer(2), .decimal(Quantity("0.666667")!), .integer(4)],
            [.text("b"), .integer(1), .decimal(Quantity("1")!), .integer(4)],
            [.text("c"), .integer(2), .decimal(Quantity("0.666667")!), .integer(4)],
            [.text("d"), .integer(4), .decimal(Quantity("0")!), .integer(4)],
            [.text("f"), .integer(1), .decimal(Quantity("1")!), .integer(1)],
        ])
        #expect(sql == engine)
    }

    @Test func percentRankRoundsHalfEvenLikeDivision() throws {
        // 129 rows: the second has percent_rank 1/128 = 0.0078125, exactly half-way at six places.
        let rows: [[Value]] = (0..<129).map { [.text("x\($0)"), .text("p"), .integer(Int64(1000 - $0))] }
        let (engine, sql) = try Self.run(rows, "from t | window sort:-rate {p = percent_rank(), n = partition_size()} | where rate == 999 | select {p, n}")
        #expect(engine == [[.decimal(Quantity("0.007812")!), .integer(129)]])
        #expect(sql == engine)
    }

    @Test func windowFunctionsTakeNoArguments() {
        let catalog = InMemoryCatalog(tables: ["t": try! Batch(schema: Self.schema, rows: [])])
        guard case .failure(let d) = Query.compile("from t | window {p = percent_rank(rate)}", catalog: catalog) else {
            Issue.record("expected an error"); return
        }
        #expect(d.rendered.contains("percent_rank"))
    }
}
