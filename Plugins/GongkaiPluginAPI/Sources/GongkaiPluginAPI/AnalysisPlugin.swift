/// The version of the plugin contract. A plugin declares the version it was built for; the
/// host refuses a plugin built for another version with a clear message.
public let gongkaiPluginAPIVersion = 3

/// A table a plugin adds to the workspace: its schema and how its rows derive from one parsed
/// report at ingest (`derive`), from two reports of one agency in consecutive years
/// (`derivePair`), or a view defined by a pipeline over other tables (`view`).
public struct PluginTable: Sendable {
    /// snake_case table name; must not clash with another table.
    public var name: String
    /// What one row is.
    public var description: String
    /// The columns, besides `report_id` which the host adds first.
    public var columns: [PluginColumn]
    /// Rows derived from a report (each row has one value per column, in order).
    public var derive: (@Sendable (PluginReport) throws -> [[PluginValue]])?
    /// Rows derived from last year's and this year's report of one agency (each row has one
    /// value per column). The host adds `report_id` (this year's) and `previous_report_id`, and
    /// recomputes the rows whenever either report is stored or replaced.
    public var derivePair: (@Sendable (_ previous: PluginReport, _ current: PluginReport) throws -> [[PluginValue]])?
    /// Work on one report that the table's pairs need (say, its text prepared for comparison),
    /// which the host runs where the report is parsed, in parallel, and keeps in the report's
    /// ``PluginReport/prepared`` under the table's name: `derivePair` then finds it there
    /// instead of doing it on the ingest's one writer thread. Optional: a view read back from
    /// the workspace has nothing prepared.
    public var prepare: (@Sendable (PluginReport) -> any Sendable)?
    /// A pipeline over other tables, when the table is a view.
    public var view: String?

    /// A table derived from each report at ingest.
    public init(name: String, description: String, columns: [PluginColumn], derive: @escaping @Sendable (PluginReport) throws -> [[PluginValue]]) {
        self.name = name
        self.description = description
        self.columns = columns
        self.derive = derive
        self.derivePair = nil
        self.view = nil
    }

    /// A table derived from each pair of consecutive years' reports of one agency at ingest
    /// (`prepare`: work on one report that its pairs need, see ``prepare``).
    public init(name: String, description: String, columns: [PluginColumn],
                prepare: (@Sendable (PluginReport) -> any Sendable)? = nil,
                derivePair: @escaping @Sendable (_ previous: PluginReport, _ current: PluginReport) throws -> [[PluginValue]]) {
        self.name = name
        self.description = description
        self.columns = columns
        self.derive = nil
        self.derivePair = derivePair
        self.prepare = prepare
        self.view = nil
    }

    /// A view: a pipeline over other tables (no ingest work).
    public init(name: String, description: String, view: String) {
        self.name = name
        self.description = description
        self.columns = []
        self.derive = nil
        self.derivePair = nil
        self.view = view
    }
}

/// A named expression usable in queries, with its definition in Chinese and English.
public struct PluginMetric: Sendable {
    /// Name used in queries, e.g. `grant_rate`.
    public var name: String
    /// The expression in the pipeline language, e.g. `(granted + partially_granted) / total_processed`.
    public var expression: String
    /// The table whose columns the expression uses.
    public var table: String
    /// Definition in Chinese.
    public var descriptionZh: String
    /// Definition in English.
    public var descriptionEn: String
    /// What happens with nulls and a zero denominator.
    public var nullRule: String

    /// Declares a metric.
    public init(name: String, table: String, expression: String, zh: String, en: String, nullRule: String) {
        self.name = name
        self.table = table
        self.expression = expression
        self.descriptionZh = zh
        self.descriptionEn = en
        self.nullRule = nullRule
    }
}

/// A finding a plugin check reports about a report.
public struct PluginFinding: Sendable {
    /// Rule identifier (prefixed by the plugin id by the host).
    public var rule: String
    /// `info`, `warning` or `error`.
    public var severity: String
    /// One sentence for the user.
    public var message: String
    /// Canonical keys involved.
    public var cells: [String]

    /// Creates a finding.
    public init(rule: String, severity: String = "warning", message: String, cells: [String] = []) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.cells = cells
    }
}

/// A rule run at ingest on every report (`run`), or on every pair of one agency's reports in
/// consecutive years (`runPair`; its findings belong to the later report).
public struct PluginCheck: Sendable {
    /// Rule name.
    public var rule: String
    /// What it checks.
    public var description: String
    /// The check of one report.
    public var run: (@Sendable (PluginReport) throws -> [PluginFinding])?
    /// The check of last year's and this year's report of one agency.
    public var runPair: (@Sendable (_ previous: PluginReport, _ current: PluginReport) throws -> [PluginFinding])?

    /// Declares a check of one report.
    public init(rule: String, description: String, run: @escaping @Sendable (PluginReport) throws -> [PluginFinding]) {
        self.rule = rule
        self.description = description
        self.run = run
        self.runPair = nil
    }

    /// Declares a check of two consecutive years' reports of one agency.
    public init(rule: String, description: String,
                runPair: @escaping @Sendable (_ previous: PluginReport, _ current: PluginReport) throws -> [PluginFinding]) {
        self.rule = rule
        self.description = description
        self.run = nil
        self.runPair = runPair
    }
}

/// What a REPL command can do: run a query and read its rows.
public protocol PluginCommandContext: Sendable {
    /// Runs a pipeline and returns the column names and rows.
    func query(_ pipeline: String) throws -> (columns: [String], rows: [[PluginValue]])
}

/// A dot command a plugin adds to the REPL (`.name args`).
public struct PluginCommand: Sendable {
    /// Name without the dot.
    public var name: String
    /// One line of help.
    public var help: String
    /// Runs the command and returns the text to show.
    public var run: @Sendable ([String], PluginCommandContext) throws -> String

    /// Declares a command.
    public init(name: String, help: String, run: @escaping @Sendable ([String], PluginCommandContext) throws -> String) {
        self.name = name
        self.help = help
        self.run = run
    }
}

/// A ready-made chart: a pipeline and how to draw its result.
public struct PluginChartPreset: Sendable {
    /// Name, e.g. `denial_rate_by_province`.
    public var name: String
    /// Chart kind: `bar`, `spark`, `line`, `stacked`.
    public var kind: String
    /// The pipeline whose result is drawn.
    public var pipeline: String
    /// Column of labels (x axis) and of values (y axis).
    public var x: String, y: String

    /// Declares a preset.
    public init(name: String, kind: String, pipeline: String, x: String, y: String) {
        self.name = name
        self.kind = kind
        self.pipeline = pipeline
        self.x = x
        self.y = y
    }
}

/// What a plugin registers: collected by the host's registry, which rejects conflicts.
public protocol PluginRegistrar: AnyObject {
    /// Adds a table.
    func addTable(_ table: PluginTable)
    /// Adds a metric.
    func addMetric(_ metric: PluginMetric)
    /// Adds a check.
    func addCheck(_ check: PluginCheck)
    /// Adds a REPL command.
    func addCommand(_ command: PluginCommand)
    /// Adds a chart preset.
    func addChartPreset(_ preset: PluginChartPreset)
}

/// An analysis plugin: an id, a version, the contract version it needs, and its registrations.
///
/// Built-in plugins and runtime-loaded ones are the same kind of thing. A runtime plugin is a
/// shared library exporting a C entry point:
///
/// ```swift
/// @_cdecl("gongkai_plugin_create")
/// public func gongkaiPluginCreate() -> UnsafeMutableRawPointer {
///     Unmanaged.passRetained(PluginBox(MyPlugin())).toOpaque()
/// }
/// ```
public protocol AnalysisPlugin: Sendable {
    /// Stable identifier, e.g. `media_output`.
    var id: String { get }
    /// The plugin's own version, e.g. `1.0.0`.
    var version: String { get }
    /// The contract version it was built for (``gongkaiPluginAPIVersion`` at build time).
    var apiVersion: Int { get }
    /// Registers tables, metrics, checks, commands and chart presets.
    func register(_ registrar: PluginRegistrar)
}

extension AnalysisPlugin {
    /// Plugins built against this package declare its version by default.
    public var apiVersion: Int { gongkaiPluginAPIVersion }
}

/// Carries a plugin across the C entry point of a shared library.
public final class PluginBox {
    /// The plugin.
    public let plugin: any AnalysisPlugin
    /// The contract version the library was compiled against (read before trusting `plugin`).
    public let compiledAPIVersion: Int

    /// Boxes a plugin.
    public init(_ plugin: any AnalysisPlugin) {
        self.plugin = plugin
        self.compiledAPIVersion = gongkaiPluginAPIVersion
    }
}
