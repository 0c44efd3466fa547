/// Window functions: rows are ordered by (partition, sort keys, input position), each
/// function is computed along that order, and the results are appended in input order.
struct WindowOperator {
    let executor: Executor

    func run(_ input: Relation, partition: [String], order: [SortKey], functions: [NamedExpr], output: Schema) throws -> Relation {
        let b = try input.combined()
        let n = b.rowCount
        func column(_ name: String) throws -> ColumnVector {
            guard let c = b.column(named: name) else { throw QueryError(.unknownColumn, "unknown window column \"\(name)\"") }
            return c
        }
        let groups = partition.isEmpty ? GroupIds(ids: [Int32](repeating: 0, count: n), count: n > 0 ? 1 : 0, firstRow: [])
            : Grouping.assign(try partition.map(column), rowCount: n)
        let pid = groups.ids
        let orderColumns = try order.map { try column($0.column) }
        let cmp = Kernels.comparator(orderColumns, descending: order.map(\.descending))
        try executor.checkCancelled()
        let perm = SortOrder.permutation(orderColumns, descending: order.map(\.descending), partitions: pid, groups.count)
        var start = [Int](repeating: 0, count: n), end = [Int](repeating: n, count: n)
        for k in 0..<n { start[k] = (k > 0 && pid[perm[k]] == pid[perm[k - 1]]) ? start[k - 1] : k }
        if n > 0 { for k in stride(from: n - 2, through: 0, by: -1) where pid[perm[k]] == pid[perm[k + 1]] { end[k] = end[k + 1] } }
        for k in 0..<n where k + 1 < n && pid[perm[k]] != pid[perm[k + 1]] { end[k] = k + 1 }
        // Fix ends: propagate the partition's end backwards.
        if n > 0 {
            var e = n
            for k in stride(from: n - 1, through: 0, by: -1) {
                if k + 1 < n && pid[perm[k]] != pid[perm[k + 1]] { e = k + 1 }
                end[k] = e
            }
        }

        var columns = b.columns
        for f in functions {
            try executor.checkCancelled()
            guard case .window(let fn, let args) = f.expr else {
                throw QueryError(.invalidPlan, "window items must be window function calls, got \(f.expr)")
            }
            switch fn {
            case .rowNumber, .rank, .denseRank:
                columns.append(ColumnVector(.integer(ranks(fn, perm: perm, start: start, cmp: cmp))))
            case .partitionSize:
                var out = [Int64](repeating: 0, count: n)
                for k in 0..<n { out[perm[k]] = Int64(end[k] - start[k]) }
                columns.append(ColumnVector(.integer(out)))
            case .percentRank:
                let rank = ranks(.rank, perm: perm, start: start, cmp: cmp)
                var out = [Quantity](repeating: .zero, count: n)
                for k in 0..<n {
                    let row = perm[k], size = end[k] - start[k]
                    guard size > 1 else { continue }
                    out[row] = try Quantity(mantissa: rank[row] - 1).divided(by: Quantity(mantissa: Int64(size - 1))) ?? .zero
                }
                columns.append(ColumnVector(.decimal(out)))
            case .lag, .lead:
                guard let argExpr = args.first else { throw QueryError(.type, "\(fn.rawValue)() needs an argument") }
                let arg = try VectorEvaluator.evaluate(try BoundExpr.bind(argExpr, b.schema), b)
                var offset = 1
                if args.count > 1, case .literal(.integer(let o)) = args[1] { offset = Int(clamping: o) }
                var src = [Int](repeating: -1, count: n)
                for k in 0..<n {
                    let (t, o) = fn == .lag ? k.subtractingReportingOverflow(offset) : k.addingReportingOverflow(offset)
                    if !o, t >= start[k], t < end[k] { src[perm[k]] = perm[t] }
                }
                columns.append(arg.gather(src))
            }
        }
        return Relation(schema: output, single: Batch(unchecked: output, columns: columns, rowCount: n), chunkSize: executor.chunkSize)
    }

    /// `row_number`, `rank` or `dense_rank` of every row (in input order), along `perm`.
    func ranks(_ fn: WindowFunction, perm: [Int], start: [Int], cmp: (Int, Int) -> Int) -> [Int64] {
        var out = [Int64](repeating: 0, count: perm.count)
        for k in 0..<perm.count {
            let row = perm[k]
            if fn == .rowNumber || k == start[k] {
                out[row] = fn == .denseRank && k == start[k] ? 1 : Int64(k - start[k] + 1)
            } else if cmp(perm[k - 1], row) == 0 {
                out[row] = out[perm[k - 1]]
            } else {
                out[row] = fn == .rank ? Int64(k - start[k] + 1) : out[perm[k - 1]] + 1
            }
        }
        return out
    }
}
