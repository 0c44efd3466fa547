/// Hash aggregation in two phases: every chunk groups and accumulates on its own (in
/// parallel), then the partial groups are merged by grouping their key columns once more.
///
/// An aggregate straight over a table (`from t | where … | group …`) or over one batch does
/// not copy the rows first: each slice selects its rows (``RowFilter``) and the aggregate
/// reads its arguments at those rows (``run(over:predicate:keys:values:output:)``).
/// Output groups come in order of first appearance in the input, on every path.
struct AggregateOperator {
    let executor: Executor

    /// One chunk's groups: their key values (one row per group) and aggregate states.
    private struct Partial {
        var keys: [ColumnVector]
        var groupCount: Int
        var states: [AggregateState]
    }

    /// What one aggregate needs, bound once against its input schema.
    struct Setup {
        let schema: Schema
        let keys: [String]
        let keyIndex: [Int]
        /// Each aggregate call: its function, its argument bound to the input, its arguments.
        let specs: [(AggregateFunction, BoundExpr?, [Expr])]
        let callFields: [Field]
        /// The output items over the keys and the calls' results.
        let finals: [NamedExpr]

        init(_ schema: Schema, keys: [String], values: [NamedExpr]) throws {
            let (calls, finals) = PlanLowering.splitAggregates(values)
            self.schema = schema
            self.keys = keys
            self.finals = finals
            keyIndex = try keys.map { k in
                guard let i = schema.index(of: k) else { throw QueryError(.unknownColumn, "unknown group key \"\(k)\"") }
                return i
            }
            var specs: [(AggregateFunction, BoundExpr?, [Expr])] = []
            var fields: [Field] = []
            for c in calls {
                guard case .aggregate(let f, let args) = c.expr else { throw QueryError(.invalidPlan, "expected an aggregate call") }
                specs.append((f, try args.first.map { try BoundExpr.bind($0, schema) }, args))
                fields.append(Field(c.name, try ExprTyping.type(of: c.expr, in: schema, context: .aggregate(groupKeys: keys))))
            }
            self.specs = specs
            callFields = fields
        }

        func freshStates() throws -> [AggregateState] {
            try specs.map { try AggregateState.make($0.0, argType: $0.1?.type, arguments: $0.2) }
        }

        /// Feeds the rows `rows` of `source` (all of them when nil), grouped as `ids`, to `states`.
        /// A plain column argument is read at the rows; others are evaluated on the rows' copy.
        func update(_ states: [AggregateState], _ source: Batch, rows: [Int]?, _ ids: [Int32]) throws {
            for (s, spec) in zip(states, specs) {
                guard let arg = spec.1 else { try s.update(nil, ids); continue }
                guard let rows else { try s.update(try VectorEvaluator.evaluate(arg, source), ids); continue }
                if case .column(let i, _) = arg {
                    try s.update(source.columns[i], ids, rows: rows)
                } else {
                    let used = arg.columnsRead
                    let picked = source.columns.enumerated().map { used.contains($0.offset) ? $0.element.gather(rows) : .nulls(type: $0.element.type, count: 0) }
                    try s.update(try VectorEvaluator.evaluate(arg, Batch(unchecked: schema, columns: picked, rowCount: rows.count)), ids)
                }
            }
        }

        /// The output rows from the groups' key columns and finished states.
        func output(keys keyColumns: [ColumnVector], states: [ColumnVector], count: Int, _ output: Schema, chunkSize: Int) throws -> Relation {
            let aggSchema = Schema(keyIndex.map { schema.fields[$0] } + callFields)
            let aggBatch = Batch(unchecked: aggSchema, columns: keyColumns + states, rowCount: count)
            let finalColumns = try finals.map { try VectorEvaluator.evaluate(try BoundExpr.bind($0.expr, aggSchema), aggBatch) }
            return Relation(schema: output, single: Batch(unchecked: output, columns: keyColumns + finalColumns, rowCount: count), chunkSize: chunkSize)
        }
    }

    func run(_ input: Relation, keys: [String], values: [NamedExpr], output: Schema) throws -> Relation {
        if let whole = input.single { return try run(over: whole, predicate: nil, keys: keys, values: values, output: output) }
        let setup = try Setup(input.schema, keys: keys, values: values)
        let partials: [Partial] = try executor.eachChunk(input.chunks) { b in
            try partial(setup, b, rows: nil, keyColumns: setup.keyIndex.map { b.columns[$0] })
        }
        return try merge(setup, partials, output)
    }

    /// The aggregate of the rows of one batch (a table, or one operator's whole output) where
    /// `predicate` holds, a range of rows per task, each reading the batch's columns at its
    /// selected rows.
    func run(over full: Batch, predicate: Expr?, keys: [String], values: [NamedExpr], output: Schema) throws -> Relation {
        let setup = try Setup(full.schema, keys: keys, values: values)
        let bound = try predicate.map { try BoundExpr.bind($0, full.schema, as: .bool) }
        let ranges = Parallel.ranges(full.rowCount, size: executor.chunkSize)
        let select: (Range<Int>) throws -> [Int] = { range in try bound.map { try RowFilter.select($0, full, range) } ?? Array(range) }
        if let numbered = try NumberedAggregate(setup, full, executor: executor) {
            return try numbered.run(executor, ranges, select: select, output)
        }
        let partials: [Partial] = try executor.eachPart(ranges.count) { k in
            let rows = try select(ranges[k])
            return try partial(setup, full, rows: rows, keyColumns: setup.keyIndex.map { full.columns[$0].gather(rows) })
        }
        return try merge(setup, partials, output)
    }

    /// One chunk's groups and states: `rows` of `source` (all when nil), keyed by `keyColumns`
    /// (one value per selected row).
    private func partial(_ setup: Setup, _ source: Batch, rows: [Int]?, keyColumns: [ColumnVector]) throws -> Partial {
        let n = rows?.count ?? source.rowCount
        var g = Grouping.assign(keyColumns, rowCount: n)
        if setup.keys.isEmpty { g.count = 1; g.firstRow = [] }
        let states = try setup.freshStates()
        states.forEach { $0.grow(to: g.count) }
        try setup.update(states, source, rows: rows, g.ids)
        return Partial(keys: keyColumns.map { $0.gather(g.firstRow) }, groupCount: g.count, states: states)
    }

    /// Merge: group the stacked partial keys to map each partial group to a global one.
    private func merge(_ setup: Setup, _ partials: [Partial], _ output: Schema) throws -> Relation {
        try executor.checkCancelled()
        let schema = setup.schema
        let stacked = try setup.keyIndex.indices.map { j in
            try ColumnVector.concatenate(partials.map { $0.keys[j] }, type: schema.fields[setup.keyIndex[j]].type)
        }
        let total = partials.reduce(0) { $0 + $1.groupCount }
        let global: GroupIds
        if setup.keys.isEmpty {
            global = GroupIds(ids: [Int32](repeating: 0, count: total), count: 1, firstRow: [])
        } else {
            global = Grouping.assign(stacked, rowCount: total)
        }
        let states = try setup.freshStates()
        states.forEach { $0.grow(to: global.count) }
        var offset = 0
        for p in partials {
            let mapping = (0..<p.groupCount).map { Int(global.ids[offset + $0]) }
            for (s, ps) in zip(states, p.states) { try s.merge(ps, mapping) }
            offset += p.groupCount
        }
        return try setup.output(keys: stacked.map { $0.gather(global.firstRow) }, states: try states.map { try $0.finish() },
                                count: global.count, output, chunkSize: executor.chunkSize)
    }
}
