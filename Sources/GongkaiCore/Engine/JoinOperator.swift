/// Hash join: the right side is grouped by its keys (build), left chunks probe it in
/// parallel; output keeps left order, matches in right order. Null keys never match.
struct JoinOperator {
    let executor: Executor

    func run(_ left: Relation, _ right: Relation, kind: JoinKind, on: [JoinKey], output: Schema) throws -> Relation {
        let l = try left.combined(), r = try right.combined()
        func indices(_ s: Schema, _ names: [String]) throws -> [Int] {
            try names.map { n in
                guard let i = s.index(of: n) else { throw QueryError(.unknownColumn, "unknown join key \"\(n)\"") }
                return i
            }
        }
        let lk = try indices(l.schema, on.map(\.left)), rk = try indices(r.schema, on.map(\.right))
        // Number key tuples of both sides together so equal tuples share an id.
        let stacked = try zip(lk, rk).map { (i, j) in
            try ColumnVector.concatenate([l.columns[i], r.columns[j]], type: l.schema.fields[i].type)
        }
        let ids = Grouping.assign(stacked, rowCount: l.rowCount + r.rowCount).ids

        // Build: group id -> right rows, in right order, as one array sliced by offsets.
        let groups = Int(ids.max() ?? -1) + 1
        var start = [Int](repeating: 0, count: groups + 1)
        let rightNull = nullKeys(r, rk)
        let usable = (0..<r.rowCount).filter { rightNull?[$0] != true }
        for j in usable { start[Int(ids[l.rowCount + j]) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var fill = start
        var rows = [Int](repeating: 0, count: usable.count)
        for j in usable {
            let g = Int(ids[l.rowCount + j])
            rows[fill[g]] = j
            fill[g] += 1
        }
        try executor.checkCancelled()

        // Probe in left chunks.
        let leftNull = nullKeys(l, lk)
        let ranges = Parallel.ranges(l.rowCount, size: executor.chunkSize)
        func probe(_ range: Range<Int>) throws -> ([Int], [Int]) {
            try executor.checkCancelled()
            var li: [Int] = [], ri: [Int] = []
            li.reserveCapacity(range.count)
            ri.reserveCapacity(range.count)
            ids.withUnsafeBufferPointer { ids in
                start.withUnsafeBufferPointer { start in
                    rows.withUnsafeBufferPointer { rows in
                        for i in range {
                            let g = Int(ids[i])
                            if leftNull?[i] != true, start[g] < start[g + 1] {
                                for k in start[g]..<start[g + 1] { li.append(i); ri.append(rows[k]) }
                            } else if kind == .left {
                                li.append(i); ri.append(-1)
                            }
                        }
                    }
                }
            }
            return (li, ri)
        }
        let pairs = executor.parallel ? try Parallel.map(ranges.count) { try probe(ranges[$0]) } : try ranges.map(probe)
        let li = pairs.flatMap(\.0), ri = pairs.flatMap(\.1)
        let dropped = Set(on.map(\.right))
        let rightKeep = r.schema.fields.indices.filter { !dropped.contains(r.schema.fields[$0].name) }
        let cols = l.columns.map { $0.gather(li) } + rightKeep.map { r.columns[$0].gather(ri) }
        return Relation(schema: output, single: Batch(unchecked: output, columns: cols, rowCount: li.count), chunkSize: executor.chunkSize)
    }

    /// Which rows have a null in any key column; nil when no key column has nulls.
    private func nullKeys(_ b: Batch, _ keys: [Int]) -> [Bool]? {
        let valid = keys.compactMap { b.columns[$0].validity }
        guard !valid.isEmpty else { return nil }
        return (0..<b.rowCount).map { i in valid.contains { !$0[i] } }
    }
}
