import Foundation
import GRDB
import Testing
@testable import GongkaiCore

/// Deterministic random numbers (SplitMix64) so a failing pipeline can be reproduced by seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
}

/// The generated database: the same rows in an ``InMemoryCatalog`` and in SQLite.
enum DifferentialData {
    static let texts = ["甲", "乙", "宁夏回族自治区", "兴庆区", "abc", "ab", "", "Zeta", "区县", "aé", "ae\u{301}"]

    static let aSchema = Schema([
        Field("id", .integer), Field("g", .text), Field("k", .integer), Field("x", .integer),
        Field("y", .decimal), Field("s", .text), Field("f", .bool),
    ])
    static let bSchema = Schema([Field("k", .integer), Field("bname", .text), Field("w", .decimal), Field("z", .integer)])

    static func rows(seed: UInt64) -> (a: [[Value]], b: [[Value]]) {
        var rng = SplitMix(state: seed)
        func maybe(_ v: Value) -> Value { rng.chance(0.15) ? .null : v }
        func dec() -> Value { .decimal(Quantity(mantissa: Int64(rng.int(-9999...9999)), scale: rng.int(0...2))) }
        var a: [[Value]] = []
        for id in 1...60 {
            let g = maybe(.text(rng.pick(["甲", "乙", "丙"])))
            let k = maybe(.integer(Int64(rng.int(0...6))))
            let x = maybe(.integer(Int64(rng.int(-50...50))))
            let y = maybe(dec())
            let s = maybe(.text(rng.pick(texts)))
            let f = maybe(.bool(rng.chance(0.5)))
            a.append([.integer(Int64(id)), g, k, x, y, s, f])
        }
        // A few exact duplicates (other than id) exercise ties.
        for j in 0..<4 { var r = a[j]; r[0] = .integer(Int64(61 + j)); a.append(r) }
        var b: [[Value]] = []
        for _ in 0..<14 {
            b.append([maybe(.integer(Int64(rng.int(0...8)))), maybe(.text(rng.pick(texts))), maybe(dec()), maybe(.integer(Int64(rng.int(-5...5))))])
        }
        return (a, b)
    }

    static func catalog(_ a: [[Value]], _ b: [[Value]]) throws -> InMemoryCatalog {
        InMemoryCatalog(tables: ["a": try Batch(schema: aSchema, rows: a), "b": try Batch(schema: bSchema, rows: b)])
    }

    /// The same tables with every text column carrying dictionary codes, as workspace
    /// columns do: the engine's dictionary shortcuts must give exactly the same rows.
    static func dictionaryCatalog(_ a: [[Value]], _ b: [[Value]]) throws -> InMemoryCatalog {
        func encoded(_ batch: Batch) throws -> Batch { try Batch(schema: batch.schema, columns: batch.columns.map { $0.dictionaryEncoded() }) }
        return InMemoryCatalog(tables: ["a": try encoded(Batch(schema: aSchema, rows: a)), "b": try encoded(Batch(schema: bSchema, rows: b))])
    }

    static func database(_ a: [[Value]], _ b: [[Value]], decimalScale: Int) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db in
            for (name, schema, rows) in [("a", aSchema, a), ("b", bSchema, b)] {
                let cols = schema.fields.map { "\"\($0.name)\" \($0.type == .text ? "TEXT" : "INTEGER")" }.joined(separator: ", ")
                try db.execute(sql: "CREATE TABLE \"\(name)\" (\(cols))")
                let marks = schema.fields.map { _ in "?" }.joined(separator: ", ")
                for r in rows {
                    let args: [(any DatabaseValueConvertible)?] = try r.map { v in
                        switch v {
                        case .null: return nil
                        case .integer(let x): return x
                        case .bool(let x): return x ? 1 : 0
                        case .text(let s): return s
                        case .decimal(let q):
                            guard let m = q.mantissa(atScale: decimalScale) else { throw QueryError(.overflow, "fixture decimal") }
                            return m
                        }
                    }
                    try db.execute(sql: "INSERT INTO \"\(name)\" VALUES (\(marks))", arguments: StatementArguments(args))
                }
            }
        }
        return db
    }

    /// Runs compiled SQL and decodes the rows with the column specs.
    static func fetch(_ db: DatabaseQueue, _ compiled: CompiledSQL) throws -> [[Value]] {
        try db.read { db in
            try GRDB.Row.fetchAll(db, sql: compiled.sql).map { row in
                try compiled.columns.enumerated().map { (j, c) -> Value in
                    let dbv: DatabaseValue = row[j]
                    switch dbv.storage {
                    case .null: return .null
                    case .int64(let x): return c.decode(integer: x)
                    case .string(let s): return c.type == .text ? .text(s) : .null
                    case .double(let x): throw QueryError(.type, "SQLite returned REAL \(x) for \(c.name) (integer overflow?)")
                    case .blob: throw QueryError(.type, "SQLite returned a blob")
                    }
                }
            }
        }
    }
}

/// Builds random well-typed plans over the generated tables.
struct PlanGenerator {
    var rng: SplitMix
    var fresh = 0

    mutating func name() -> String { fresh += 1; return "c\(fresh)" }

    func columns(_ s: Schema, _ t: DataType) -> [String] { s.fields.filter { $0.type == t }.map(\.name) }

    mutating func literal(_ t: DataType) -> Expr {
        switch t {
        case .integer: return .integer(Int64(rng.int(-20...20)))
        case .decimal: return .literal(.decimal(Quantity(mantissa: Int64(rng.int(-999...999)), scale: rng.int(0...2))))
        case .text: return .text(rng.pick(DifferentialData.texts))
        case .bool: return .bool(rng.chance(0.5))
        }
    }

    /// A random expression of type `t` over `s`; `depth` bounds nesting.
    mutating func expr(_ t: DataType, _ s: Schema, _ depth: Int) -> Expr {
        let cols = columns(s, t)
        if depth <= 0 || rng.chance(0.3) {
            if !cols.isEmpty && rng.chance(0.75) { return .column(rng.pick(cols)) }
            if rng.chance(0.05) { return .null }
            return literal(t)
        }
        switch t {
        case .integer:
            switch rng.int(0...8) {
            case 0: return expr(.integer, s, depth - 1) + expr(.integer, s, depth - 1)
            case 1: return expr(.integer, s, depth - 1) - expr(.integer, s, depth - 1)
            case 2: return expr(.integer, s, 0) * expr(.integer, s, 0)
            case 3: return .binary(.integerDivide, expr(.integer, s, depth - 1), expr(.integer, s, 0))
            case 4: return .binary(.remainder, expr(.integer, s, depth - 1), expr(.integer, s, 0))
            case 5: return .call(.length, [expr(.text, s, depth - 1)])
            case 6: return .call(.if, [expr(.bool, s, depth - 1), expr(.integer, s, depth - 1), expr(.integer, s, depth - 1)])
            case 7: return .call(.coalesce, [expr(.integer, s, depth - 1), expr(.integer, s, depth - 1)])
            default: return rng.chance(0.5) ? .call(.abs, [expr(.integer, s, depth - 1)]) : .unary(.negate, expr(.integer, s, depth - 1))
            }
        case .decimal:
            switch rng.int(0...7) {
            case 0: return expr(.decimal, s, depth - 1) + expr(rng.chance(0.5) ? .integer : .decimal, s, depth - 1)
            case 1: return expr(.integer, s, depth - 1) - expr(.decimal, s, depth - 1)
            case 2: return expr(.decimal, s, 0) * expr(rng.chance(0.5) ? .integer : .decimal, s, 0)
            case 3, 4: return expr(rng.chance(0.5) ? .integer : .decimal, s, 1) / expr(rng.chance(0.5) ? .integer : .decimal, s, 0)
            case 5: return .call(.coalesce, [expr(.decimal, s, depth - 1), expr(.integer, s, 0)])
            case 6: return .call(.if, [expr(.bool, s, depth - 1), expr(.decimal, s, depth - 1), expr(.integer, s, 0)])
            default: return .call(.abs, [expr(.decimal, s, depth - 1)])
            }
        case .text:
            switch rng.int(0...2) {
            case 0: return .call(.concat, [expr(.text, s, depth - 1), expr(.text, s, depth - 1)])
            case 1: return .call(.coalesce, [expr(.text, s, depth - 1), literal(.text)])
            default: return .call(.if, [expr(.bool, s, depth - 1), expr(.text, s, depth - 1), expr(.text, s, depth - 1)])
            }
        case .bool:
            switch rng.int(0...9) {
            case 0, 1:
                let ct = rng.pick([DataType.integer, .decimal, .text, .bool])
                let other: DataType = ct == .decimal ? rng.pick([.integer, .decimal]) : ct
                let op = rng.pick([BinaryOperator.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual])
                return .binary(op, expr(ct, s, depth - 1), expr(other, s, depth - 1))
            case 2: return expr(.bool, s, depth - 1).and(expr(.bool, s, depth - 1))
            case 3: return expr(.bool, s, depth - 1).or(expr(.bool, s, depth - 1))
            case 4: return .unary(.not, expr(.bool, s, depth - 1))
            case 5: return .isNull(expr(rng.pick([.integer, .text, .decimal]), s, depth - 1), negated: rng.chance(0.5))
            case 6:
                let ct = rng.pick([DataType.integer, .text, .decimal])
                let items = (0..<rng.int(0...3)).map { _ in rng.chance(0.15) ? Expr.null : literal(ct) }
                return .inList(expr(ct, s, depth - 1), items, negated: rng.chance(0.3))
            default:
                let f = rng.pick([ScalarFunction.contains, .startsWith, .endsWith])
                return .call(f, [expr(.text, s, depth - 1), rng.chance(0.7) ? literal(.text) : expr(.text, s, 0)])
            }
        }
    }

    mutating func aggregateExpr(_ s: Schema) -> Expr {
        let numeric = s.fields.filter { $0.type.isNumeric }.map(\.name)
        let any = s.names
        switch rng.int(0...8) {
        case 0: return .aggregate(.count, [])
        case 1: return .aggregate(.count, [.column(rng.pick(any))])
        case 2: return .aggregate(.countDistinct, [.column(rng.pick(any))])
        case 3 where !numeric.isEmpty: return .aggregate(.sum, [.column(rng.pick(numeric))])
        case 4 where !numeric.isEmpty: return .aggregate(.avg, [.column(rng.pick(numeric))])
        case 5: return .aggregate(.min, [.column(rng.pick(any))])
        case 6: return .aggregate(.max, [.column(rng.pick(any))])
        case 7 where !numeric.isEmpty:
            return .aggregate(.sum, [.column(rng.pick(numeric))]) / .aggregate(.count, [])
        case 8 where !numeric.isEmpty:
            return .aggregate(.sum, [expr(rng.pick([.integer, .decimal]), s, 1)])
        default: return .aggregate(.count, [])
        }
    }

    /// A random plan; `sortedTotally` tells whether the final order is fully determined.
    mutating func plan() throws -> (LogicalPlan, sortedTotally: Bool) {
        var p = LogicalPlan.scan("a", DifferentialData.aSchema)
        var usedJoin = false, usedUnion = false
        for _ in 0..<rng.int(1...4) {
            let s = try p.schema()
            switch rng.int(0...9) {
            case 0, 1:
                p = p.filter(expr(.bool, s, 2))
            case 2:
                var items: [NamedExpr] = []
                var cur = s
                for _ in 0..<rng.int(1...2) {
                    let target = rng.chance(0.25) ? rng.pick(cur.names) : name()
                    let type = rng.pick([DataType.integer, .decimal, .text, .bool])
                    items.append(NamedExpr(target, expr(type, cur, 2)))
                    cur = try LogicalPlan.derive(.scan("x", cur), [items[items.count - 1]]).schema()
                }
                p = p.derive(items)
            case 3:
                var names = Set<String>()
                var items: [NamedExpr] = []
                for c in s.names where rng.chance(0.6) { items.append(NamedExpr(rng.chance(0.2) ? name() : c, .column(c))); names.insert(c) }
                if items.isEmpty { items.append(NamedExpr(s.names[0], .column(s.names[0]))) }
                if rng.chance(0.4) { items.append(NamedExpr(name(), expr(rng.pick([.integer, .decimal, .bool]), s, 2))) }
                p = p.select(items)
            case 4:
                let keys = Array(Set((0..<rng.int(0...2)).map { _ in rng.pick(s.names) })).sorted()
                let values = (0..<rng.int(1...3)).map { _ in NamedExpr(name(), aggregateExpr(s)) }
                p = p.aggregate(keys: keys, values)
            case 5 where !usedJoin:
                let left = columns(s, .integer)
                if left.isEmpty { continue }
                usedJoin = true
                var right = LogicalPlan.scan("b", DifferentialData.bSchema)
                if rng.chance(0.4) { right = right.filter(expr(.bool, DifferentialData.bSchema, 1)) }
                // Avoid name clashes with columns the left side already has.
                let clash = Set(s.names)
                let renamed = DifferentialData.bSchema.names.map { n in NamedExpr(clash.contains(n) && n != "k" ? name() : n, .column(n)) }
                right = right.select(renamed)
                let rightKey = renamed[0].name
                p = p.join(right, kind: rng.chance(0.5) ? .left : .inner, on: [JoinKey(rng.pick(left), rightKey)])
                if (try? p.schema()) == nil { p = p.inputs[0] }
            case 6 where !usedUnion:
                usedUnion = true
                p = p.union(p.filter(expr(.bool, s, 1)))
            case 7:
                let part = rng.chance(0.6) ? [rng.pick(s.names)] : []
                let order = s.names.map { SortKey($0, descending: rng.chance(0.3)) }
                var fns: [NamedExpr] = []
                for _ in 0..<rng.int(1...2) {
                    switch rng.int(0...4) {
                    case 0: fns.append(NamedExpr(name(), .window(.rowNumber, [])))
                    case 1: fns.append(NamedExpr(name(), .window(.rank, [])))
                    case 2: fns.append(NamedExpr(name(), .window(.denseRank, [])))
                    case 3: fns.append(NamedExpr(name(), .window(.lag, [.column(rng.pick(s.names))])))
                    default: fns.append(NamedExpr(name(), .window(.lead, [.column(rng.pick(s.names)), .integer(Int64(rng.int(1...2)))])))
                    }
                }
                // rank and dense_rank only need the sort keys; use a prefix sometimes.
                let useOrder = fns.allSatisfy({ if case .window(.rank, _) = $0.expr { true } else if case .window(.denseRank, _) = $0.expr { true } else { false } })
                    && rng.chance(0.5) ? Array(order.prefix(1)) : order
                p = p.window(partition: part, order: useOrder, fns)
            case 8:
                let texts = columns(s, .text)
                if texts.isEmpty { continue }
                let col = rng.pick(texts)
                let others = s.names.filter { $0 != col }
                let keys = rng.chance(0.5) || others.isEmpty ? [] : [rng.pick(others)]
                let aggs: [Expr] = [.aggregate(.count, []), .aggregate(.min, [.column(rng.pick(s.names))]),
                                    .aggregate(.max, [.column(rng.pick(s.names))])]
                    + columns(s, .integer).map { .aggregate(.sum, [.column($0)]) }
                let values = ["甲", "乙", "abc", "none"].map { PivotValue(.text($0), name: name()) }
                p = p.pivot(PivotSpec(keys: keys, column: col, aggregate: rng.pick(aggs), values: values))
            default:
                p = p.filter(expr(.bool, s, 1))
            }
        }
        let s = try p.schema()
        if rng.chance(0.5) {
            p = p.sort(s.names.shuffled(using: &rng).map { SortKey($0, descending: rng.chance(0.5)) })
            if rng.chance(0.6) { p = p.take(rng.int(0...15), offset: rng.chance(0.3) ? rng.int(0...5) : 0) }
            return (p, true)
        }
        return (p, false)
    }
}

/// Rows compared as a multiset: sorted by a canonical text key, then compared with `==`
/// (decimals compare by value, so `0.50` equals `0.5`).
func sameMultiset(_ a: [[Value]], _ b: [[Value]]) -> Bool {
    func key(_ r: [Value]) -> String {
        r.map { v in
            switch v {
            case .decimal(let q): return "d" + q.normalized.description
            case .null: return "∅"
            default: return "\(v.type.map { "\($0)" } ?? "")" + v.description
            }
        }.joined(separator: "\u{1}")
    }
    guard a.count == b.count else { return false }
    return zip(a.sorted { key($0) < key($1) }, b.sorted { key($0) < key($1) }).allSatisfy { $0 == $1 }
}

@Test func sqlDifferentialRandomPipelinesAgreeWithSQLite() throws {
    let (a, b) = DifferentialData.rows(seed: 20_240_601)
    let catalog = try DifferentialData.catalog(a, b)
    let compiler = SQLCompiler(options: .init(decimalScale: 4))
    let db = try DifferentialData.database(a, b, decimalScale: 4)
    let coded = try DifferentialData.dictionaryCatalog(a, b)
    // Tiny chunks make every operator take its multi-chunk, parallel path on 64 rows; the
    // dictionary-coded catalog takes the kernels' per-distinct-value paths.
    let executors = [Executor(catalog: catalog), Executor(catalog: coded, chunkSize: 7),
                     Executor(catalog: catalog, chunkSize: 7), Executor(catalog: coded)]
    let seed = UInt64(ProcessInfo.processInfo.environment["GK_DIFF_SEED"] ?? "") ?? 7
    let planCount = Int(ProcessInfo.processInfo.environment["GK_DIFF_PLANS"] ?? "") ?? 600
    var gen = PlanGenerator(rng: SplitMix(state: seed))
    var rowsCompared = 0, operators: [String: Int] = [:]
    var compared = 0, ordered = 0, failures: [String] = []
    let start = Date()
    for n in 0..<planCount {
        let (plan, sorted) = try gen.plan()
        _ = plan.transformed { node in operators[node.operatorName, default: 0] += 1; return node }
        for (k, optimizer) in [Optimizer.none, .default].enumerated() where failures.count < 5 {
            let executor = executors[(n + 2 * k) % 4]
            let p = optimizer.optimize(plan)
            let compiled: CompiledSQL
            do { compiled = try compiler.compile(p) } catch {
                failures.append("#\(n) compile failed: \(error)\n\(PlanFormatter.format(p))")
                continue
            }
            let engineRows: [[Value]], sqlRows: [[Value]]
            do { engineRows = try executor.run(p).rows } catch {
                failures.append("#\(n) engine failed: \(error)\n\(PlanFormatter.format(p))")
                continue
            }
            do { sqlRows = try DifferentialData.fetch(db, compiled) } catch {
                failures.append("#\(n) SQLite failed: \(error)\n\(PlanFormatter.format(p))\n\(compiled.sql)")
                continue
            }
            let same = sorted ? engineRows == sqlRows : sameMultiset(engineRows, sqlRows)
            if !same {
                failures.append("#\(n) rows differ (\(sorted ? "ordered" : "multiset")):\n\(PlanFormatter.format(p))\n\(compiled.sql)\nengine: \(engineRows.prefix(8))\nsqlite: \(sqlRows.prefix(8))")
            }
            compared += 1
            rowsCompared += engineRows.count
            if sorted { ordered += 1 }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print("differential: \(compared) plan runs (\(ordered) order-sensitive, \(rowsCompared) rows; operators \(operators.sorted { $0.key < $1.key })) in \(String(format: "%.1f", seconds)) s")
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    #expect(compared >= 2 * min(planCount, 500))
}
