/// A string hashed and compared by its UTF-8 bytes (binary collation, as SQLite groups text).
struct BinaryText: Hashable {
    let string: String

    static func == (a: BinaryText, b: BinaryText) -> Bool { ScalarOps.textEqual(a.string, b.string) }

    func hash(into h: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for b in string.utf8 { h.combine(b) } }
        h.combine(0xFF as UInt8)
    }
}

/// A ``Value`` hashed and compared exactly as grouping needs: null equals null, decimals by
/// numeric value, text by bytes.
struct ValueKey: Hashable {
    let value: Value

    static func == (a: ValueKey, b: ValueKey) -> Bool {
        switch (a.value, b.value) {
        case (.null, .null): true
        case (.integer(let x), .integer(let y)): x == y
        case (.decimal(let x), .decimal(let y)): Quantity.compare(x, y) == 0
        case (.text(let x), .text(let y)): ScalarOps.textEqual(x, y)
        case (.bool(let x), .bool(let y)): x == y
        default: false
        }
    }

    func hash(into h: inout Hasher) {
        switch value {
        case .null: h.combine(0)
        case .integer(let x): h.combine(1); h.combine(x)
        case .decimal(let q): h.combine(2); h.combine(q)
        case .text(let s): h.combine(3); h.combine(BinaryText(string: s))
        case .bool(let b): h.combine(4); h.combine(b)
        }
    }
}

/// Dense group numbers for rows: equal key tuples share a number, numbered by first appearance.
struct GroupIds {
    /// The group of each row.
    var ids: [Int32]
    /// The number of groups.
    var count: Int
    /// For each group, the first row that has it.
    var firstRow: [Int]
}

/// Assigns group numbers column by column with typed hash maps (no per-row boxing).
enum Grouping {
    /// Groups rows by the tuple of key columns; with no keys every row is group 0.
    static func assign(_ keys: [ColumnVector], rowCount n: Int) -> GroupIds {
        guard let first = keys.first else {
            return GroupIds(ids: [Int32](repeating: 0, count: n), count: n > 0 ? 1 : 0, firstRow: n > 0 ? [0] : [])
        }
        var (ids, count) = denseIds(first)
        for k in keys.dropFirst() {
            let (cur, curCount) = denseIds(k)
            var next = 0
            let (pairs, overflow) = count.multipliedReportingOverflow(by: curCount)
            if !overflow, pairs <= max(1 << 16, 4 * n) {
                // Few enough combinations: number them through one array, no hashing.
                let prev = ids
                (ids, next) = numbered(rowCount: n, slots: pairs) { Int(prev[$0]) * curCount + Int(cur[$0]) }
            } else {
                var table = GroupTable(expected: min(n, pairs))
                for i in 0..<n { ids[i] = table.group(Int64(ids[i]) << 32 | Int64(cur[i])) }
                next = table.count
            }
            count = next
        }
        var firstRow = [Int](repeating: -1, count: count)
        for i in 0..<n where firstRow[Int(ids[i])] < 0 { firstRow[Int(ids[i])] = i }
        return GroupIds(ids: ids, count: count, firstRow: firstRow)
    }

    /// Dense ids of one column's values (null is one more value).
    static func denseIds(_ c: ColumnVector) -> ([Int32], Int) {
        if let d = c.dictionary { return dense(d) }
        switch c.storage {
        case .integer(let a): return denseIntegers(a, c) ?? hashedIntegers(a, c)
        case .decimal(let a): return dense(a, c, { $0.normalized })
        case .text(let a): return dense(a, c, { BinaryText(string: $0) })
        case .bool(let a): return dense(a, c, { $0 })
        }
    }

    /// Rows numbered by first appearance of their slot (`slot(i)` in `0..<slots`), through
    /// one array instead of a hash map: the shared step of every direct-addressed grouping.
    @inline(__always)
    private static func numbered(rowCount n: Int, slots: Int, _ slot: (Int) -> Int) -> ([Int32], Int) {
        var idOf = [Int32](repeating: -1, count: slots)
        var next: Int32 = 0
        var ids = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let s = slot(i)
            var g = idOf[s]
            if g < 0 { g = next; idOf[s] = g; next += 1 }
            ids[i] = g
        }
        return (ids, Int(next))
    }

    /// Dense ids from dictionary codes: an array lookup per row instead of hashing a string.
    /// Equal strings never have two codes (the dictionary holds distinct values).
    private static func dense(_ d: DictionaryCodes) -> ([Int32], Int) {
        let nullSlot = d.dictionary.values.count, codes = d.codes
        return numbered(rowCount: codes.count, slots: nullSlot + 1) { codes[$0] >= 0 ? Int(codes[$0]) : nullSlot }
    }

    /// Dense ids of integers by direct addressing when their range is small (report ids,
    /// years): an array index per row instead of a hash lookup; nil when the range is wide.
    private static func denseIntegers(_ a: [Int64], _ c: ColumnVector) -> ([Int32], Int)? {
        var lo = Int64.max, hi = Int64.min
        for i in a.indices where !c.isNull(i) { lo = min(lo, a[i]); hi = max(hi, a[i]) }
        if lo > hi { lo = 0; hi = 0 }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < Int64(max(4_096, 4 * a.count)) else { return nil }
        let nullSlot = Int(span) + 1
        return numbered(rowCount: a.count, slots: nullSlot + 1) { c.isNull($0) ? nullSlot : Int(a[$0] - lo) }
    }

    /// Dense ids of integers of any range, through a ``GroupTable``.
    private static func hashedIntegers(_ a: [Int64], _ c: ColumnVector) -> ([Int32], Int) {
        var table = GroupTable(expected: min(a.count, 1 << 16))
        var nullId: Int32? = nil
        var ids = [Int32](repeating: 0, count: a.count)
        for i in a.indices {
            if c.isNull(i) {
                if nullId == nil { nullId = table.newGroup() }
                ids[i] = nullId!
            } else {
                ids[i] = table.group(a[i])
            }
        }
        return (ids, table.count)
    }

    private static func dense<C: RandomAccessCollection, K: Hashable>(_ a: C, _ c: ColumnVector, _ key: (C.Element) -> K) -> ([Int32], Int)
    where C.Index == Int {
        var map: [K: Int32] = [:]
        var nullId: Int32? = nil
        var next: Int32 = 0
        var ids = [Int32](repeating: 0, count: a.count)
        for i in 0..<a.count {
            if c.isNull(i) {
                if let n = nullId { ids[i] = n } else { nullId = next; ids[i] = next; next += 1 }
                continue
            }
            let k = key(a[i])
            if let g = map[k] { ids[i] = g } else { map[k] = next; ids[i] = next; next += 1 }
        }
        return (ids, Int(next))
    }
}
