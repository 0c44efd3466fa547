/// A set of rows held column-wise: a schema and one ``ColumnVector`` per field, equal lengths.
///
/// The catalog hands tables to the engine as batches; the engine splits them into chunks
/// that it processes on both cores.
public struct Batch: Sendable {
    /// The columns' names and types.
    public var schema: Schema
    /// One vector per field, in schema order.
    public var columns: [ColumnVector]
    /// The number of rows.
    public var rowCount: Int

    /// Creates a batch; throws when column counts, lengths or types disagree with the schema.
    public init(schema: Schema, columns: [ColumnVector]) throws {
        guard schema.count == columns.count else {
            throw QueryError(.invalidPlan, "batch has \(columns.count) columns for \(schema.count) fields")
        }
        let n = columns.first?.count ?? 0
        for (f, c) in zip(schema.fields, columns) {
            guard c.count == n else { throw QueryError(.invalidPlan, "column \"\(f.name)\" has \(c.count) rows, expected \(n)") }
            guard c.type == f.type else { throw QueryError(.type, "column \"\(f.name)\" holds \(c.type), schema says \(f.type)") }
        }
        self.init(unchecked: schema, columns: columns, rowCount: n)
    }

    /// Creates a batch from rows of values (handy for tests and small catalogs).
    public init(schema: Schema, rows: [[Value]]) throws {
        for (i, r) in rows.enumerated() where r.count != schema.count {
            throw QueryError(.invalidPlan, "row \(i) has \(r.count) values for \(schema.count) fields")
        }
        let cols = try schema.fields.enumerated().map { (j, f) in try ColumnVector(type: f.type, values: rows.map { $0[j] }) }
        self.init(unchecked: schema, columns: cols, rowCount: rows.count)
    }

    init(unchecked schema: Schema, columns: [ColumnVector], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// An empty batch of a schema.
    public static func empty(_ schema: Schema) -> Batch {
        Batch(unchecked: schema, columns: schema.fields.map { ColumnVector.nulls(type: $0.type, count: 0) }, rowCount: 0)
    }

    /// The column with that name, if present.
    public func column(named name: String) -> ColumnVector? { schema.index(of: name).map { columns[$0] } }

    /// Only the named columns, in the given order; throws on unknown names.
    public func selecting(_ names: [String]) throws -> Batch {
        let idx = try names.map { n in
            guard let i = schema.index(of: n) else {
                throw QueryError(.unknownColumn, "unknown column \"\(n)\"", help: EditDistance.suggestion(for: n, among: schema.names))
            }
            return i
        }
        return Batch(unchecked: Schema(idx.map { schema.fields[$0] }), columns: idx.map { columns[$0] }, rowCount: rowCount)
    }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> Batch {
        Batch(unchecked: schema, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Batch {
        Batch(unchecked: schema, columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }

    /// Row `i` as values.
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }

    /// All rows as values.
    public var rows: [[Value]] { (0..<rowCount).map(row) }

    /// Batches of the same schema stacked into one.
    public static func concatenate(_ parts: [Batch], schema: Schema) throws -> Batch {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return .empty(schema) }
        let cols = try schema.fields.indices.map { j in
            try ColumnVector.concatenate(parts.map { $0.columns[j] }, type: schema.fields[j].type)
        }
        return Batch(unchecked: schema, columns: cols, rowCount: parts.reduce(0) { $0 + $1.rowCount })
    }
}

/// A query result: typed columns plus their schema, readable per row or per column.
public struct ResultTable: Sendable {
    /// The output columns.
    public var schema: Schema
    /// One vector per output column.
    public var columns: [ColumnVector]
    /// The number of rows.
    public var rowCount: Int

    /// Creates a result from a batch.
    public init(_ batch: Batch) {
        schema = batch.schema
        columns = batch.columns
        rowCount = batch.rowCount
    }

    /// The value at a row and column position.
    public func value(row: Int, column: Int) -> Value { columns[column][row] }

    /// The value at a row in the named column (nil when there is no such column).
    public func value(row: Int, column name: String) -> Value? { schema.index(of: name).map { columns[$0][row] } }

    /// The named column, if present.
    public func column(named name: String) -> ColumnVector? { schema.index(of: name).map { columns[$0] } }

    /// Row `i` as values.
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }

    /// All rows as values, in result order.
    public var rows: [[Value]] { (0..<rowCount).map(row) }
}
