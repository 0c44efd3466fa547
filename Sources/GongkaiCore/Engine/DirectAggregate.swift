import Foundation

/// Aggregation by direct addressing: when every group key of an aggregate over a table is a
/// dictionary-coded text, an integer of small range or a bool, a group's number is computed
/// from its key values (one digit per key, null being one more digit), so no row is hashed.
///
/// Each worker runs through a contiguous part of the table with one set of states indexed by
/// number, so there are no per-chunk partial groups to merge: the workers' states are merged
/// once at the end. Groups come out in order of first appearance, as on every other path.
struct DirectAggregate {
    /// One key's digit per row.
    private enum Digits {
        case codes([Int32])
        case integers([Int64], low: Int64)
        case bools([Bool])
    }

    private struct Key {
        let column: ColumnVector
        let digits: Digits
        /// Distinct digits: the values plus one for null.
        let radix: Int
        /// The group number's weight of this key's digit.
        let stride: Int
    }

    private let setup: AggregateOperator.Setup
    private let table: Batch
    private let keys: [Key]
    /// The number of group numbers (the product of the keys' radixes).
    private let slots: Int

    /// Nil when a key cannot be addressed directly, or when the numbers (times the states
    /// kept per number) would outgrow the table's row count (at least 65 536).
    init?(_ setup: AggregateOperator.Setup, _ table: Batch, executor: Executor) throws {
        let limit = min(Int(Int32.max), max(1 << 16, table.rowCount)) / max(1, setup.specs.count)
        var keys: [Key] = []
        var slots = 1
        for i in setup.keyIndex.reversed() {
            let c = table.columns[i]
            let digits: Digits, radix: Int
            if let d = c.dictionary {
                (digits, radix) = (.codes(d.codes), d.dictionary.values.count + 1)
            } else {
                switch c.storage {
                case .bool(let a): (digits, radix) = (.bools(a), 3)
                case .integer(let a):
                    guard let (low, high) = try Self.range(a, c.validity, executor: executor) else { return nil }
                    let (span, overflow) = high.subtractingReportingOverflow(low)
                    guard !overflow, span < Int64(limit) else { return nil }
                    (digits, radix) = (.integers(a, low: low), Int(span) + 2)
                default: return nil
                }
            }
            keys.insert(Key(column: c, digits: digits, radix: radix, stride: slots), at: 0)
            let (product, overflow) = slots.multipliedReportingOverflow(by: radix)
            guard !overflow, product <= limit else { return nil }
            slots = product
        }
        self.setup = setup
        self.table = table
        self.keys = keys
        self.slots = slots
    }

    /// The lowest and highest non-null value (nil when all are null), a chunk per task.
    private static func range(_ a: [Int64], _ valid: ValidityBitmap?, executor: Executor) throws -> (Int64, Int64)? {
        let parts = try executor.eachPart((a.count + 1_048_575) / 1_048_576) { k -> (Int64, Int64) in
            a.withUnsafeBufferPointer { a in
                var low = Int64.max, high = Int64.min
                for i in k * 1_048_576..<min(a.count, (k + 1) * 1_048_576) where valid?[i] ?? true {
                    low = min(low, a[i])
                    high = max(high, a[i])
                }
                return (low, high)
            }
        }
        let low = parts.map(\.0).min() ?? .max, high = parts.map(\.1).max() ?? .min
        return low <= high ? (low, high) : nil
    }

    /// Runs the aggregate over `ranges` of the table, each narrowed to its rows by `select`.
    func run(_ executor: Executor, _ ranges: [Range<Int>], select: @escaping (Range<Int>) throws -> [Int], _ output: Schema) throws -> Relation {
        let workers = executor.parallel ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, ranges.count)) : 1
        let parts = try executor.eachPart(workers) { w -> ([AggregateState], [Int32]) in
            let states = try setup.freshStates()
            states.forEach { $0.grow(to: slots) }
            var seen = [Bool](repeating: false, count: slots)
            var order: [Int32] = []
            for k in ranges.count * w / workers..<ranges.count * (w + 1) / workers {
                try executor.checkCancelled()
                let rows = try select(ranges[k])
                let ids = numbers(rows)
                for s in ids where !seen[Int(s)] {
                    seen[Int(s)] = true
                    order.append(s)
                }
                try setup.update(states, table, rows: rows, ids)
            }
            return (states, order)
        }
        // Merge the workers' states; their parts are consecutive, so first appearance in the
        // table is the first worker's order, then what the next adds, and so on.
        let states = parts[0].0
        let identity = Array(0..<slots)
        for p in parts.dropFirst() { for (s, o) in zip(states, p.0) { try s.merge(o, identity) } }
        var seen = [Bool](repeating: false, count: slots)
        var groups: [Int] = []
        for p in parts { for s in p.1 where !seen[Int(s)] { seen[Int(s)] = true; groups.append(Int(s)) } }
        if setup.keys.isEmpty { groups = [0] }
        let keyColumns = keys.map { column(of: $0, groups) }
        return try setup.output(keys: keyColumns, states: try states.map { try $0.finish().gather(groups) },
                                count: groups.count, output, chunkSize: executor.chunkSize)
    }

    /// The group number of each of `rows`.
    private func numbers(_ rows: [Int]) -> [Int32] {
        var ids = [Int32](repeating: 0, count: rows.count)
        ids.withUnsafeMutableBufferPointer { ids in
            rows.withUnsafeBufferPointer { rows in
                for key in keys {
                    let null = key.radix - 1, stride = key.stride, valid = key.column.validity
                    switch key.digits {
                    case .codes(let codes):
                        codes.withUnsafeBufferPointer { codes in
                            for k in 0..<rows.count {
                                let c = codes[rows[k]]
                                ids[k] += Int32((c >= 0 ? Int(c) : null) * stride)
                            }
                        }
                    case .integers(let a, let low):
                        a.withUnsafeBufferPointer { a in
                            for k in 0..<rows.count {
                                let r = rows[k]
                                ids[k] += Int32((valid?[r] ?? true ? Int(a[r] - low) : null) * stride)
                            }
                        }
                    case .bools(let a):
                        for k in 0..<rows.count {
                            let r = rows[k]
                            ids[k] += Int32((valid?[r] ?? true ? (a[r] ? 1 : 0) : null) * stride)
                        }
                    }
                }
            }
        }
        return ids
    }

    /// A key's values for the group numbers `groups`.
    private func column(of key: Key, _ groups: [Int]) -> ColumnVector {
        let digits = groups.map { ($0 / key.stride) % key.radix }
        let null = key.radix - 1
        let valid = digits.contains(null) ? ValidityBitmap(count: digits.count) { digits[$0] != null } : nil
        switch key.digits {
        case .codes:
            let d = key.column.dictionary!.dictionary
            return ColumnVector(codes: DictionaryCodes(dictionary: d, codes: digits.map { $0 == null ? -1 : Int32($0) }))
        case .integers(_, let low):
            return ColumnVector(.integer(digits.map { $0 == null ? 0 : low + Int64($0) }), validity: valid)
        case .bools:
            return ColumnVector(.bool(digits.map { $0 == 1 }), validity: valid)
        }
    }
}
