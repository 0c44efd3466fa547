/// Sorting rows through integer keys: each sort column becomes one or two `Int64` keys per
/// row (a null flag, then the value — integers as they are, bools as 0/1, dictionary text as
/// the rank of its value), laid out row by row, so the comparison is a tight loop over
/// integers instead of a chain of closures over strings.
enum SortOrder {
    /// The row order for `columns` (nulls last in both directions; ties by row position, so
    /// the order is the stable one), optionally after an integer `prefix` key such as a
    /// window's partition id; nil when a column has no integer key (decimals, plain text).
    static func permutation(_ columns: [ColumnVector], descending: [Bool], prefix: [Int32]? = nil, count n: Int) -> [Int]? {
        var parts: [[Int64]] = []
        if let prefix { parts.append(prefix.map(Int64.init)) }
        for (c, d) in zip(columns, descending) {
            guard let k = keys(c, descending: d) else { return nil }
            parts += k
        }
        var order = Array(0..<n)
        let k = parts.count
        guard k > 0 else { return order }
        var flat = [Int64](repeating: 0, count: n * k)
        for (t, p) in parts.enumerated() {
            for i in 0..<n { flat[i * k + t] = p[i] }
        }
        flat.withUnsafeBufferPointer { f in
            order.sort { i, j in
                var a = i * k, b = j * k
                for _ in 0..<k {
                    if f[a] != f[b] { return f[a] < f[b] }
                    a += 1
                    b += 1
                }
                return i < j
            }
        }
        return order
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
