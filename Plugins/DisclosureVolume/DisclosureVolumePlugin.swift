import GongkaiPluginAPI
import NarrativeKit

/// How much an agency disclosed proactively: the section 二 figures of the table
/// (`disclosure_volume`, one row per report, either template generation) and the counts the
/// narrative states (`disclosure_items`: 公开文件 47 个, 政府信息 2599 条 and its categories).
///
/// Pure: no I/O, no state. Cells come from the canonical keys; narrative counts from one
/// linear pass over the narrative (see `DisclosureItemsExtractor`).
public struct DisclosureVolumePlugin: AnalysisPlugin {
    /// Stable identifier of the plugin, used by the registry and in finding rules.
    public let id = "disclosure_volume"
    /// The plugin's own version, shown by `gongkai plugins`.
    public let version = "1.0.0"

    /// Creates the plugin (it has no configuration).
    public init() {}

    /// Registers the `disclosure_volume` and `disclosure_items` tables, metrics, checks and a chart preset.
    public func register(_ r: PluginRegistrar) {
        r.addTable(PluginTable(
            name: "disclosure_volume",
            description: "one row per report: section 二 figures (both generations; null where the generation lacks the cell)",
            columns: VolumeRow.columns.map { PluginColumn($0.name, $0.type, $0.description) },
            derive: { report in [VolumeRow.row(report)] }))
        r.addTable(PluginTable(
            name: "disclosure_items",
            description: "one row per proactive-disclosure count stated in the narrative",
            columns: [
                PluginColumn("category", .text, "the thing counted, as printed and cleaned (公开文件, 国民经济和社会发展统计信息)"),
                PluginColumn("count", .integer, "the count, normalised (1.2万 → 12000)"),
                PluginColumn("unit", .text, "the unit as printed: 条 篇 件 个 份 项 期 则 批次 批"),
                PluginColumn("qualifier", .text, "exact, or approximately (余 近 约 多 超过 逾 左右 以上 突破)"),
                PluginColumn("parent", .text, "the category of the count this one breaks down (其中…, or the parenthesis after it); null at top level"),
                PluginColumn("text", .text, "the clause the count was read from"),
                PluginColumn("line", .integer, "line of the count in the source file"),
            ],
            derive: { report in Self.itemRows(report) }))

        r.addMetric(PluginMetric(
            name: "normative_prior_in_force", table: "disclosure_volume",
            expression: "normative_documents_in_force - normative_documents_issued + normative_documents_repealed",
            zh: "按本年数据推算的上年末现行有效行政规范性文件数（现行有效 − 本年制发 + 本年废止）",
            en: "normative documents in force at the end of last year as implied by this year's row (2021 generation)",
            nullRule: "null when any of the three cells is blank, na or absent (2019 generation)"))
        r.addMetric(PluginMetric(
            name: "regulations_prior_in_force", table: "disclosure_volume",
            expression: "regulations_in_force - regulations_issued + regulations_repealed",
            zh: "按本年数据推算的上年末现行有效规章数", en: "regulations in force at the end of last year as implied by this year's row",
            nullRule: "null when any of the three cells is blank, na or absent (2019 generation)"))
        r.addMetric(PluginMetric(
            name: "enforcement_decisions", table: "disclosure_volume",
            expression: "licensing_decisions + penalty_decisions + coercion_decisions",
            zh: "行政许可、行政处罚、行政强制处理决定数之和", en: "licensing, penalty and coercion decisions together",
            nullRule: "null when any of the three is null"))
        r.addMetric(PluginMetric(
            name: "procurement_amount_per_project", table: "disclosure_volume",
            expression: "procurement_amount / procurement_projects",
            zh: "政府集中采购平均每个项目金额（万元）", en: "central procurement amount per project, 万元 (2019 generation)",
            nullRule: "null when there are no projects (division by zero) or either cell is null"))

        r.addCheck(PluginCheck(
            rule: "items_exceed_parent",
            description: "the counts of a breakdown (其中…) add up to more than the count they break down",
            run: { report in Self.breakdownFindings(report) }))
        r.addCheck(PluginCheck(
            rule: "narrative_normative_documents",
            description: "the narrative states a number of 规范性文件 that differs from the table's issued (2021) or published (2019) count",
            run: { report in Self.normativeFindings(report) }))

        r.addChartPreset(PluginChartPreset(
            name: "normative_in_force_by_year", kind: "line",
            pipeline: #"from disclosure_volume | where generation == "2021" | sort year"#,
            x: "year", y: "normative_documents_in_force"))
    }

    /// The stated counts of a report, read once for its table and its checks.
    static func items(_ report: PluginReport) -> [DisclosureItem] {
        memo.value(report.narrative) {
            var extractor = DisclosureItemsExtractor(report.narrative)
            return extractor.extract()
        }
    }

    /// The counts of the last few narratives read (the table and the checks share them).
    private static let memo = NarrativeMemo<[DisclosureItem]>()

    /// The rows of `disclosure_items`, one value per column.
    static func itemRows(_ report: PluginReport) -> [[PluginValue]] {
        items(report).map { item in
            [.text(item.category), .integer(item.count), .text(item.unit), .text(item.qualifier),
             item.parent.map { .text($0) } ?? .null, .text(item.text), .integer(Int64(item.line))]
        }
    }

    /// Breakdowns whose exact parts (in the parent's unit) add up to more than the exact parent.
    static func breakdownFindings(_ report: PluginReport) -> [PluginFinding] {
        let all = items(report)
        var sums: [Int: Int64] = [:]
        for item in all {
            guard let p = item.parentIndex, p < all.count, !item.approximate, item.unit == all[p].unit else { continue }
            sums[p, default: 0] += item.count
        }
        return sums.keys.sorted().compactMap { p in
            let parent = all[p]
            guard let sum = sums[p], !parent.approximate, sum > parent.count else { return nil }
            return PluginFinding(rule: "items_exceed_parent", severity: "info",
                                 message: "line \(parent.line): the parts of \(parent.category) \(parent.count)\(parent.unit) add up to "
                                     + "\(sum)\(parent.unit) (the categories may overlap)")
        }
    }

    /// A narrative count of (行政)规范性文件 that no table cell confirms.
    static func normativeFindings(_ report: PluginReport) -> [PluginFinding] {
        let key = report.generation == "2021" ? "proactive.normative_documents.issued" : "proactive.normative_documents.published"
        guard case .integer(let table) = VolumeRow.integer(report[key]) else { return [] }
        let stated = items(report).filter { ($0.category == "行政规范性文件" || $0.category == "规范性文件") && !$0.approximate }
        guard !stated.isEmpty, !stated.contains(where: { $0.count == table }) else { return [] }
        let first = stated[0]
        return [PluginFinding(rule: "narrative_normative_documents", severity: "info",
                              message: "line \(first.line): the narrative states \(first.count) \(first.category) (\(first.text)); "
                                  + "the table prints \(table) in \(key)",
                              cells: [key])]
    }
}
