/// A pivot computed as one grouped aggregate over (keys, pivot column) and then spread into
/// one output column per declared value.
///
/// This means the same as ``PlanLowering/pivotAsAggregate(_:_:)`` — `v = agg(if(column ==
/// v, arg, null))` — because the rows where `column == v` are exactly the group (keys, v),
/// but it aggregates each row once instead of once per output column. Groups with no row for
/// a value give what the conditional aggregate gives over no rows: 0 for counts, else null.
struct PivotOperator {
    let executor: Executor

    /// The pivot's rows, or nil when the spread is not exact for this plan (the executor then
    /// runs the conditional aggregation).
    func run(_ child: LogicalPlan, _ spec: PivotSpec, output: Schema) throws -> Relation? {
        guard case .aggregate(let f, _) = spec.aggregate, !spec.keys.contains(spec.column) else { return nil }
        let grouped = try executor.execute(.aggregate(child, keys: spec.keys + [spec.column], values: [NamedExpr("__pivot_value", spec.aggregate)]))
        let rows = try grouped.combined()
        let keyColumns = Array(rows.columns.prefix(spec.keys.count))
        let pivot = rows.columns[spec.keys.count], value = rows.columns[spec.keys.count + 1]

        // One output row per key tuple, in order of first appearance (as the grouped aggregate orders them).
        let groups: GroupIds
        if spec.keys.isEmpty {
            groups = GroupIds(ids: [Int32](repeating: 0, count: rows.rowCount), count: 1, firstRow: [])
        } else {
            groups = Grouping.assign(keyColumns, rowCount: rows.rowCount)
        }

        var columns = keyColumns.map { $0.gather(groups.firstRow) }
        let empty: Value = (f == .count || f == .countDistinct) ? .integer(0) : .null
        for (j, v) in spec.values.enumerated() {
            // Which grouped rows hold this value, by the language's own `==`.
            let pivotSchema = Schema([Field(spec.column, pivot.type)])
            let test = try BoundExpr.bind(.binary(.equal, .column(spec.column), .literal(v.value)), pivotSchema, as: .bool)
            let mask = try VectorEvaluator.evaluate(test, Batch(unchecked: pivotSchema, columns: [pivot], rowCount: rows.rowCount))
            guard case .bool(let m) = mask.storage else { return nil }
            var source = [Int](repeating: -1, count: groups.count)
            for i in 0..<rows.rowCount where m[i] && !mask.isNull(i) {
                let g = Int(groups.ids[i])
                if source[g] >= 0 { return nil } // two groups equal one value: not a plain spread
                source[g] = i
            }
            let field = output.fields[spec.keys.count + j]
            var column = try value.gather(source).cast(to: field.type)
            if !empty.isNull, source.contains(-1) {
                let filler = try ColumnVector.constant(empty, type: field.type, count: groups.count)
                column = try Kernels.call(.coalesce, [column, filler], type: field.type, count: groups.count)
            }
            columns.append(column)
        }
        let batch = Batch(unchecked: output, columns: columns, rowCount: groups.count)
        return Relation(schema: output, single: batch, chunkSize: executor.chunkSize)
    }
}
