/// Per-group running state of one aggregate call, kept in typed arrays indexed by group.
///
/// A chunk builds its own states (`update`); partial states are then folded into the
/// global one (`merge`) through a map from partial group to global group.
class AggregateState {
    func grow(to groups: Int) {}
    func update(_ input: ColumnVector?, _ ids: [Int32]) throws {}
    /// Like ``update(_:_:)`` for the rows `rows` of `input` (`ids[k]` is the group of row
    /// `rows[k]`); states on hot paths read the rows in place instead of copying them.
    func update(_ input: ColumnVector, _ ids: [Int32], rows: [Int]) throws { try update(input.gather(rows), ids) }
    func merge(_ other: AggregateState, _ mapping: [Int]) throws {}
    func finish() throws -> ColumnVector { throw QueryError(.invalidPlan, "aggregate state without a function") }

    /// A fresh state for an aggregate call whose argument has type `argType`.
    static func make(_ f: AggregateFunction, argType: DataType?, arguments: [Expr]) throws -> AggregateState {
        switch f {
        case .count: return CountState(countRows: arguments.isEmpty)
        case .countDistinct: return DistinctState()
        case .sum: return argType == .decimal ? SumDecimalState() : SumIntegerState()
        case .avg: return AvgState()
        case .min, .max:
            let wantMax = f == .max
            switch argType ?? .integer {
            case .integer: return MinMaxState<Int64>(wantMax, { $0 < $1 }, placeholder: 0, wrap: { .integer($0) })
            case .decimal: return MinMaxState<Quantity>(wantMax, { Quantity.compare($0, $1) < 0 }, placeholder: .zero, wrap: { .decimal($0) })
            case .text: return MinMaxState<String>(wantMax, { ScalarOps.textCompare($0, $1) < 0 }, placeholder: "", wrap: { .text(TextColumn($0)) })
            case .bool: return MinMaxState<Bool>(wantMax, { !$0 && $1 }, placeholder: false, wrap: { .bool($0) })
            }
        case .median:
            return QuantileState(p: Quantity(mantissa: 5, scale: 1))
        case .quantile:
            guard arguments.count == 2, case .literal(let v) = arguments[1], let p = v.quantity else {
                throw QueryError(.type, "quantile() needs a constant fraction")
            }
            return QuantileState(p: p)
        }
    }
}

/// Typed access to a column's values as decimals (integers widen).
private func decimals(_ c: ColumnVector) -> [Quantity] {
    switch c.storage {
    case .decimal(let a): a
    case .integer(let a): a.map { Quantity(mantissa: $0) }
    default: []
    }
}

final class CountState: AggregateState {
    let countRows: Bool
    var counts: [Int64] = []
    init(countRows: Bool) { self.countRows = countRows }
    override func grow(to groups: Int) { if counts.count < groups { counts += [Int64](repeating: 0, count: groups - counts.count) } }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        // Work on a local array: a class property mutated in the loop pays an exclusivity
        // check per row.
        var c: [Int64] = []
        swap(&c, &counts)
        defer { swap(&c, &counts) }
        if countRows || input?.validity == nil {
            for g in ids { c[Int(g)] += 1 }
        } else if let input {
            for (i, g) in ids.enumerated() where !input.isNull(i) { c[Int(g)] += 1 }
        }
    }
    override func update(_ input: ColumnVector, _ ids: [Int32], rows: [Int]) throws {
        guard !countRows, let valid = input.validity else { return try update(nil as ColumnVector?, ids) }
        counts.withUnsafeMutableBufferPointer { c in
            for (k, g) in ids.enumerated() where valid[rows[k]] { c[Int(g)] += 1 }
        }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? CountState else { return }
        for (j, c) in o.counts.enumerated() { counts[mapping[j]] += c }
    }
    override func finish() throws -> ColumnVector { ColumnVector(.integer(counts)) }
}

final class SumIntegerState: AggregateState {
    var sums: [Int64] = [], has: [Bool] = []
    override func grow(to groups: Int) {
        let extra = groups - sums.count
        if extra > 0 { sums += [Int64](repeating: 0, count: extra); has += [Bool](repeating: false, count: extra) }
    }
    func add(_ g: Int, _ v: Int64) throws {
        let (r, o) = sums[g].addingReportingOverflow(v)
        if o { throw QueryError.overflow("sum()") }
        sums[g] = r
        has[g] = true
    }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        guard let input else { return }
        try add(input, ids) { $0 }
    }
    override func update(_ input: ColumnVector, _ ids: [Int32], rows: [Int]) throws {
        try rows.withUnsafeBufferPointer { rows in try add(input, ids) { rows[$0] } }
    }
    /// Adds row `row(k)` of `input` to group `ids[k]`, in one unchecked loop.
    @inline(__always)
    private func add(_ input: ColumnVector, _ ids: [Int32], _ row: (Int) -> Int) throws {
        guard case .integer(let a) = input.storage else { return }
        let valid = input.validity
        var overflow = false
        a.withUnsafeBufferPointer { a in
            ids.withUnsafeBufferPointer { ids in
                sums.withUnsafeMutableBufferPointer { s in
                    has.withUnsafeMutableBufferPointer { h in
                        for k in 0..<ids.count {
                            let r = row(k)
                            if let valid, !valid[r] { continue }
                            let g = Int(ids[k])
                            let (x, o) = s[g].addingReportingOverflow(a[r])
                            overflow = overflow || o
                            s[g] = x
                            h[g] = true
                        }
                    }
                }
            }
        }
        if overflow { throw QueryError.overflow("sum()") }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? SumIntegerState else { return }
        for j in o.sums.indices where o.has[j] { try add(mapping[j], o.sums[j]) }
    }
    override func finish() throws -> ColumnVector { ColumnVector(.integer(sums), validity: ValidityBitmap(has).simplified) }
}

final class SumDecimalState: AggregateState {
    var sums: [Quantity] = [], has: [Bool] = []
    override func grow(to groups: Int) {
        let extra = groups - sums.count
        if extra > 0 { sums += [Quantity](repeating: .zero, count: extra); has += [Bool](repeating: false, count: extra) }
    }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        guard let input else { return }
        let a = decimals(input)
        for (i, g) in ids.enumerated() where !input.isNull(i) {
            sums[Int(g)] = try sums[Int(g)].adding(a[i])
            has[Int(g)] = true
        }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? SumDecimalState else { return }
        for j in o.sums.indices where o.has[j] {
            sums[mapping[j]] = try sums[mapping[j]].adding(o.sums[j])
            has[mapping[j]] = true
        }
    }
    override func finish() throws -> ColumnVector { ColumnVector(.decimal(sums), validity: ValidityBitmap(has).simplified) }
}

final class AvgState: AggregateState {
    let sum = SumDecimalState()
    let count = CountState(countRows: false)
    override func grow(to groups: Int) { sum.grow(to: groups); count.grow(to: groups) }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        try sum.update(input, ids)
        try count.update(input, ids)
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? AvgState else { return }
        try sum.merge(o.sum, mapping)
        try count.merge(o.count, mapping)
    }
    override func finish() throws -> ColumnVector {
        let values = try zip(sum.sums, count.counts).map { try $0.0.divided(by: Quantity(mantissa: $0.1)).map(Value.decimal) ?? .null }
        return try ColumnVector(type: .decimal, values: values)
    }
}

final class MinMaxState<T>: AggregateState {
    let wantMax: Bool
    let less: (T, T) -> Bool
    let placeholder: T
    /// Builds the result column's storage from the per-group values.
    let wrap: ([T]) -> ColumnVector.Storage
    var best: [T] = [], has: [Bool] = []
    init(_ wantMax: Bool, _ less: @escaping (T, T) -> Bool, placeholder: T, wrap: @escaping ([T]) -> ColumnVector.Storage) {
        self.wantMax = wantMax
        self.less = less
        self.placeholder = placeholder
        self.wrap = wrap
    }
    override func grow(to groups: Int) {
        let extra = groups - best.count
        if extra > 0 { best += [T](repeating: placeholder, count: extra); has += [Bool](repeating: false, count: extra) }
    }
    @inline(__always) func offer(_ g: Int, _ v: T) {
        if !has[g] || (wantMax ? less(best[g], v) : less(v, best[g])) { best[g] = v; has[g] = true }
    }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        guard let input else { return }
        let a: [T]
        switch input.storage {
        case .integer(let x as [T]): a = x
        case .decimal(let x as [T]): a = x
        case .text(let x): guard let strings = Array(x) as? [T] else { throw QueryError(.type, "min/max got a text column") }
            a = strings
        case .bool(let x as [T]): a = x
        default: throw QueryError(.type, "min/max got a \(input.type) column")
        }
        for (i, g) in ids.enumerated() where !input.isNull(i) { offer(Int(g), a[i]) }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? MinMaxState<T> else { return }
        for j in o.best.indices where o.has[j] { offer(mapping[j], o.best[j]) }
    }
    override func finish() throws -> ColumnVector {
        ColumnVector(wrap(best), validity: ValidityBitmap(has).simplified)
    }
}

final class DistinctState: AggregateState {
    var sets: [Set<ValueKey>] = []
    /// While every input is a text column of one dictionary: the distinct codes per group
    /// (codes and values correspond one to one, so counting codes counts values).
    var codeSets: [Set<Int32>] = []
    var dictionary: TextDictionary?

    override func grow(to groups: Int) {
        if sets.count < groups { sets += [Set<ValueKey>](repeating: [], count: groups - sets.count) }
        if codeSets.count < groups { codeSets += [Set<Int32>](repeating: [], count: groups - codeSets.count) }
    }

    /// Moves the codes collected so far into `sets` (inputs of another dictionary arrived).
    private func leaveCodes() {
        guard let d = dictionary else { return }
        for (g, codes) in codeSets.enumerated() { for c in codes { sets[g].insert(ValueKey(value: .text(d.values[Int(c)]))) } }
        codeSets = codeSets.map { _ in [] }
        dictionary = nil
    }

    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        guard let input else { return }
        if let d = input.dictionary, dictionary === d.dictionary || (dictionary == nil && sets.allSatisfy(\.isEmpty)) {
            dictionary = d.dictionary
            for (i, g) in ids.enumerated() where d.codes[i] >= 0 { codeSets[Int(g)].insert(d.codes[i]) }
            return
        }
        leaveCodes()
        for (i, g) in ids.enumerated() where !input.isNull(i) { sets[Int(g)].insert(ValueKey(value: input[i])) }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? DistinctState else { return }
        if o.dictionary != nil, o.dictionary === dictionary || (dictionary == nil && sets.allSatisfy(\.isEmpty)) {
            dictionary = o.dictionary
            for (j, c) in o.codeSets.enumerated() { codeSets[mapping[j]].formUnion(c) }
            return
        }
        leaveCodes()
        o.leaveCodes()
        for (j, s) in o.sets.enumerated() { sets[mapping[j]].formUnion(s) }
    }
    override func finish() throws -> ColumnVector {
        ColumnVector(.integer(sets.indices.map { Int64(sets[$0].count + (codeSets.indices.contains($0) ? codeSets[$0].count : 0)) }))
    }
}

final class QuantileState: AggregateState {
    let p: Quantity
    var values: [[Quantity]] = []
    /// Integer inputs are kept as integers (sorted as such, converted only at the end).
    var integers: [[Int64]] = []
    init(p: Quantity) { self.p = p }
    override func grow(to groups: Int) {
        if values.count < groups { values += [[Quantity]](repeating: [], count: groups - values.count) }
        if integers.count < groups { integers += [[Int64]](repeating: [], count: groups - integers.count) }
    }
    override func update(_ input: ColumnVector?, _ ids: [Int32]) throws {
        guard let input else { return }
        if case .integer(let a) = input.storage {
            // On a local array: appending through the class property pays an exclusivity
            // check and a uniqueness check per row.
            var lists: [[Int64]] = []
            swap(&lists, &integers)
            defer { swap(&lists, &integers) }
            for (i, g) in ids.enumerated() where !input.isNull(i) { lists[Int(g)].append(a[i]) }
            return
        }
        let a = decimals(input)
        for (i, g) in ids.enumerated() where !input.isNull(i) { values[Int(g)].append(a[i]) }
    }
    override func merge(_ other: AggregateState, _ mapping: [Int]) throws {
        guard let o = other as? QuantileState else { return }
        for (j, v) in o.values.enumerated() { values[mapping[j]] += v }
        for (j, v) in o.integers.enumerated() { integers[mapping[j]] += v }
    }
    override func finish() throws -> ColumnVector {
        try ColumnVector(type: .decimal, values: values.indices.map { g in
            if values[g].isEmpty {
                // Only integers: the quantile needs at most two order statistics, found by
                // selection (linear time) instead of sorting.
                var stats = OrderStatistics(integers[g])
                return try quantile(sorted: integers[g].count) { Quantity(mantissa: stats[$0]) }.map(Value.decimal) ?? .null
            }
            let v = (values[g] + integers[g].map { Quantity(mantissa: $0) }).sorted { Quantity.compare($0, $1) < 0 }
            return try quantile(sorted: v.count) { v[$0] }.map(Value.decimal) ?? .null
        })
    }

    /// Linear interpolation between the order statistics around `(n − 1) × p` of `count`
    /// sorted values read through `at`, exactly.
    func quantile(sorted count: Int, _ at: (Int) -> Quantity) throws -> Quantity? {
        guard count > 0 else { return nil }
        let h = try Quantity(mantissa: Int64(count - 1)).multiplied(by: p)
        let lo = Int(max(0, min(Int64(count - 1), h.floorInteger)))
        let frac = try h.subtracting(Quantity(mantissa: Int64(lo)))
        if lo + 1 >= count || frac.mantissa == 0 { return at(lo) }
        return try at(lo).adding(try frac.multiplied(by: try at(lo + 1).subtracting(at(lo))))
    }
}

/// Order statistics of integers by selection: reading the k-th smallest partitions the
/// values around it (quickselect, median-of-three pivots), and the (k+1)-th is then the
/// least value above it. Falls back to sorting when the partitions keep coming out lopsided.
struct OrderStatistics {
    private var values: [Int64]
    private var selected: Int? = nil

    init(_ values: [Int64]) { self.values = values }

    /// The `k`-th smallest value (0-based); cheapest when read for k, then k + 1.
    subscript(k: Int) -> Int64 {
        mutating get {
            if let s = selected, k == s + 1 { return values[(s + 1)...].min()! }
            Self.select(&values, k)
            selected = k
            return values[k]
        }
    }

    /// Reorders `a` so that `a[k]` is the k-th smallest, no larger value before it and no
    /// smaller one after it.
    static func select(_ a: inout [Int64], _ k: Int) {
        var lo = 0, hi = a.count - 1, budget = 2 * (Int.bitWidth - a.count.leadingZeroBitCount) + 4
        while hi > lo {
            budget -= 1
            if budget < 0 { a[lo...hi].sort(); return }
            let mid = lo + (hi - lo) / 2
            let pivot = max(min(a[lo], a[mid]), min(max(a[lo], a[mid]), a[hi]))
            // Three-way partition: < pivot, == pivot, > pivot.
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                if a[i] < pivot { a.swapAt(lt, i); lt += 1; i += 1 } else if a[i] > pivot { a.swapAt(i, gt); gt -= 1 } else { i += 1 }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return }
        }
    }
}
