import GongkaiPluginAPI

/// The year-over-year comparison plugin.
///
/// A comparison needs two reports (last year's and this year's), while derived plugin tables
/// see one report at a time, so `year_over_year` is a view: a pipeline over the workspace's
/// `cells` and `reports` that pairs every numeric cell of an agency's report with the same cell
/// of its report a year earlier. ``ReportComparison/compare(_:_:)`` compares two parsed reports
/// directly (`gongkai compare`, `.compare`); ``Ranking`` ranks a metric within cohorts.
public struct ComparisonPlugin: AnalysisPlugin {
    /// Stable id.
    public let id = "comparison"
    /// Plugin version.
    public let version = "1.0.0"

    /// Creates the plugin.
    public init() {}

    /// The `year_over_year` view: agency, both years, the cell, both values, the change and the
    /// relative change (null when last year's value is 0, by the language's division rule).
    public static let yearOverYear = """
        let numeric = from cells
          | where kind == "number"
          | join (from reports | select {rid = report_id, agency, year}) (report_id == rid)
          | select {agency, year, table, row, col, value}
        let previous = from numeric
          | derive next_year = year + 1
          | select {agency_a = agency, year_a = year, next_year, table_a = table, row_a = row, col_a = col, value_a = value}
        from numeric
          | join previous (agency == agency_a, year == next_year, table == table_a, row == row_a, col == col_a)
          | derive change = value - value_a, relative_change = (value - value_a) / value_a
          | select {agency, year_a, year_b = year, table, row, col, value_a, value_b = value, change, relative_change}
        """

    /// Registers the `year_over_year` view.
    public func register(_ registrar: PluginRegistrar) {
        registrar.addTable(PluginTable(
            name: "year_over_year",
            description: "every numeric cell of an agency's report beside the same cell a year earlier, with change and relative change",
            view: Self.yearOverYear))
    }
}
