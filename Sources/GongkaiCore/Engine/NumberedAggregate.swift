import Foundation

/// Aggregation over a table by key numbers: when every group key is a dictionary-coded
/// text, an integer or a bool, each row's key tuple is one integer (one digit per key, null
/// being one more digit). When there are few possible numbers, they address the states
/// directly and no row is hashed; otherwise one integer per row is hashed (``GroupTable``)
/// instead of each key column in turn.
///
/// Each worker runs through a contiguous part of the table with one set of states, so there
/// are no per-chunk partial groups to merge: the workers' states are merged once at the end.
/// Groups come out in order of first appearance, as on every other path.
struct NumberedAggregate {
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
    /// The number of possible key numbers (the product of the keys' radixes).
    private let slots: Int
    /// Whether the numbers address the states directly: when there are at most as many (times
    /// the states kept per number) as table rows, or 65 536.
    private let direct: Bool

    /// Nil when a key is neither coded text, integer nor bool, or the key numbers would not
    /// fit in 63 bits.
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
                    guard !overflow, span < Int64.max - 2 else { return nil }
                    (digits, radix) = (.integers(a, low: low), Int(span) + 2)
                default: return nil
                }
            }
            keys.insert(Key(column: c, digits: digits, radix: radix, stride: slots), at: 0)
            let (product, overflow) = slots.multipliedReportingOverflow(by: radix)
            guard !overflow else { return nil }
            slots = product
        }
        self.setup = setup
        self.table = table
        self.keys = keys
        self.slots = slots
        direct = slots <= limit
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
        let parts: [Part] = try executor.eachPart(workers) { (w: Int) throws -> Part in
            var part = try Part(setup, direct ? slots : 0)
            for k in ranges.count * w / workers..<ranges.count * (w + 1) / workers {
                try executor.checkCancelled()
                let rows = try select(ranges[k])
                let ids = part.ids(keyNumbers(rows), direct: direct)
                try setup.update(part.states, table, rows: rows, ids)
            }
            return part
        }
        // Merge the workers' states; their parts are consecutive, so first appearance in the
        // table is the first worker's order, then what the next adds, and so on.
        var all = parts[0]
        for p in parts.dropFirst() {
            let mapping = direct ? Array(0..<slots) : all.adopt(p.numbers)
            all.states.forEach { $0.grow(to: direct ? slots : all.numbers.count) }
            for (s, o) in zip(all.states, p.states) { try s.merge(o, mapping) }
        }
        var numbers = all.numbers.map(Int.init)
        if direct {
            var seen = [Bool](repeating: false, count: slots)
            numbers = []
            for p in parts { for s in p.numbers where !seen[Int(s)] { seen[Int(s)] = true; numbers.append(Int(s)) } }
        }
        if setup.keys.isEmpty { numbers = [0] }
        var states = try all.states.map { try $0.finish() }
        if direct { states = states.map { $0.gather(numbers) } }
        return try setup.output(keys: keys.map { column(of: $0, numbers) }, states: states,
                                count: numbers.count, output, chunkSize: executor.chunkSize)
    }

    /// One worker's groups: their key numbers in order of first appearance and their states
    /// (indexed by number when direct, by group otherwise).
    private struct Part {
        var states: [AggregateState]
        var numbers: [Int64] = []
        var table = GroupTable()
        var seen: [Bool]

        init(_ setup: AggregateOperator.Setup, _ slots: Int) throws {
            states = try setup.freshStates()
            states.forEach { $0.grow(to: slots) }
            seen = [Bool](repeating: false, count: slots)
        }

        /// The state index of each key number, noting new numbers.
        mutating func ids(_ keyNumbers: [Int64], direct: Bool) -> [Int32] {
            if direct {
                for n in keyNumbers where !seen[Int(n)] {
                    seen[Int(n)] = true
                    numbers.append(n)
                }
                return keyNumbers.map { Int32(truncatingIfNeeded: $0) }
            }
            let ids = table.groups(keyNumbers)
            for (k, g) in ids.enumerated() where Int(g) == numbers.count { numbers.append(keyNumbers[k]) }
            states.forEach { $0.grow(to: numbers.count) }
            return ids
        }

        /// Takes in another worker's key numbers: the group here of each of them.
        mutating func adopt(_ others: [Int64]) -> [Int] {
            others.map { n in
                let g = table.group(n)
                if Int(g) == numbers.count { numbers.append(n) }
                return Int(g)
            }
        }
    }

    /// The key number of each of `rows`.
    private func keyNumbers(_ rows: [Int]) -> [Int64] {
        var ids = [Int64](repeating: 0, count: rows.count)
        ids.withUnsafeMutableBufferPointer { ids in
            rows.withUnsafeBufferPointer { rows in
                for key in keys {
                    let null = key.radix - 1, stride = key.stride, valid = key.column.validity
                    switch key.digits {
                    case .codes(let codes):
                        codes.withUnsafeBufferPointer { codes in
                            for k in 0..<rows.count {
                                let c = codes[rows[k]]
                                ids[k] += Int64((c >= 0 ? Int(c) : null) * stride)
                            }
                        }
                    case .integers(let a, let low):
                        a.withUnsafeBufferPointer { a in
                            for k in 0..<rows.count {
                                let r = rows[k]
                                ids[k] += Int64((valid?[r] ?? true ? Int(a[r] - low) : null) * stride)
                            }
                        }
                    case .bools(let a):
                        for k in 0..<rows.count {
                            let r = rows[k]
                            ids[k] += Int64((valid?[r] ?? true ? (a[r] ? 1 : 0) : null) * stride)
                        }
                    }
                }
            }
        }
        return ids
    }

    /// A key's values for the key numbers `groups`.
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
