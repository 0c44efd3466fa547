/// Where queries find their tables and named metrics.
///
/// The workspace (SQLite via GRDB) implements it for real data; ``InMemoryCatalog`` serves tests.
public protocol Catalog: Sendable {
    /// The queryable table names.
    var tableNames: [String] { get }
    /// A table's columns, or nil when there is no such table.
    func schema(of table: String) -> Schema?
    /// Loads the named columns of a table (in that order) as one batch.
    func load(_ table: String, columns: [String]) throws -> Batch
    /// Named metrics that expressions may refer to by name.
    var metrics: [MetricDefinition] { get }
}

/// A named, documented expression that queries can use like a column (it is inlined).
///
/// `grant_rate = (granted + partially_granted) / total_processed`: referring to `grant_rate`
/// in an expression inlines the parsed expression. A metric containing aggregates is only
/// valid inside `aggregate {…}`.
public struct MetricDefinition: Hashable, Sendable {
    /// The name queries use.
    public var name: String
    /// The defining expression in pipeline-language syntax.
    public var expression: String
    /// Chinese description.
    public var descriptionZh: String
    /// English description.
    public var descriptionEn: String
    /// How null inputs are treated.
    public var nullRule: NullRule

    /// Creates a metric.
    public init(name: String, expression: String, descriptionZh: String = "", descriptionEn: String = "", nullRule: NullRule = .propagate) {
        self.name = name
        self.expression = expression
        self.descriptionZh = descriptionZh
        self.descriptionEn = descriptionEn
        self.nullRule = nullRule
    }
}

/// How a metric treats null (blank) inputs.
public enum NullRule: String, Hashable, Sendable {
    /// A null input makes the result null (the SQL default).
    case propagate
    /// Numeric column references are read as `coalesce(column, 0)` (a blank cell counts as 0).
    case nullAsZero
}

/// A catalog over batches held in memory: for tests, notebooks and small derived tables.
public struct InMemoryCatalog: Catalog {
    /// The tables by name.
    public var tables: [String: Batch]
    /// The metrics.
    public var metrics: [MetricDefinition]

    /// Creates a catalog.
    public init(tables: [String: Batch], metrics: [MetricDefinition] = []) {
        self.tables = tables
        self.metrics = metrics
    }

    /// The table names, sorted.
    public var tableNames: [String] { tables.keys.sorted() }

    /// The table's schema.
    public func schema(of table: String) -> Schema? { tables[table]?.schema }

    /// The named columns of a table.
    public func load(_ table: String, columns: [String]) throws -> Batch {
        guard let b = tables[table] else {
            throw QueryError(.unknownTable, "unknown table \"\(table)\"", help: EditDistance.suggestion(for: table, among: tableNames))
        }
        return try b.selecting(columns)
    }
}
