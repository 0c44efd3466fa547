/// Runs a ``LogicalPlan`` on the columnar engine and returns a ``ResultTable``.
///
/// Data moves as chunks of at most ``chunkSize`` rows (16 384 by default); scans, filters, derives,
/// selects, join probes and aggregates process chunks on all cores. Cancellation is checked
/// before every operator and every chunk.
///
/// ```swift
/// let result = try Executor(catalog: catalog).run(plan)
/// for row in result.rows { print(row) }
/// ```
public struct Executor: Sendable {
    /// Where tables come from.
    public var catalog: any Catalog
    /// Polled between operators and chunks; returning true stops the query with `.cancelled`.
    public var isCancelled: @Sendable () -> Bool
    /// Whether chunks may be processed concurrently (off for deterministic profiling).
    public var parallel: Bool
    /// Rows per chunk, the unit of parallel work and of cancellation checks.
    public var chunkSize: Int

    /// Creates an executor; by default it stops when the current task is cancelled.
    public init(catalog: any Catalog, parallel: Bool = true, chunkSize: Int = Parallel.defaultChunkSize,
                isCancelled: @escaping @Sendable () -> Bool = { Task.isCancelled }) {
        self.catalog = catalog
        self.parallel = parallel
        self.chunkSize = max(1, chunkSize)
        self.isCancelled = isCancelled
    }

    /// Executes the plan (validating it first) and returns all result rows.
    public func run(_ plan: LogicalPlan) throws -> ResultTable {
        let schema = try plan.schema()
        let rel = try execute(plan)
        return ResultTable(Batch(unchecked: schema, columns: try rel.combined().columns, rowCount: rel.rowCount))
    }

    func checkCancelled() throws {
        if isCancelled() { throw QueryError(.cancelled, "query cancelled") }
    }

    /// `body` over every chunk, concurrently when there are several and `parallel` is on.
    func eachChunk<T>(_ chunks: [Batch], _ body: (Batch) throws -> T) throws -> [T] {
        try eachPart(chunks.count) { try body(chunks[$0]) }
    }

    /// `body(0..<n)`, concurrently when `parallel` is on, checking cancellation before each.
    func eachPart<T>(_ n: Int, _ body: (Int) throws -> T) throws -> [T] {
        let work: (Int) throws -> T = { i in
            try self.checkCancelled()
            return try body(i)
        }
        return parallel ? try Parallel.map(n, work) : try (0..<n).map(work)
    }

    /// A table's columns as the plan's scan expects them, in one batch.
    func scanBatch(_ table: String, _ schema: Schema) throws -> Batch {
        guard catalog.schema(of: table) != nil else {
            throw QueryError(.unknownTable, "unknown table \"\(table)\"", help: EditDistance.suggestion(for: table, among: catalog.tableNames))
        }
        let batch: Batch
        do { batch = try catalog.load(table, columns: schema.names) } catch let e as QueryError { throw e } catch {
            throw QueryError(.catalog, "loading \(table) failed: \(error)")
        }
        guard batch.schema.names == schema.names, batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw QueryError(.catalog, "table \(table) has columns \(batch.schema), the plan expects \(schema)")
        }
        return Batch(unchecked: schema, columns: batch.columns, rowCount: batch.rowCount)
    }

    /// A filter right on a scan: each chunk selects its rows with ``RowFilter`` straight from
    /// the table's columns and gathers only those (no copy of the chunk first).
    func filteredScan(_ table: String, _ schema: Schema, _ predicate: Expr) throws -> Relation {
        let full = try scanBatch(table, schema)
        let bound = try BoundExpr.bind(predicate, schema, as: .bool)
        let ranges = Parallel.ranges(full.rowCount, size: chunkSize)
        return Relation(schema: schema, chunks: try eachPart(ranges.count) { k in
            let keep = try RowFilter.select(bound, full, ranges[k])
            return keep.count == ranges[k].count ? full.slice(ranges[k]) : full.gather(keep)
        })
    }

    func execute(_ plan: LogicalPlan) throws -> Relation {
        try checkCancelled()
        switch plan {
        case .scan(let table, let schema):
            return Relation(schema: schema, single: try scanBatch(table, schema), chunkSize: chunkSize)
        case .filter(.scan(let table, let schema), let predicate):
            return try filteredScan(table, schema, predicate)
        case .filter(let child, let predicate):
            let input = try execute(child)
            let bound = try BoundExpr.bind(predicate, input.schema, as: .bool)
            return Relation(schema: input.schema, chunks: try eachChunk(input.chunks) { b in
                let keep = try RowFilter.select(bound, b, 0..<b.rowCount)
                return keep.count == b.rowCount ? b : b.gather(keep)
            })
        case .derive(let child, let items):
            let input = try execute(child)
            var steps: [(BoundExpr, Int?, Field)] = []
            var s = input.schema
            for item in items {
                let bound = try BoundExpr.bind(item.expr, s)
                let f = Field(item.name, bound.type)
                let at = s.index(of: item.name)
                if let at { s.fields[at] = f } else { s.fields.append(f) }
                steps.append((bound, at, f))
            }
            let out = s
            return Relation(schema: out, chunks: try eachChunk(input.chunks) { b in
                var cur = b
                for (bound, at, f) in steps {
                    let col = try VectorEvaluator.evaluate(bound, cur)
                    if let at { cur.columns[at] = col; cur.schema.fields[at] = f } else { cur.columns.append(col); cur.schema.fields.append(f) }
                }
                return Batch(unchecked: out, columns: cur.columns, rowCount: b.rowCount)
            })
        case .select(let child, let items):
            let input = try execute(child)
            let out = try plan.schema()
            let bound = try items.map { try BoundExpr.bind($0.expr, input.schema) }
            let picked = bound.compactMap { if case .column(let i, _) = $0 { i } else { nil } }
            if let whole = input.single, picked.count == bound.count {
                // Only columns, of one batch: pick them, copy nothing.
                return Relation(schema: out, single: Batch(unchecked: out, columns: picked.map { whole.columns[$0] }, rowCount: whole.rowCount), chunkSize: chunkSize)
            }
            return Relation(schema: out, chunks: try eachChunk(input.chunks) { b in
                Batch(unchecked: out, columns: try bound.map { try VectorEvaluator.evaluate($0, b) }, rowCount: b.rowCount)
            })
        case .aggregate(let child, let keys, let values):
            let aggregate = AggregateOperator(executor: self)
            if case .filter(.scan(let table, let schema), let predicate) = child {
                // Read the table in place: no filtered copy of its rows.
                return try aggregate.run(over: try scanBatch(table, schema), predicate: predicate, keys: keys, values: values, output: try plan.schema())
            }
            return try aggregate.run(try execute(child), keys: keys, values: values, output: try plan.schema())
        case .pivot(let child, let spec):
            if let spread = try PivotOperator(executor: self).run(child, spec, output: try plan.schema()) { return spread }
            return try execute(PlanLowering.pivotAsAggregate(child, spec))
        case .sort(let child, let keys):
            return try sorted(child, keys, first: nil)
        case .take(.sort(let child, let keys), let count, let offset):
            let (first, overflow) = count.addingReportingOverflow(offset)
            return taken(try sorted(child, keys, first: overflow ? nil : first), count: count, offset: offset)
        case .take(let child, let count, let offset):
            return taken(try execute(child), count: count, offset: offset)
        case .join(let left, let right, let kind, let on):
            let l = try execute(left), r = try execute(right)
            return try JoinOperator(executor: self).run(l, r, kind: kind, on: on, output: try plan.schema())
        case .union(let left, let right):
            let l = try execute(left), r = try execute(right)
            _ = try plan.schema()
            return Relation(schema: l.schema, chunks: l.chunks + r.chunks.map { Batch(unchecked: l.schema, columns: $0.columns, rowCount: $0.rowCount) })
        case .window(let child, let partition, let order, let functions):
            let input = try execute(child)
            return try WindowOperator(executor: self).run(input, partition: partition, order: order, functions: functions, output: try plan.schema())
        }
    }
}

extension Executor {
    /// The child's rows in the order of `keys`; only the first `first` of them when given
    /// (`sort … | take n` keeps a bounded heap instead of sorting every row).
    func sorted(_ child: LogicalPlan, _ keys: [SortKey], first: Int?) throws -> Relation {
        let input = try execute(child)
        let all = try input.combined()
        let columns = try keys.map { k -> ColumnVector in
            guard let c = all.column(named: k.column) else { throw QueryError(.unknownColumn, "unknown sort key \"\(k.column)\"") }
            return c
        }
        try checkCancelled()
        let descending = keys.map(\.descending)
        let order = first.map { SortOrder.top($0, columns, descending: descending, count: all.rowCount) }
            ?? SortOrder.permutation(columns, descending: descending, count: all.rowCount)
        return Relation(schema: input.schema, single: all.gather(order), chunkSize: chunkSize)
    }

    /// Rows `offset ..< offset + count` of the input.
    func taken(_ input: Relation, count: Int, offset: Int) -> Relation {
        var out: [Batch] = [], skip = offset, need = count
        for b in input.chunks where need > 0 {
            if skip >= b.rowCount { skip -= b.rowCount; continue }
            let (sum, overflow) = skip.addingReportingOverflow(need)
            let end = overflow ? b.rowCount : min(b.rowCount, sum)
            out.append(b.slice(skip..<end))
            need -= end - skip
            skip = 0
        }
        return Relation(schema: input.schema, chunks: out)
    }
}

/// An operator's output: chunks of one schema.
///
/// An operator that produces one batch (a scan, a sort, a join, an aggregate) keeps it whole:
/// ``chunks`` slices it for operators that work chunk by chunk, while ``combined()`` and
/// ``single`` hand it on without copying it into chunks and back.
struct Relation {
    var schema: Schema
    private var parts: [Batch]
    /// The whole output, when it is one batch.
    private(set) var single: Batch?
    private var chunkSize: Int

    init(schema: Schema, chunks: [Batch]) {
        self.schema = schema
        parts = chunks
        single = nil
        chunkSize = Parallel.defaultChunkSize
    }

    /// One batch, split into chunks of at most `chunkSize` rows when chunks are asked for.
    init(schema: Schema, single b: Batch, chunkSize: Int) {
        self.schema = schema
        parts = []
        single = b
        self.chunkSize = chunkSize
    }

    /// The rows as chunks of at most the chunk size (slices of a single batch).
    var chunks: [Batch] {
        guard let b = single else { return parts }
        return b.rowCount <= chunkSize ? [b] : Parallel.ranges(b.rowCount, size: chunkSize).map { b.slice($0) }
    }

    var rowCount: Int { single?.rowCount ?? parts.reduce(0) { $0 + $1.rowCount } }

    /// All chunks as one batch.
    func combined() throws -> Batch { try single ?? Batch.concatenate(parts, schema: schema) }
}
