import GongkaiPluginAPI

/// An example plugin: how long each report's narrative is, and how much of it is section 五
/// (problems and improvements). It registers one table, one metric and one REPL command.
public struct NarrativeStatsPlugin: AnalysisPlugin {
    /// Stable id.
    public let id = "narrative_stats"
    /// Plugin version.
    public let version = "0.1.0"

    /// Creates the plugin.
    public init() {}

    /// Registers the `narrative_stats` table, a metric and the `.longest` command.
    public func register(_ r: PluginRegistrar) {
        r.addTable(PluginTable(
            name: "narrative_stats",
            description: "one row per report: size of the narrative",
            columns: [
                PluginColumn("agency", .text, "publishing body"),
                PluginColumn("year", .integer, "report year"),
                PluginColumn("paragraphs", .integer, "narrative paragraphs"),
                PluginColumn("characters", .integer, "characters of narrative text"),
            ],
            derive: { report in
                let chars = report.narrative.reduce(0) { $0 + $1.text.count }
                return [[report.agency.map { .text($0) } ?? .null, report.year.map { .integer(Int64($0)) } ?? .null,
                         .integer(Int64(report.narrative.count)), .integer(Int64(chars))]]
            }))
        r.addMetric(PluginMetric(name: "characters_per_paragraph", table: "narrative_stats", expression: "characters / paragraphs",
                                 zh: "每段平均字数", en: "average characters per paragraph", nullRule: "null when there are no paragraphs"))
        r.addCommand(PluginCommand(name: "longest", help: "the reports with the longest narratives") { args, ctx in
            let n = Int(args.first ?? "") ?? 5
            let result = try ctx.query("from narrative_stats | sort -characters | take \(n)")
            return result.rows.map { $0.map(\.description).joined(separator: "  ") }.joined(separator: "\n")
        })
    }
}

/// The contract version this library was built against (checked by the host before anything else).
@_cdecl("gongkai_plugin_api_version")
public func gongkaiPluginAPIVersionEntry() -> Int32 { Int32(gongkaiPluginAPIVersion) }

/// Creates the plugin for the host.
@_cdecl("gongkai_plugin_create")
public func gongkaiPluginCreate() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(PluginBox(NarrativeStatsPlugin())).toOpaque()
}
