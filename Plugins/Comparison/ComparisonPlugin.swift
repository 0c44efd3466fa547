import GongkaiPluginAPI

/// The year-over-year comparison plugin.
///
/// A comparison needs two reports (last year's and this year's), while plugin tables, metrics
/// and checks see one report at a time, so this plugin registers nothing per report: the host
/// computes `year_over_year` across reports by pairing reports of the same agency in
/// consecutive years and calling ``ReportComparison/compare(_:_:)``; ``Ranking`` ranks a metric
/// within cohorts. The plugin exists so that the comparison is versioned and listed like every
/// other analysis.
public struct ComparisonPlugin: AnalysisPlugin {
    /// Stable id.
    public let id = "comparison"
    /// Plugin version.
    public let version = "1.0.0"

    /// Creates the plugin.
    public init() {}

    /// Registers nothing: the comparison runs across reports in the host (see the type's documentation).
    public func register(_ registrar: PluginRegistrar) {}
}
