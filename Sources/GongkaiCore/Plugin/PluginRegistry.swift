import GongkaiPluginAPI

/// Why a plugin could not be registered or loaded. The message names the plugin and the clash.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    /// The explanation.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The explanation.
    public var description: String { message }
}

/// Every plugin Gongkai knows and everything they registered: tables, metrics, checks, REPL
/// commands, chart presets. Registration is all-or-nothing per plugin: a conflict (two
/// plugins registering one table name, a table named like a built-in one) is refused with a
/// clear error and leaves the registry as it was.
public final class PluginRegistry: @unchecked Sendable {
    /// What one plugin registered, for `gongkai plugins`.
    public struct Entry: Sendable {
        /// Plugin id.
        public var id: String
        /// Plugin version.
        public var version: String
        /// Contract version it was built for.
        public var apiVersion: Int
        /// `built-in` or the library path.
        public var source: String
        /// Names of what it registered.
        public var tables: [String] = [], metrics: [String] = [], checks: [String] = [], commands: [String] = [], charts: [String] = []
    }

    /// The plugins, in registration order.
    public private(set) var plugins: [Entry] = []
    /// Tables by name, with the owning plugin id.
    public private(set) var tables: [String: (plugin: String, table: PluginTable)] = [:]
    /// The INSERT statement of each table that plugins fill at ingest, by table name: made once
    /// here, not for every report (building the text was a fortieth of an ingest's CPU).
    private(set) var insertSQL: [String: InsertSQL] = [:]
    /// Metrics by name.
    public private(set) var metrics: [String: (plugin: String, metric: PluginMetric)] = [:]
    /// Checks, with the owning plugin id.
    public private(set) var checks: [(plugin: String, check: PluginCheck)] = []
    /// REPL commands by name.
    public private(set) var commands: [String: (plugin: String, command: PluginCommand)] = [:]
    /// Chart presets by name.
    public private(set) var charts: [String: (plugin: String, preset: PluginChartPreset)] = [:]

    /// Table names the core owns.
    public static let builtInTables = Set(CatalogTables.all.map(\.name))

    /// Creates an empty registry.
    public init() {}

    /// Plugin tables in registration order (derived tables first use at ingest). Kept as
    /// plugins register: the ingest walks it for every report.
    public private(set) var orderedTables: [(plugin: String, table: PluginTable)] = []

    /// Registers a plugin, or throws without changing anything.
    public func register(_ plugin: any AnalysisPlugin, source: String = "built-in") throws {
        guard plugin.apiVersion == gongkaiPluginAPIVersion else {
            throw PluginError("plugin \(plugin.id) \(plugin.version) (\(source)) was built for plugin API version \(plugin.apiVersion); this Gongkai provides version \(gongkaiPluginAPIVersion): rebuild it against this version")
        }
        guard !plugins.contains(where: { $0.id == plugin.id }) else {
            throw PluginError("plugin \(plugin.id) (\(source)) is already registered")
        }
        let pending = Collector()
        plugin.register(pending)
        var entry = Entry(id: plugin.id, version: plugin.version, apiVersion: plugin.apiVersion, source: source)
        var seen = Set<String>()
        for t in pending.tables {
            if Self.builtInTables.contains(t.name) { throw PluginError("plugin \(plugin.id): table \(t.name) clashes with a built-in table") }
            if let owner = tables[t.name] { throw PluginError("plugin \(plugin.id): table \(t.name) is already registered by plugin \(owner.plugin)") }
            if !seen.insert(t.name).inserted { throw PluginError("plugin \(plugin.id): table \(t.name) registered twice") }
            if !Self.isIdentifier(t.name) { throw PluginError("plugin \(plugin.id): table name \"\(t.name)\" is not snake_case") }
            if (t.derive != nil || t.derivePair != nil) && t.columns.isEmpty { throw PluginError("plugin \(plugin.id): table \(t.name) has no columns") }
            for c in t.columns where !Self.isIdentifier(c.name) || c.name == "report_id" || c.name == "previous_report_id" {
                throw PluginError("plugin \(plugin.id): table \(t.name): column name \"\(c.name)\" is not allowed")
            }
        }
        for c in pending.checks where (c.run == nil) == (c.runPair == nil) {
            throw PluginError("plugin \(plugin.id): check \(c.rule) must check either one report or a pair")
        }
        for m in pending.metrics {
            if let owner = metrics[m.name] { throw PluginError("plugin \(plugin.id): metric \(m.name) is already registered by plugin \(owner.plugin)") }
            if pending.metrics.filter({ $0.name == m.name }).count > 1 { throw PluginError("plugin \(plugin.id): metric \(m.name) registered twice") }
        }
        for c in pending.commands {
            if let owner = commands[c.name] { throw PluginError("plugin \(plugin.id): command .\(c.name) is already registered by plugin \(owner.plugin)") }
        }
        for c in pending.charts {
            if let owner = charts[c.name] { throw PluginError("plugin \(plugin.id): chart preset \(c.name) is already registered by plugin \(owner.plugin)") }
        }
        // Commit.
        for t in pending.tables {
            tables[t.name] = (plugin.id, t)
            orderedTables.append((plugin.id, t))
            entry.tables.append(t.name)
            if t.derive != nil || t.derivePair != nil { insertSQL[t.name] = PluginRows.insertSQL(t) }
        }
        for c in pending.checks where (c.run == nil) == (c.runPair == nil) {
            throw PluginError("plugin \(plugin.id): check \(c.rule) must check either one report or a pair")
        }
        for m in pending.metrics { metrics[m.name] = (plugin.id, m); entry.metrics.append(m.name) }
        for c in pending.checks { checks.append((plugin.id, c)); entry.checks.append(c.rule) }
        for c in pending.commands { commands[c.name] = (plugin.id, c); entry.commands.append(c.name) }
        for c in pending.charts { charts[c.name] = (plugin.id, c); entry.charts.append(c.name) }
        plugins.append(entry)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || ("a"..."z").contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Collects one plugin's registrations before they are checked.
    final class Collector: PluginRegistrar {
        var tables: [PluginTable] = []
        var metrics: [PluginMetric] = []
        var checks: [PluginCheck] = []
        var commands: [PluginCommand] = []
        var charts: [PluginChartPreset] = []
        func addTable(_ table: PluginTable) { tables.append(table) }
        func addMetric(_ metric: PluginMetric) { metrics.append(metric) }
        func addCheck(_ check: PluginCheck) { checks.append(check) }
        func addCommand(_ command: PluginCommand) { commands.append(command) }
        func addChartPreset(_ preset: PluginChartPreset) { charts.append(preset) }
    }
}
