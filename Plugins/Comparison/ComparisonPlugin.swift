import GongkaiPluginAPI
import NarrativeKit

/// The year-over-year comparison plugin.
///
/// What changed between an agency's consecutive reports, and was the text copied? The host
/// hands the plugin each pair of one agency's reports in consecutive years at ingest (pair
/// tables and a pair check), so the answers are in the workspace: `narrative_similarity`
/// (sections 一, 五, 六), `cross_year_identities` (identities 5 and 6), a `copied_section`
/// finding when a section is at least ``copiedThreshold`` the same, and the `year_over_year`
/// view pairing every numeric cell with last year's. ``ReportComparison/compare(_:_:)``
/// compares two parsed reports directly (`gongkai compare`, `.compare`). Rankings are the
/// language's window functions (`rank()`, `percent_rank()`, `partition_size()`; `.rank`).
public struct ComparisonPlugin: AnalysisPlugin {
    /// Stable id.
    public let id = "comparison"
    /// Plugin version.
    public let version = "1.1.0"
    /// Similarity (Jaccard of character 4-grams after normalising digits) from which a section
    /// counts as copied from last year's report.
    public static let copiedThreshold = 0.9
    /// Sections shorter than this (in normalised characters, e.g. a bare 无) are never called
    /// copied: boilerplate that short says nothing about the effort behind a report.
    public static let copiedMinimumLength = 30
    /// Longest copied passage kept in `narrative_similarity` (characters).
    public static let passageLimit = 200

    /// Creates the plugin.
    public init() {}

    /// The `year_over_year` view: agency, both years, the cell, both values, the change, the
    /// relative change (null when last year's value is 0, by the language's division rule),
    /// and for the cells a cross-year identity checks, that identity and its status.
    public static let yearOverYear = """
        let numeric = from cells
          | where kind == "number"
          | join (from reports | select {rid = report_id, agency, year}) (report_id == rid)
          | select {report_id, agency, year, table, row, col, value}
        let previous = from numeric
          | derive next_year = year + 1
          | select {agency_a = agency, year_a = year, next_year, table_a = table, row_a = row, col_a = col, value_a = value}
        let identities = from cross_year_identities
          | select {identity_report = report_id, identity_cell = cell, identity, identity_status = status}
        from numeric
          | join previous (agency == agency_a, year == next_year, table == table_a, row == row_a, col == col_a)
          | derive change = value - value_a, relative_change = (value - value_a) / value_a,
                   cell = concat(table, ".", row, ".", col)
          | join side:left identities (report_id == identity_report, cell == identity_cell)
          | select {report_id, agency, year_a, year_b = year, table, row, col, value_a, value_b = value, change, relative_change,
                    identity, identity_status}
        """

    /// Registers the pair tables, the copied-section check and the `year_over_year` view.
    public func register(_ registrar: PluginRegistrar) {
        registrar.addTable(PluginTable(
            name: Self.similarityTable,
            description: "sections 一, 五 and 六 of an agency's report compared with its report a year earlier",
            columns: [
                PluginColumn("section", .text, "总体情况, 存在的主要问题及改进情况 or 其他需要报告的事项"),
                PluginColumn("similarity", .decimal, "Jaccard similarity of character 4-grams, digits normalised (0–1, 4 decimals); null when a report lacks the section"),
                PluginColumn("containment", .decimal, "share of the shorter section's 4-grams found in the other (0–1)"),
                PluginColumn("longest_copied", .integer, "characters in the longest passage common to both (punctuation and spaces dropped)"),
                PluginColumn("passage", .text, "that passage as last year's report prints it (first \(Self.passageLimit) characters)"),
            ],
            prepare: { PreparedNarrative($0) },
            derivePair: { previous, current in Self.similarityRows(previous, current) }))
        registrar.addTable(PluginTable(
            name: "cross_year_identities",
            description: "identities 5 and 6 between an agency's report and its report a year earlier",
            columns: [
                PluginColumn("identity", .text, "5, 6.regulations or 6.normative_documents"),
                PluginColumn("cell", .text, "the later report's cell that is checked"),
                PluginColumn("status", .text, "holds, fails or not_applicable"),
                PluginColumn("printed", .decimal, "what the later report prints"),
                PluginColumn("expected", .decimal, "what the identity expects from both reports"),
            ],
            derivePair: { previous, current in
                ReportComparison.identities(previous, current, consecutive: true).map {
                    [.text($0.identity), .text($0.key), .text($0.status.rawValue), $0.printed, $0.expected]
                }
            }))
        registrar.addCheck(PluginCheck(
            rule: "copied_section",
            description: "a narrative section (of at least 30 characters) at least 90% the same as in the agency's report a year earlier",
            runPair: { previous, current in Self.copiedSections(previous, current) }))
        registrar.addTable(PluginTable(
            name: "year_over_year",
            description: "every numeric cell of an agency's report beside the same cell a year earlier, with change, relative change and cross-year identity status",
            view: Self.yearOverYear))
    }

    /// Sections 一, 五 and 六 of a pair compared (scores and passages, not the texts), once for
    /// the pair's table and its check.
    static func compareAll(_ previous: PluginReport, _ current: PluginReport) -> [SectionSimilarity] {
        memo.value(previous.narrative, current.narrative) {
            NarrativeSimilarity.compareAll(prepared(previous), prepared(current), texts: false)
        }
    }

    /// The comparisons of the last few pairs (the table and the check share them).
    private static let memo = NarrativeMemo<[SectionSimilarity]>()

    /// The table of section similarities, under whose name a report's prepared narrative is kept.
    static let similarityTable = "narrative_similarity"

    /// A report's narrative prepared for comparison: as the host prepared it where the
    /// report was parsed, else made here and kept for the pair with the next year.
    static func prepared(_ report: PluginReport) -> NarrativeSimilarity.Prepared {
        if let p = report.prepared[similarityTable] as? PreparedNarrative, p.isOf(report) { return p.prepared }
        return preparedMemo.value(report.narrative) { NarrativeSimilarity.Prepared(report.narrativeText) }
    }

    /// The last few reports' prepared narratives.
    private static let preparedMemo = NarrativeMemo<NarrativeSimilarity.Prepared>()

    /// One `narrative_similarity` row per compared section.
    static func similarityRows(_ previous: PluginReport, _ current: PluginReport) -> [[PluginValue]] {
        compareAll(previous, current).map { s in
            [.text(s.section.rawValue), fraction(s.score), fraction(s.containment), .integer(Int64(s.longestCommonLength)),
             s.longestCommonLength == 0 ? .null : .text(passage(s.longestCommonOriginal))]
        }
    }

    /// The first ``passageLimit`` characters of a passage (a text of no more bytes than that
    /// is whole: counting its characters is not needed).
    static func passage(_ text: String) -> String {
        text.utf8.count <= passageLimit ? text : String(text.prefix(passageLimit))
    }

    /// A finding for each section at least ``copiedThreshold`` the same as last year's.
    static func copiedSections(_ previous: PluginReport, _ current: PluginReport) -> [PluginFinding] {
        compareAll(previous, current).compactMap { s in
            guard let score = s.score, score >= copiedThreshold, min(s.lengthA, s.lengthB) >= copiedMinimumLength else { return nil }
            let percent = (score * 1000).rounded() / 10
            let year = previous.year.map { "the \($0) report" } ?? "last year's report"
            return PluginFinding(rule: "copied_section", severity: "warning",
                                 message: "section \(s.section.rawValue) is \(percent)% the same as in \(year) (longest common passage \(s.longestCommonLength) characters)")
        }
    }

    /// A score in [0, 1] at four decimals (null when absent).
    static func fraction(_ x: Double?) -> PluginValue {
        guard let x, x.isFinite else { return .null }
        return .decimal(mantissa: Int64((x * 10_000).rounded()), scale: 4)
    }
}

/// A report's narrative prepared for comparison (``PluginTable/prepare`` of
/// `narrative_similarity`), with the paragraphs it was made from.
struct PreparedNarrative: Sendable {
    /// The paragraphs prepared.
    let narrative: [PluginReport.Paragraph]
    /// Their text, prepared.
    let prepared: NarrativeSimilarity.Prepared

    /// Prepares `report`'s narrative.
    init(_ report: PluginReport) {
        narrative = report.narrative
        prepared = NarrativeSimilarity.Prepared(report.narrativeText)
    }

    /// Whether `report` still has the narrative this was made from (the same paragraphs: a
    /// view's copies share them, so this is a few pointer checks).
    func isOf(_ report: PluginReport) -> Bool {
        narrative.count == report.narrative.count
            && zip(narrative, report.narrative).allSatisfy { $0.span == $1.span && $0.text == $1.text }
    }
}
