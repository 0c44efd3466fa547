/// Sorting rows through integer keys: each sort column becomes one or two `Int64` keys per
/// row (a null flag, then the value — integers as they are, bools as 0/1, dictionary text as
/// the rank of its value), laid out row by row, so the comparison is a tight loop over
/// integers instead of a chain of closures over strings. Columns without integer keys
/// (decimals, plain text) are compared by ``Kernels/comparator(_:descending:)``.
///
/// Every order here is the stable one: rows that tie on all keys keep their input order, and
/// nulls sort last in both directions.
enum SortOrder {
    /// The row order for `columns`.
    static func permutation(_ columns: [ColumnVector], descending: [Bool], count n: Int) -> [Int] {
        var order = Array(0..<n)
        guard !columns.isEmpty else { return order }
        withLess(columns, descending, n) { less in order.sort(by: less) }
        return order
    }

    /// The row order for `columns` within partitions: rows grouped by partition number
    /// (`ids`, `0..<partitions`) in ascending order, then ordered by the columns inside each.
    /// Partitions are placed by counting, so only each partition's own rows are sorted.
    static func permutation(_ columns: [ColumnVector], descending: [Bool], partitions ids: [Int32], _ partitions: Int) -> [Int] {
        var start = [Int](repeating: 0, count: partitions + 1)
        for p in ids { start[Int(p) + 1] += 1 }
        for p in 0..<partitions { start[p + 1] += start[p] }
        var next = start
        var order = [Int](repeating: 0, count: ids.count)
        for (i, p) in ids.enumerated() {
            order[next[Int(p)]] = i
            next[Int(p)] += 1
        }
        guard !columns.isEmpty else { return order }
        withLess(columns, descending, ids.count) { less in
            for p in 0..<partitions where start[p + 1] - start[p] > 1 { order[start[p]..<start[p + 1]].sort(by: less) }
        }
        return order
    }

    /// The first `k` rows of ``permutation(_:descending:count:)``, found with a bounded heap
    /// instead of sorting every row (`sort … | take k`).
    static func top(_ k: Int, _ columns: [ColumnVector], descending: [Bool], count n: Int) -> [Int] {
        guard k < n else { return permutation(columns, descending: descending, count: n) }
        guard !columns.isEmpty else { return Array(0..<k) }
        return withLess(columns, descending, n) { less in
            // A max-heap of the k smallest rows seen so far; its root is the largest of them.
            var heap: [Int] = []
            heap.reserveCapacity(k)
            func siftDown(_ from: Int) {
                var i = from
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < heap.count && less(heap[m], heap[l]) { m = l }
                    if r < heap.count && less(heap[m], heap[r]) { m = r }
                    if m == i { return }
                    heap.swapAt(i, m)
                    i = m
                }
            }
            for row in 0..<n where k > 0 {
                if heap.count < k {
                    heap.append(row)
                    var i = heap.count - 1
                    while i > 0, less(heap[(i - 1) / 2], heap[i]) {
                        heap.swapAt(i, (i - 1) / 2)
                        i = (i - 1) / 2
                    }
                } else if less(row, heap[0]) {
                    heap[0] = row
                    siftDown(0)
                }
            }
            return heap.sorted(by: less)
        }
    }

    /// Calls `body` with the strict row order of `columns`, ties broken by row position.
    private static func withLess<R>(_ columns: [ColumnVector], _ descending: [Bool], _ n: Int, _ body: ((Int, Int) -> Bool) -> R) -> R {
        var parts: [[Int64]] = []
        for (c, d) in zip(columns, descending) {
            guard let k = keys(c, descending: d) else {
                let cmp = Kernels.comparator(columns, descending: descending)
                return body { i, j in
                    let c = cmp(i, j)
                    return c != 0 ? c < 0 : i < j
                }
            }
            parts += k
        }
        let k = parts.count
        var flat = [Int64](repeating: 0, count: n * k)
        for (t, p) in parts.enumerated() {
            for i in 0..<n { flat[i * k + t] = p[i] }
        }
        return flat.withUnsafeBufferPointer { f in
            body { i, j in
                var a = i * k, b = j * k
                for _ in 0..<k {
                    if f[a] != f[b] { return f[a] < f[b] }
                    a += 1
                    b += 1
                }
                return i < j
            }
        }
    }

    /// A column's keys: a null flag (only when it has nulls) and the ordered value.
    /// Descending order uses the bitwise complement, which reverses `Int64` order exactly.
    static func keys(_ c: ColumnVector, descending: Bool) -> [[Int64]]? {
        var values: [Int64]
        switch c.storage {
        case .integer(let a): values = a
        case .bool(let a): values = a.map { $0 ? 1 : 0 }
        case .text:
            guard let d = c.dictionary else { return nil }
            let rank = d.dictionary.ranks
            values = d.codes.map { $0 >= 0 ? Int64(rank[Int($0)]) : 0 }
        case .decimal: return nil
        }
        if descending { values = values.map { ~$0 } }
        guard let v = c.validity else { return [values] }
        var flag = [Int64](repeating: 0, count: values.count)
        for i in values.indices where !v[i] {
            flag[i] = 1
            values[i] = 0
        }
        return [flag, values]
    }
}
