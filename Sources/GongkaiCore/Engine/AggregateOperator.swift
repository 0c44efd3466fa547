/// Hash aggregation in two phases: every chunk groups and accumulates on its own (in
/// parallel), then the partial groups are merged by grouping their key columns once more.
struct AggregateOperator {
    let executor: Executor

    /// One chunk's groups: their key values (one row per group) and aggregate states.
    private struct Partial {
        var keys: [ColumnVector]
        var groupCount: Int
        var states: [AggregateState]
    }

    func run(_ input: Relation, keys: [String], values: [NamedExpr], output: Schema) throws -> Relation {
        let (calls, finals) = PlanLowering.splitAggregates(values)
        let schema = input.schema
        let keyIdx = try keys.map { k -> Int in
            guard let i = schema.index(of: k) else { throw QueryError(.unknownColumn, "unknown group key \"\(k)\"") }
            return i
        }
        // Bind each call's argument (row-level) once.
        var specs: [(AggregateFunction, BoundExpr?, [Expr])] = []
        var callFields: [Field] = []
        for c in calls {
            guard case .aggregate(let f, let args) = c.expr else { throw QueryError(.invalidPlan, "expected an aggregate call") }
            let arg = try args.first.map { try BoundExpr.bind($0, schema) }
            specs.append((f, arg, args))
            callFields.append(Field(c.name, try ExprTyping.type(of: c.expr, in: schema, context: .aggregate(groupKeys: keys))))
        }
        func freshStates() throws -> [AggregateState] {
            try specs.map { try AggregateState.make($0.0, argType: $0.1?.type, arguments: $0.2) }
        }

        let partials: [Partial] = try executor.eachChunk(input.chunks) { b in
            let keyCols = keyIdx.map { b.columns[$0] }
            var g = Grouping.assign(keyCols, rowCount: b.rowCount)
            if keys.isEmpty { g.count = 1; g.firstRow = [] }
            let states = try freshStates()
            for (s, spec) in zip(states, specs) {
                s.grow(to: g.count)
                try s.update(try spec.1.map { try VectorEvaluator.evaluate($0, b) }, g.ids)
            }
            return Partial(keys: keyCols.map { $0.gather(g.firstRow) }, groupCount: g.count, states: states)
        }

        // Merge: group the stacked partial keys to map each partial group to a global one.
        try executor.checkCancelled()
        let stacked = try keyIdx.indices.map { j in
            try ColumnVector.concatenate(partials.map { $0.keys[j] }, type: schema.fields[keyIdx[j]].type)
        }
        let total = partials.reduce(0) { $0 + $1.groupCount }
        let global: GroupIds
        if keys.isEmpty {
            global = GroupIds(ids: [Int32](repeating: 0, count: total), count: 1, firstRow: [])
        } else {
            global = Grouping.assign(stacked, rowCount: total)
        }
        let states = try freshStates()
        states.forEach { $0.grow(to: global.count) }
        var offset = 0
        for p in partials {
            let mapping = (0..<p.groupCount).map { Int(global.ids[offset + $0]) }
            for (s, ps) in zip(states, p.states) { try s.merge(ps, mapping) }
            offset += p.groupCount
        }
        let keyColumns = stacked.map { $0.gather(global.firstRow) }
        let aggSchema = Schema(keyIdx.map { schema.fields[$0] } + callFields)
        let aggBatch = Batch(unchecked: aggSchema, columns: keyColumns + (try states.map { try $0.finish() }), rowCount: global.count)

        // Final expressions over keys and aggregate results.
        let finalBound = try finals.map { try BoundExpr.bind($0.expr, aggSchema) }
        let finalColumns = try finalBound.map { try VectorEvaluator.evaluate($0, aggBatch) }
        let outBatch = Batch(unchecked: output, columns: keyColumns + finalColumns, rowCount: global.count)
        return Relation(schema: output, single: outBatch, chunkSize: executor.chunkSize)
    }
}
