import GongkaiCore
import GongkaiPluginAPI

extension Session {
    /// Every queryable table with its description: built-in first, then plugin tables.
    public var tableList: [(name: String, description: String, owner: String)] {
        CatalogTables.all.map { ($0.name, $0.description, "core") }
            + registry.orderedTables.map { ($0.table.name, $0.table.description, $0.plugin) }
    }

    /// Columns of a table: name, type and description.
    public func columns(of table: String) -> [(name: String, type: String, description: String)]? {
        if let d = CatalogTables.all.first(where: { $0.name == table }) {
            return d.columns.map { ($0.name, $0.type.rawValue.lowercased(), $0.description) }
        }
        guard let t = registry.tables[table]?.table else { return nil }
        if t.view != nil {
            return catalog.schema(of: table)?.fields.map { ($0.name, $0.type.description, $0.description ?? "view column") }
        }
        return [("report_id", "integer", "the report")] + t.columns.map { ($0.name, $0.type.rawValue, $0.description) }
    }

    /// `.tables` as a display table.
    public func tablesTable() -> DisplayTable {
        DisplayTable(columns: ["table", "from", "description"], rows: tableList.map { [.text($0.name), .text($0.owner), .text($0.description)] })
    }

    /// `.schema TABLE` as a display table, or nil for an unknown table.
    public func schemaTable(_ table: String) -> DisplayTable? {
        columns(of: table).map { cols in
            DisplayTable(columns: ["column", "type", "description"], rows: cols.map { [.text($0.name), .text($0.type), .text($0.description)] })
        }
    }

    /// `.plugins` as a display table.
    public func pluginsTable() -> DisplayTable {
        DisplayTable(columns: ["plugin", "version", "api", "source", "registered"], rows: registry.plugins.map { p in
            let what = [("tables", p.tables), ("metrics", p.metrics), ("checks", p.checks), ("commands", p.commands.map { "." + $0 }), ("charts", p.charts)]
                .filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
            return [.text(p.id), .text(p.version), .integer(Int64(p.apiVersion)), .text(p.source), .text(what)]
        })
    }

    /// `.metrics` as a display table.
    public func metricsTable() -> DisplayTable {
        DisplayTable(columns: ["metric", "table", "formula", "定义", "definition", "nulls"],
                     rows: registry.metrics.values.sorted { $0.metric.name < $1.metric.name }.map {
                         [.text($0.metric.name), .text($0.metric.table), .text($0.metric.expression), .text($0.metric.descriptionZh),
                          .text($0.metric.descriptionEn), .text($0.metric.nullRule)]
                     })
    }
}
