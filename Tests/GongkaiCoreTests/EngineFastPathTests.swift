import Testing
@testable import GongkaiCore

/// The engine's shortcuts — aggregates read straight from a filtered table (directly
/// addressed or not), `sort | take` through a bounded heap, window partitions placed by
/// counting, medians by selection — must give exactly what the general operators give.
@Suite("Engine fast paths")
struct EngineFastPathTests {
    static let schema = Schema([
        Field("id", .integer), Field("year", .integer), Field("flag", .bool), Field("region", .text),
        Field("amount", .integer), Field("fee", .decimal),
    ])

    /// 3,000 rows with nulls in every column but `id`, regions repeating, `id` spread wide.
    static func table(coded: Bool) throws -> Batch {
        var rng = SplitMix(state: 11)
        let regions = ["宁夏", "甘肃", "ae\u{301}", "aé", "青海"]
        let rows: [[Value]] = (0..<3_000).map { i in
            [.integer(Int64(i) * 1_000_003),
             rng.chance(0.1) ? .null : .integer(Int64(2019 + rng.int(0...4))),
             rng.chance(0.1) ? .null : .bool(rng.chance(0.5)),
             rng.chance(0.1) ? .null : .text(rng.pick(regions)),
             rng.chance(0.1) ? .null : .integer(Int64(rng.int(-50...500))),
             rng.chance(0.1) ? .null : .decimal(Quantity(mantissa: Int64(rng.int(-999...999)), scale: 2))]
        }
        let b = try Batch(schema: schema, rows: rows)
        return coded ? try Batch(schema: schema, columns: b.columns.map { $0.dictionaryEncoded() }) : b
    }

    static let values: [NamedExpr] = [
        NamedExpr("n", .aggregate(.count, [])), NamedExpr("amounts", .aggregate(.count, [.column("amount")])),
        NamedExpr("total", .aggregate(.sum, [.column("amount")])), NamedExpr("doubled", .aggregate(.sum, [.binary(.multiply, .column("amount"), .literal(.integer(2)))])),
        NamedExpr("fees", .aggregate(.sum, [.column("fee")])), NamedExpr("low", .aggregate(.min, [.column("region")])),
        NamedExpr("median", .aggregate(.median, [.column("amount")])), NamedExpr("kinds", .aggregate(.countDistinct, [.column("region")])),
    ]

    static let predicates: [Expr] = [
        .binary(.greaterEqual, .column("year"), .literal(.integer(2021))),
        .binary(.and, .binary(.equal, .column("region"), .literal(.text("宁夏"))), .isNull(.column("flag"), negated: true)),
        .binary(.and, .inList(.column("region"), [.literal(.text("aé")), .literal(.text("青海"))], negated: false),
                .binary(.greater, .binary(.add, .column("amount"), .literal(.integer(1))), .literal(.integer(100)))),
        .binary(.or, .isNull(.column("year"), negated: false), .call(.contains, [.column("region"), .literal(.text("甘"))])),
    ]

    /// The same aggregate with a no-op derive between filter and scan, which the executor
    /// runs through the general chunk-by-chunk operators.
    static func general(_ plan: LogicalPlan) -> LogicalPlan {
        guard case .aggregate(.filter(let scan, let p), let keys, let values) = plan else { return plan }
        return .aggregate(.filter(.derive(scan, [NamedExpr("id", .column("id"))]), predicate: p), keys: keys, values: values)
    }

    @Test("an aggregate read straight from a filtered table gives the general operators' rows, in their order",
          arguments: [["region", "year", "flag"], ["year"], [], ["id"], ["region", "id"]])
    func aggregateOverScanMatches(keys: [String]) throws {
        for coded in [false, true] {
            let catalog = InMemoryCatalog(tables: ["t": try Self.table(coded: coded)])
            for predicate in Self.predicates {
                let plan = LogicalPlan.aggregate(.filter(.scan("t", Self.schema), predicate: predicate), keys: keys, values: Self.values)
                let expected = try Executor(catalog: catalog, parallel: false).run(Self.general(plan)).rows
                for executor in [Executor(catalog: catalog), Executor(catalog: catalog, chunkSize: 64), Executor(catalog: catalog, parallel: false, chunkSize: 100)] {
                    #expect(try executor.run(plan).rows.map { $0.map { (v: Value) in v.literalText } } == expected.map { $0.map { (v: Value) in v.literalText } },
                            "keys \(keys), coded \(coded), \(predicate)")
                }
            }
        }
    }

    @Test("grouping a filtered table: groups in order of first appearance, null keys together, sums exact")
    func aggregateOverScanExactValues() throws {
        let r = try EngineFixtures.query("""
            from applications | where year == 2020 or county is null
            | group {province, county} (aggregate {n = count(), received = sum(new_received), denied = sum(denied_total)})
            """)
        #expect(r.rows == [
            [.text("宁夏回族自治区"), .text("兴庆区"), .integer(2), .integer(17), .integer(3)],
            [.text("宁夏回族自治区"), .text("金凤区"), .integer(1), .integer(4), .integer(0)],
            [.text("甘肃省"), .text("城关区"), .integer(2), .integer(25), .integer(1)],
            [.text("甘肃省"), .null, .integer(1), .null, .integer(4)],
        ])
    }

    @Test("sort then take keeps a heap of the first rows: the same rows as sorting everything, ties in input order")
    func topRowsMatchFullSort() throws {
        for coded in [false, true] {
            let catalog = InMemoryCatalog(tables: ["t": try Self.table(coded: coded)])
            for keys in [[SortKey("year", descending: true)], [SortKey("region"), SortKey("amount", descending: true)], [SortKey("fee")], [SortKey("flag")]] {
                let sorted = LogicalPlan.sort(.scan("t", Self.schema), keys)
                let all = try Executor(catalog: catalog).run(sorted).rows
                for (count, offset) in [(0, 0), (1, 0), (7, 3), (100, 0), (2_999, 0), (3_000, 0), (5, 2_998), (10, 5_000)] {
                    let top = try Executor(catalog: catalog).run(.take(sorted, count: count, offset: offset)).rows
                    let expected = Array(all.dropFirst(offset).prefix(count))
                    #expect(top.map { $0.map { (v: Value) in v.literalText } } == expected.map { $0.map { (v: Value) in v.literalText } }, "\(keys) take \(count) offset \(offset)")
                }
            }
        }
    }

    @Test("medians and quantiles of integers by selection equal the sorted order statistics")
    func orderStatisticsMatchSorting() {
        var rng = SplitMix(state: 5)
        for size in [1, 2, 3, 10, 101, 1_000] {
            for spread in [1, 5, 1_000_000] {
                let values = (0..<size).map { _ in Int64(rng.int(-spread...spread)) }
                let sorted = values.sorted()
                for k in [0, size / 2, size - 1, rng.int(0...(size - 1))] {
                    var stats = OrderStatistics(values)
                    #expect(stats[k] == sorted[k])
                    if k + 1 < size { #expect(stats[k + 1] == sorted[k + 1]) }
                }
            }
        }
        // Already sorted and all-equal inputs take the same path as random ones.
        var ascending = OrderStatistics(Array(0..<5_000))
        #expect(ascending[2_499] == 2_499 && ascending[2_500] == 2_500)
        var equal = OrderStatistics([Int64](repeating: 7, count: 4_001))
        #expect(equal[2_000] == 7)
    }

    @Test("the integer group table numbers keys by first appearance, Int64.min and growth included")
    func groupTableNumbersByFirstAppearance() {
        var rng = SplitMix(state: 17)
        let keys: [Int64] = (0..<20_000).map { _ in
            switch rng.int(0...3) {
            case 0: return .min
            case 1: return .max
            case 2: return Int64(rng.int(-5...5)) << 40
            default: return Int64(rng.int(-3_000...3_000))
            }
        }
        var expected: [Int64: Int32] = [:]
        let want = keys.map { k in
            if let g = expected[k] { return g }
            expected[k] = Int32(expected.count)
            return Int32(expected.count - 1)
        }
        var table = GroupTable(expected: 4)
        #expect(table.groups(keys) == want)
        #expect(table.count == expected.count)
        #expect(table.existing(.min) == expected[.min] && table.existing(42_424_242) == nil)
    }
}
