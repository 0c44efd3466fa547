/// Turns a `where` condition into the positions of the rows it keeps (a selection), one
/// conjunct at a time.
///
/// `year == 2022 and applicant == "total" and county is not null` is split at its `and`s.
/// The first conjunct scans the rows; each later one only tests the rows still kept. The
/// common conjunct shapes — a column compared with a constant, a dictionary text column
/// against a constant, `in` list or `contains`, `is [not] null` — are tested in a typed loop
/// without building a column of booleans. Any other conjunct is evaluated by the vector
/// kernels over the whole range, exactly as a plain filter does (so the same rows raise the
/// same errors), and its result narrows the selection.
///
/// A row is kept when every conjunct is true, which is when the whole condition is true in
/// three-valued logic: a null or false conjunct drops it either way.
enum RowFilter {
    /// The rows of `range` in `batch` for which `predicate` is true, ascending, as positions
    /// in `batch`.
    static func select(_ predicate: BoundExpr, _ batch: Batch, _ range: Range<Int>) throws -> [Int] {
        var kept: [Int]? = nil
        for c in conjuncts(predicate) {
            if case .literal(.bool(true), _) = c { continue }
            let next = try refine(c, batch, range, kept)
            if next.isEmpty { return [] }
            kept = next
        }
        return kept ?? Array(range)
    }

    /// `a and b and c` as `[a, b, c]`.
    static func conjuncts(_ e: BoundExpr) -> [BoundExpr] {
        if case .logical(.and, let a, let b) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// The rows among `kept` (all of `range` when nil) for which `c` is true.
    private static func refine(_ c: BoundExpr, _ batch: Batch, _ range: Range<Int>, _ kept: [Int]?) throws -> [Int] {
        switch c {
        case .compare(let op, .column(let i, .integer), .literal(.integer(let k), _)):
            return integerCompare(op, batch.columns[i], k, range, kept)
        case .compare(let op, .literal(.integer(let k), _), .column(let i, .integer)):
            return integerCompare(op.flipped, batch.columns[i], k, range, kept)
        case .compare(let op, .column(let i, .text), .literal(.text(let t), _)) where batch.columns[i].dictionary != nil:
            let d = batch.columns[i].dictionary!
            return byTable(d.codes, Kernels.compareTable(op, d.dictionary, constant: t), range, kept)
        case .compare(let op, .literal(.text(let t), _), .column(let i, .text)) where batch.columns[i].dictionary != nil:
            let d = batch.columns[i].dictionary!
            return byTable(d.codes, Kernels.compareTable(op.flipped, d.dictionary, constant: t), range, kept)
        case .inList(.column(let i, .text), let items, let negated) where batch.columns[i].dictionary != nil:
            let texts = items.compactMap { if case .literal(.text(let t), _) = $0 { t } else { nil } }
            guard texts.count == items.count else { break }
            let d = batch.columns[i].dictionary!
            return byTable(d.codes, Kernels.inListTable(d.dictionary, constants: texts, negated: negated), range, kept)
        case .call(let f, let args, _) where [.contains, .startsWith, .endsWith].contains(f) && args.count == 2:
            guard case .column(let i, .text) = args[0], case .literal(.text(let p), _) = args[1],
                  let d = batch.columns[i].dictionary else { break }
            return byTable(d.codes, Kernels.textPredicateTable(f, d.dictionary, constant: p), range, kept)
        case .isNull(.column(let i, _), let negated):
            guard let v = batch.columns[i].validity else { return negated ? (kept ?? Array(range)) : [] }
            return keep(range, kept) { v[$0] == negated }
        default:
            break
        }
        // Any other conjunct: the vector kernels over the range's rows, then read the mask.
        let used = c.columnsRead
        let columns = batch.columns.enumerated().map { used.contains($0.offset) ? $0.element.slice(range) : .nulls(type: $0.element.type, count: 0) }
        let mask = try VectorEvaluator.evaluate(c, Batch(unchecked: batch.schema, columns: columns, rowCount: range.count))
        guard case .bool(let m) = mask.storage else { throw QueryError(.type, "where needs a bool condition") }
        let base = range.lowerBound
        return keep(range, kept) { m[$0 - base] && !mask.isNull($0 - base) }
    }

    /// Rows where an integer column compares true with a constant (null rows never do).
    private static func integerCompare(_ op: BinaryOperator, _ c: ColumnVector, _ k: Int64, _ range: Range<Int>, _ kept: [Int]?) -> [Int] {
        guard case .integer(let a) = c.storage else { return [] }
        return a.withUnsafeBufferPointer { a in
            @inline(__always) func rows(_ test: (Int64) -> Bool) -> [Int] {
                if let v = c.validity { return keep(range, kept) { v[$0] && test(a[$0]) } }
                return keep(range, kept) { test(a[$0]) }
            }
            switch op {
            case .equal: return rows { $0 == k }
            case .notEqual: return rows { $0 != k }
            case .less: return rows { $0 < k }
            case .lessEqual: return rows { $0 <= k }
            case .greater: return rows { $0 > k }
            default: return rows { $0 >= k }
            }
        }
    }

    /// Rows whose dictionary code has a true entry in `table` (read at code + 1: null rows,
    /// code -1, read its false entry 0).
    private static func byTable(_ codes: [Int32], _ table: [Bool], _ range: Range<Int>, _ kept: [Int]?) -> [Int] {
        codes.withUnsafeBufferPointer { codes in
            table.withUnsafeBufferPointer { table in
                keep(range, kept) { table[Int(codes[$0]) &+ 1] }
            }
        }
    }

    /// The rows of `range` (or of `kept`, when given) that pass `test`, in order.
    @inline(__always)
    private static func keep(_ range: Range<Int>, _ kept: [Int]?, _ test: (Int) -> Bool) -> [Int] {
        if let kept { return passing(kept, test) }
        return passing(range, test)
    }

    /// The rows that pass `test`. Every row is written and the count advanced only past
    /// those that pass: no branch to mispredict.
    @inline(__always)
    private static func passing<Rows: Collection>(_ rows: Rows, _ test: (Int) -> Bool) -> [Int] where Rows.Element == Int {
        [Int](unsafeUninitializedCapacity: rows.count) { out, made in
            var n = 0
            for r in rows {
                out[n] = r
                n &+= test(r) ? 1 : 0
            }
            made = n
        }
    }
}
