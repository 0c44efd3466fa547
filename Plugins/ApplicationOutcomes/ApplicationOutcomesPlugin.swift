import GongkaiPluginAPI

/// How disclosure applications ended: per report × applicant, the outcome counts and their
/// rates, and for section 四 the review and litigation outcomes with the correction rate.
///
/// Every rate is null when its denominator is 0 or unknown (a blank cell counts as 0 in the
/// sums, as the template's identities do; a row with no printed cell at all is unknown).
public struct ApplicationOutcomesPlugin: AnalysisPlugin {
    /// Stable id.
    public let id = "application_outcomes"
    /// Plugin version.
    public let version = "1.0.0"

    /// Creates the plugin.
    public init() {}

    static let applicants = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
    static let deniedRows = ["denied_state_secret", "denied_prohibited_by_law", "denied_three_safeties", "denied_third_party",
                             "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query"]
    static let unableRows = ["unable_not_held", "unable_needs_creation", "unable_unclear"]
    static let notProcessedRows = ["not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                                   "not_processed_excessive", "not_processed_confirmation"]
    static let otherRows = ["other", "other_overdue_correction", "other_unpaid_fee", "other_other"]
    /// Rates are stored with six decimals.
    static let rateScale = 6

    /// Registers the `outcomes` and `review_outcomes` tables and the metrics.
    public func register(_ r: PluginRegistrar) {
        r.addTable(PluginTable(
            name: "outcomes",
            description: "one row per report × applicant: outcome counts and rates (section 三)",
            columns: [
                PluginColumn("agency", .text, "publishing body"), PluginColumn("year", .integer, "report year"),
                PluginColumn("province", .text, "province"), PluginColumn("applicant", .text, "applicant column"),
                PluginColumn("received", .integer, "new_received + carried_over"),
                PluginColumn("processed", .integer, "total_processed"),
                PluginColumn("granted", .integer, "granted + partially_granted"),
                PluginColumn("denied", .integer, "Σ denied_*"), PluginColumn("unable", .integer, "Σ unable_*"),
                PluginColumn("not_processed", .integer, "Σ not_processed_*"), PluginColumn("other", .integer, "other or Σ other_*"),
                PluginColumn("carried_forward", .integer, "carried_forward"),
                PluginColumn("grant_rate", .decimal, "(granted + partially_granted) / total_processed"),
                PluginColumn("denial_rate", .decimal, "Σ denied_* / total_processed"),
                PluginColumn("unable_rate", .decimal, "Σ unable_* / total_processed"),
                PluginColumn("not_processed_rate", .decimal, "Σ not_processed_* / total_processed"),
                PluginColumn("other_rate", .decimal, "other / total_processed"),
                PluginColumn("backlog_rate", .decimal, "carried_forward / (new_received + carried_over)"),
                PluginColumn("legal_person_share", .decimal, "share of new applications from legal persons and other organisations (total row only)"),
                PluginColumn("leading_denial_reason", .text, "the denied_* row with the most applications (ties: the first printed); null when none"),
            ],
            derive: { report in Self.outcomeRows(report) }))
        r.addTable(PluginTable(
            name: "review_outcomes",
            description: "one row per report × proceeding: outcomes and correction rate (section 四)",
            columns: [
                PluginColumn("agency", .text, "publishing body"), PluginColumn("year", .integer, "report year"),
                PluginColumn("province", .text, "province"), PluginColumn("proceeding", .text, "admin_review, litigation_direct, litigation_after_review"),
                PluginColumn("total", .integer, "cases"), PluginColumn("corrected", .integer, "结果纠正"),
                PluginColumn("pending", .integer, "尚未审结"), PluginColumn("decided", .integer, "total − pending"),
                PluginColumn("correction_rate", .decimal, "corrected / (total − pending)"),
            ],
            derive: { report in Self.reviewRows(report) }))

        let rate = "null when the denominator is 0 or null"
        r.addMetric(PluginMetric(name: "received", table: "applications", expression: "new_received + carried_over",
                                 zh: "收到申请数（本年新收 + 上年结转）", en: "applications received: new plus carried over", nullRule: "null if either is null"))
        r.addMetric(PluginMetric(name: "processed", table: "applications", expression: "total_processed",
                                 zh: "本年办结数（总计）", en: "applications processed this year", nullRule: "as printed"))
        r.addMetric(PluginMetric(name: "grant_rate", table: "applications", expression: "(granted + partially_granted) / total_processed",
                                 zh: "公开率（予以公开 + 部分公开）/ 办结总数", en: "share granted in full or in part", nullRule: rate))
        r.addMetric(PluginMetric(name: "denial_rate", table: "applications", expression: "denied_total / total_processed",
                                 zh: "不予公开率", en: "share denied", nullRule: rate))
        r.addMetric(PluginMetric(name: "unable_rate", table: "applications", expression: "unable_total / total_processed",
                                 zh: "无法提供率", en: "share that could not be provided", nullRule: rate))
        r.addMetric(PluginMetric(name: "not_processed_rate", table: "applications", expression: "not_processed_total / total_processed",
                                 zh: "不予处理率", en: "share not processed", nullRule: rate))
        r.addMetric(PluginMetric(name: "other_rate", table: "applications", expression: "other_total / total_processed",
                                 zh: "其他处理率", en: "share handled otherwise", nullRule: rate))
        r.addMetric(PluginMetric(name: "backlog_rate", table: "applications", expression: "carried_forward / (new_received + carried_over)",
                                 zh: "结转率（结转下年 / 收到申请数）", en: "share carried forward to next year", nullRule: rate))
        r.addMetric(PluginMetric(name: "correction_rate", table: "reviews", expression: "corrected / (total - pending)",
                                 zh: "纠错率（结果纠正 / 已审结）", en: "share of decided cases corrected", nullRule: rate))
        r.addChartPreset(PluginChartPreset(
            name: "denial_rate_by_province", kind: "bar",
            pipeline: "from applications | where applicant == \"total\" | group province (aggregate {denied = sum(denied_total), processed = sum(total_processed)}) | derive denial_rate = denied / processed | sort -denial_rate",
            x: "province", y: "denial_rate"))
    }

    // MARK: Derivation

    /// An integer cell value (`nil` when blank, not applicable, or absent).
    static func int(_ v: PluginValue) -> Int64? {
        switch v {
        case .integer(let i): return i
        default: return nil
        }
    }

    /// Sum of the integer cells at `positions` of `cells` where at least one is printed; blank counts as 0.
    static func sum(_ cells: [PluginValue], _ positions: [Int]) -> Int64? {
        var total: Int64 = 0, printed = false
        for p in positions {
            if let v = int(cells[p]) { total += v; printed = true }
        }
        return printed ? total : nil
    }

    /// Where the cells of an applicant column are among the values of ``outcomeKeys``.
    struct ColumnCells: Sendable {
        let received, carriedOver, processed, forward: Int
        let granted, denied, unable, notProcessed, other: [Int]
    }

    /// The full cell names the `outcomes` table reads (`applications.ROW.COL`), made once.
    static let outcomeKeys: CellKeys = {
        var names: [String] = []
        for col in applicants {
            for row in ["new_received", "carried_over", "total_processed", "carried_forward", "granted", "partially_granted"]
                + deniedRows + unableRows + notProcessedRows + otherRows { names.append("applications.\(row).\(col)") }
        }
        return CellKeys(names)
    }()

    /// Each applicant column's cells among the values of ``outcomeKeys``.
    static let columnCells: [ColumnCells] = applicants.map { col in
        func at(_ row: String) -> Int { outcomeKeys.position(of: "applications.\(row).\(col)")! }
        return ColumnCells(received: at("new_received"), carriedOver: at("carried_over"), processed: at("total_processed"),
                           forward: at("carried_forward"), granted: ["granted", "partially_granted"].map(at),
                           denied: deniedRows.map(at), unable: unableRows.map(at), notProcessed: notProcessedRows.map(at),
                           other: otherRows.map(at))
    }

    /// The denied row (of ``deniedRows``, whose cells are at `positions` of `cells`) with the
    /// most applications, the first printed on a tie; null when none has any.
    static func leadingReason(_ cells: [PluginValue], _ positions: [Int]) -> PluginValue {
        var most: Int64 = 0, leading: Int?
        for (k, p) in positions.enumerated() {
            if let n = int(cells[p]), n > most { most = n; leading = k }
        }
        return leading.map { .text(deniedRows[$0]) } ?? .null
    }

    /// `num / den` rounded half-even to six decimals; null when either is null or den is 0.
    static func ratio(_ num: Int64?, _ den: Int64?) -> PluginValue {
        guard let n = num, let d = den, d != 0 else { return .null }
        let scale: Int64 = 1_000_000
        let (q, over) = n.multipliedReportingOverflow(by: scale)
        guard !over else { return .null }
        var m = q / d
        let rem = (q % d) * 2
        if abs(rem) > abs(d) || (abs(rem) == abs(d) && m % 2 != 0) { m += (q >= 0) == (d > 0) ? 1 : -1 }
        return .decimal(mantissa: m, scale: rateScale)
    }

    static func value(_ i: Int64?) -> PluginValue { i.map { .integer($0) } ?? .null }

    static func outcomeRows(_ r: PluginReport) -> [[PluginValue]] {
        let cells = outcomeKeys.values(in: r.cells)
        return zip(applicants, columnCells).map { col, at in
            let newR = int(cells[at.received]), over = int(cells[at.carriedOver])
            let received: Int64? = newR == nil && over == nil ? nil : (newR ?? 0) + (over ?? 0)
            let processed = int(cells[at.processed])
            let granted = sum(cells, at.granted)
            let denied = sum(cells, at.denied), unable = sum(cells, at.unable)
            let notProcessed = sum(cells, at.notProcessed), other = sum(cells, at.other)
            let forward = int(cells[at.forward])
            var legal: PluginValue = .null
            if col == "total" {
                let persons = int(cells[columnCells[0].received])
                if let t = newR, let p = persons { legal = ratio(t - p, t) }
            }
            let leading = leadingReason(cells, at.denied)
            return [
                r.agency.map { .text($0) } ?? .null, r.year.map { .integer(Int64($0)) } ?? .null, r.province.map { .text($0) } ?? .null,
                .text(col), value(received), value(processed), value(granted), value(denied), value(unable), value(notProcessed),
                value(other), value(forward),
                ratio(granted, processed), ratio(denied, processed), ratio(unable, processed), ratio(notProcessed, processed),
                ratio(other, processed), ratio(forward, received), legal, leading,
            ]
        }
    }

    /// The proceedings of the `review_outcomes` table and the full names of their cells
    /// (`reviews.PROCEEDING.total`, `.corrected`, `.pending`), made once.
    static let reviewKeys = ["admin_review", "litigation_direct", "litigation_after_review"].map { p in
        (proceeding: p, total: "reviews.\(p).total", corrected: "reviews.\(p).corrected", pending: "reviews.\(p).pending")
    }

    static func reviewRows(_ r: PluginReport) -> [[PluginValue]] {
        reviewKeys.map { keys in
            let p = keys.proceeding
            let total = int(r[keys.total]), corrected = int(r[keys.corrected]), pending = int(r[keys.pending])
            let decided: Int64? = total.map { $0 - (pending ?? 0) }
            return [
                r.agency.map { .text($0) } ?? .null, r.year.map { .integer(Int64($0)) } ?? .null, r.province.map { .text($0) } ?? .null,
                .text(p), value(total), value(corrected), value(pending), value(decided), ratio(corrected ?? (total == nil ? nil : 0), decided),
            ]
        }
    }
}
