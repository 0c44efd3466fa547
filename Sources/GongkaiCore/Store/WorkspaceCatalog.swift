import Foundation
import GRDB
import GongkaiPluginAPI

/// The workspace as the query engine sees it: every catalog table and plugin table, loaded
/// column by column from SQLite into typed vectors, and the plugins' metrics.
///
/// Loaded columns are kept in memory (a columnar snapshot) until the workspace changes, so a
/// session's second query over the same columns reads no SQLite at all.
public final class WorkspaceCatalog: Catalog, @unchecked Sendable {
    let workspace: Workspace
    private let lock = NSLock()
    private var cache: [String: ColumnVector] = [:]
    private var cachedVersion: Int64 = -1

    /// Creates the catalog of a workspace.
    public init(_ workspace: Workspace) { self.workspace = workspace }

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

    /// Loads columns (from the snapshot when the workspace has not changed since).
    public func load(_ table: String, columns: [String]) throws -> Batch {
        if let pipeline = viewPipeline(table) {
            let result = try Executor(catalog: self).run(Optimizer.default.optimize(try viewPlan(table, pipeline: pipeline)))
            return try Batch(schema: result.schema, columns: result.columns).selecting(columns)
        }
        guard let def = definition(table), let schema = schema(of: table) else {
            throw QueryError(.unknownTable, "unknown table \"\(table)\"", help: EditDistance.suggestion(for: table, among: tableNames))
        }
        let version = try workspace.dataVersion()
        lock.lock()
        if version != cachedVersion { cache = [:]; cachedVersion = version }
        var missing = columns.filter { cache["\(table).\($0)"] == nil }
        lock.unlock()
        for c in missing where schema.index(of: c) == nil {
            throw QueryError(.unknownColumn, "unknown column \"\(c)\" in \(table)", help: EditDistance.suggestion(for: c, among: schema.names))
        }
        missing = Array(Set(missing)).sorted()
        if !missing.isEmpty {
            let loaded = try loadFromSQLite(def, columns: missing)
            lock.lock()
            for (name, v) in loaded { cache["\(table).\(name)"] = v }
            lock.unlock()
        }
        lock.lock()
        let vectors = columns.map { cache["\(table).\($0)"]! }
        lock.unlock()
        return try Batch(schema: schema.selecting(columns), columns: vectors)
    }

    /// Reads whole columns with one SELECT, in report order.
    func loadFromSQLite(_ def: CatalogTables.Definition, columns: [String]) throws -> [String: ColumnVector] {
        let types = columns.map { c in def.columns.first { $0.name == c }!.type }
        let sql = "SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \"\(def.name)\" ORDER BY rowid"
        let orderBy = def.name == "cells" ? "SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \"cells\" ORDER BY report_id, \"table\", \"row\", col" : sql
        return try workspace.db.read { db in
            var ints = [[Int64]](repeating: [], count: columns.count)
            var decs = [[Quantity]](repeating: [], count: columns.count)
            var texts = [[String]](repeating: [], count: columns.count)
            var valid = [[Bool]](repeating: [], count: columns.count)
            let cursor = try Row.fetchCursor(db, sql: orderBy)
            while let row = try cursor.next() {
                for j in 0..<columns.count {
                    let dbv = row[j] as DatabaseValue
                    let isNull = dbv.isNull
                    valid[j].append(!isNull)
                    switch types[j] {
                    case .integer: ints[j].append(isNull ? 0 : (Int64.fromDatabaseValue(dbv) ?? 0))
                    case .decimal:
                        if isNull { decs[j].append(.zero) }
                        else if let s = String.fromDatabaseValue(dbv), let q = Quantity(s) { decs[j].append(q) }
                        else if let i = Int64.fromDatabaseValue(dbv) { decs[j].append(Quantity(mantissa: i)) }
                        else { decs[j].append(.zero) }
                    case .text: texts[j].append(isNull ? "" : (String.fromDatabaseValue(dbv) ?? ""))
                    }
                }
            }
            var out: [String: ColumnVector] = [:]
            for (j, c) in columns.enumerated() {
                let validity = valid[j].allSatisfy { $0 } ? nil : ValidityBitmap(valid[j])
                switch types[j] {
                case .integer: out[c] = ColumnVector(.integer(ints[j]), validity: validity)
                case .decimal: out[c] = ColumnVector(.decimal(decs[j]), validity: validity)
                case .text: out[c] = ColumnVector(.text(texts[j]), validity: validity)
                }
            }
            return out
        }
    }
}
