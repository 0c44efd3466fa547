import Foundation
import GRDB
import GongkaiPluginAPI

/// The workspace as the query engine sees it: every catalog table and plugin table, loaded
/// column by column from SQLite into typed vectors, and the plugins' metrics.
///
/// Loaded columns are kept in memory until the workspace changes, so a session's second
/// query over the same columns reads no SQLite at all, and saved as column files beside the
/// workspace (``ColumnSnapshot``), so the next process's first query does not either.
public final class WorkspaceCatalog: Catalog, @unchecked Sendable {
    let workspace: Workspace
    private let lock = NSLock()
    private var cache: [String: ColumnVector] = [:]
    private var cachedStamp = ColumnSnapshot.Stamp(workspace: -1, version: -1)
    private let snapshot: ColumnSnapshot

    /// Creates the catalog of a workspace.
    public init(_ workspace: Workspace) {
        self.workspace = workspace
        snapshot = ColumnSnapshot(workspacePath: workspace.path)
    }

    /// Built-in tables, then plugin tables (derived at ingest, or views over other tables).
    public var tableNames: [String] {
        CatalogTables.all.map(\.name) + workspace.registry.orderedTables.map(\.table.name)
    }

    /// Views being resolved on this thread (a view that refers to itself is an error, not a hang).
    private var resolving = Set<String>()

    /// The pipeline of a plugin view, if `table` is one.
    func viewPipeline(_ table: String) -> String? {
        guard CatalogTables.all.first(where: { $0.name == table }) == nil else { return nil }
        return workspace.registry.tables[table]?.table.view
    }

    /// Compiles a view's pipeline against this catalog.
    func viewPlan(_ table: String, pipeline: String) throws -> LogicalPlan {
        lock.lock()
        let cycle = resolving.contains(table)
        if !cycle { resolving.insert(table) }
        lock.unlock()
        if cycle { throw QueryError(.invalidPlan, "view \"\(table)\" refers to itself") }
        defer { lock.lock(); resolving.remove(table); lock.unlock() }
        switch Query.compile(pipeline, catalog: self) {
        case .success(let plan): return plan
        case .failure(let d): throw QueryError(.invalidPlan, "view \"\(table)\" does not compile: \(d.rendered)")
        }
    }

    /// The storage schema of a table.
    func definition(_ table: String) -> CatalogTables.Definition? {
        if let d = CatalogTables.all.first(where: { $0.name == table }) { return d }
        return workspace.registry.tables[table].flatMap { PluginBridge.definition($0.table) }
    }

    static func dataType(_ t: CatalogTables.ColumnType) -> DataType {
        switch t {
        case .integer: return .integer
        case .decimal: return .decimal
        case .text: return .text
        }
    }

    /// A table's columns and types.
    public func schema(of table: String) -> Schema? {
        if let pipeline = viewPipeline(table) { return try? viewPlan(table, pipeline: pipeline).schema() }
        guard let d = definition(table) else { return nil }
        return Schema(d.columns.map { Field($0.name, Self.dataType($0.type), description: $0.description) })
    }

    /// The plugins' metrics.
    public var metrics: [MetricDefinition] {
        workspace.registry.metrics.values.sorted { $0.metric.name < $1.metric.name }.map {
            MetricDefinition(name: $0.metric.name, expression: $0.metric.expression,
                             descriptionZh: $0.metric.descriptionZh, descriptionEn: $0.metric.descriptionEn)
        }
    }

    /// Loads columns: from memory when this catalog loaded them since the workspace last
    /// changed, else from the column files beside the workspace (``ColumnSnapshot``), else
    /// from SQLite (and then saves them as column files for the next process).
    public func load(_ table: String, columns: [String]) throws -> Batch {
        if let pipeline = viewPipeline(table) {
            let result = try Executor(catalog: self).run(Optimizer.default.optimize(try viewPlan(table, pipeline: pipeline)))
            return try Batch(schema: result.schema, columns: result.columns).selecting(columns)
        }
        guard let def = definition(table), let schema = schema(of: table) else {
            throw QueryError(.unknownTable, "unknown table \"\(table)\"", help: EditDistance.suggestion(for: table, among: tableNames))
        }
        let stamp = try workspace.snapshotStamp()
        lock.lock()
        if stamp != cachedStamp { cache = [:]; cachedStamp = stamp }
        var missing = columns.filter { cache["\(table).\($0)"] == nil }
        lock.unlock()
        for c in missing where schema.index(of: c) == nil {
            throw QueryError(.unknownColumn, "unknown column \"\(c)\" in \(table)", help: EditDistance.suggestion(for: c, among: schema.names))
        }
        missing = Array(Set(missing)).sorted()
        var loaded: [String: ColumnVector] = [:]
        for c in missing {
            if let v = snapshot.read(table: table, column: c, type: schema.fields[schema.index(of: c)!].type, stamp: stamp) { loaded[c] = v }
        }
        let fromSQLite = missing.filter { loaded[$0] == nil }
        if !fromSQLite.isEmpty {
            let read = try loadFromSQLite(def, columns: fromSQLite)
            for (name, v) in read {
                loaded[name] = v
                snapshot.write(v, table: table, column: name, stamp: stamp)
            }
        }
        lock.lock()
        for (name, v) in loaded { cache["\(table).\(name)"] = v }
        let vectors = columns.map { cache["\(table).\($0)"]! }
        lock.unlock()
        return try Batch(schema: schema.selecting(columns), columns: vectors)
    }

    /// Reads whole columns with one SELECT, in report order.
    func loadFromSQLite(_ def: CatalogTables.Definition, columns: [String]) throws -> [String: ColumnVector] {
        if def.name == CatalogTables.cells.name {
            return try workspace.db.read { try workspace.cellStore.columns(columns, in: $0) }
        }
        let types = columns.map { c in Self.dataType(def.columns.first { $0.name == c }!.type) }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let vectors = try workspace.db.read { db in
            try ColumnLoader.load(db, sql: "SELECT \(list) FROM \"\(def.name)\" ORDER BY rowid", types: types)
        }
        return Dictionary(uniqueKeysWithValues: zip(columns, vectors))
    }
}
