import Foundation

/// Realistic synthetic reports for demos, tests and benchmarks: agencies at province, city and
/// county level across real divisions, series of consecutive years, skewed distributions, the
/// identities holding (and a small recorded share deliberately broken). Deterministic for a seed.
public struct SyntheticCorpus: Sendable {
    /// The layouts real reports come in.
    public enum Layout: String, Sendable, CaseIterable {
        /// pdftotext-style text: tab-separated cells, wrapped labels, page footers.
        case pdftext
        /// A government web page: tables with rowspan/colspan, `&nbsp;` blanks.
        case html
        /// Markdown / OCR output with pipe tables.
        case markdown
        /// Crawled page text: tables flattened into runs of digits.
        case flat

        /// The file extension.
        public var fileExtension: String {
            switch self {
            case .pdftext, .flat: return "txt"
            case .html: return "html"
            case .markdown: return "md"
            }
        }
    }

    /// A publishing body.
    public struct Agency: Sendable {
        /// Full name, e.g. 中卫市沙坡头区统计局.
        public var name: String
        /// Its region.
        public var region: Region
        /// Province, city or county level.
        public var level: Gazetteer.Level
        /// How busy it is (scales application counts).
        public var scale: Double
    }

    /// One generated report: truth values and the facts its narrative states.
    public struct Report: Sendable {
        /// The agency.
        public var agency: Agency
        /// Report year.
        public var year: Int
        /// Template generation.
        public var generation: Generation
        /// Every canonical cell's value as printed.
        public var cells: [CellKey: CellValue]
        /// The layout to render it in.
        public var layout: Layout
        /// Identities deliberately broken, described as in the corpus truth files.
        public var identityFailures: [String]
        /// Facts the narrative states (media output, received counts, fees).
        public var narrative: [String: Int]
        /// A stable file name (without extension).
        public var fileName: String
    }

    /// The seed.
    public let seed: UInt64
    /// Share of reports with a deliberately broken identity.
    public var brokenShare = 0.02

    /// Creates a corpus for a seed.
    public init(seed: UInt64) { self.seed = seed }

    static let departments = ["统计局", "财政局", "人力资源和社会保障局", "公安局", "自然资源局", "生态环境局", "住房和城乡建设局",
                              "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "人民政府办公室", "教育局", "民政局",
                              "司法局", "应急管理局", "医疗保障局", "水利局", "商务局", "文化和旅游局"]
    static let municipalities: Set<String> = ["北京市", "天津市", "上海市", "重庆市"]

    /// The first `count` reports of the corpus.
    public func reports(count: Int) -> [Report] {
        var out: [Report] = []
        out.reserveCapacity(count)
        forEachReport(count: count) { out.append($0) }
        return out
    }

    /// Calls `body` with each of the first `count` reports in order, holding one agency's
    /// reports at a time (a million reports stream in constant memory).
    public func forEachReport(count: Int, _ body: (Report) throws -> Void) rethrows {
        var rng = RandomSource(seed: seed)
        let g = Gazetteer.shared
        let current = g.divisions.filter { !$0.isFormer && $0.code / 10000 < 71 }   // mainland divisions
        let byLevel: [Gazetteer.Level: [Gazetteer.Division]] = Dictionary(grouping: current, by: \.level)
        var made = 0
        var usedNames = Set<String>()
        var collisions = 0
        while made < count {
            let level: Gazetteer.Level = [Gazetteer.Level.province, .city, .county][rng.pick([0.08, 0.27, 0.65])]
            guard let division = byLevel[level].map({ rng.element($0) }) else { continue }
            var median = level == .province ? 120.0 : level == .city ? 30 : 6
            var name = Self.agencyName(division, department: rng.element(Self.departments), gazetteer: g)
            if level == .county && usedNames.contains(name) {
                // That county department is taken: a township government or street office of the
                // county instead (the departments of all divisions make only some 64,000 names).
                name = Self.townshipName(division, rng: &rng, gazetteer: g)
                median = 2
            }
            guard !usedNames.contains(name) else {
                collisions += 1
                precondition(collisions < 100_000, "synthetic agency names exhausted after \(made) reports")
                continue
            }
            collisions = 0
            usedNames.insert(name)
            let agency = Agency(name: name, region: g.region(of: division), level: level, scale: median * _exp(0.8 * (rng.unit() - 0.5)))
            let first = rng.int(2019...2022)
            let years = min(rng.int(1...6), 2024 - first + 1, count - made)
            var history = AgencyHistory()
            for y in first..<(first + years) {
                var r = makeReport(agency, year: y, history: &history, rng: &rng)
                made += 1
                r.fileName = String(format: "%06d_%d", made, y)
                try body(r)
            }
        }
    }

    static let townshipFirst = Array("东西南北新金石马白龙黄青安平永长太兴高桃柳杨梅松云凤丰和福宝")
    static let townshipSecond = Array("坪桥湾口坝店营庄集寨岭溪塘埠坡堡林田阳源")

    /// A township government (镇/乡人民政府) or street office (街道办事处) of a county-level
    /// division, e.g. 毕节市金沙县石桥镇人民政府.
    static func townshipName(_ d: Gazetteer.Division, rng: inout RandomSource, gazetteer g: Gazetteer) -> String {
        var prefix = d.name
        if let parent = g.division(code: d.parentCode ?? 0) { prefix = parent.name + d.name }
        let place = String([rng.element(townshipFirst), rng.element(townshipSecond)])
        switch rng.pick([0.55, 0.2, 0.25]) {
        case 0: return prefix + place + "镇人民政府"
        case 1: return prefix + place + "乡人民政府"
        default: return prefix + place + "街道办事处"
        }
    }

    /// A real-looking agency name: place prefix (city + county for county organs) and department.
    static func agencyName(_ d: Gazetteer.Division, department: String, gazetteer g: Gazetteer) -> String {
        var prefix = d.name
        if d.level == .county, let parent = g.division(code: d.parentCode ?? 0) { prefix = parent.name + d.name }
        var dept = department
        if d.level == .province && !municipalities.contains(d.name) {
            dept = dept.replacingSuffix("局", with: "厅").replacingSuffix("人民政府办公室", with: "人民政府办公厅")
            if department == "统计局" || department == "市场监督管理局" || department == "医疗保障局" { dept = department }
        }
        return prefix + dept
    }

    /// What one agency carries from year to year (identities 5 and 6).
    struct AgencyHistory {
        var carriedForward: [Int]? = nil
        var regulationsInForce: Int? = nil
        var normativeInForce: Int? = nil
    }

    func makeReport(_ agency: Agency, year: Int, history: inout AgencyHistory, rng: inout RandomSource) -> Report {
        let generation: Generation = year >= 2021 || (year == 2020 && rng.chance(0.05)) ? .v2021 : .v2019
        var cells: [CellKey: CellValue] = [:]
        func set(_ t: ReportTable, _ r: String, _ c: String, _ v: Int) { cells[CellKey(t, r, c)] = .number(Quantity(v)) }

        // Section 三, per applicant column; identities 1–3 hold by construction.
        let cols = Array(Template.applicantColumns.dropLast())
        let newTotal = rng.chance(0.15) ? 0 : rng.skewed(median: agency.scale, spread: 0.9)
        let newByCol = rng.split(newTotal, weights: [0.82, 0.09, 0.01, 0.01, 0.04, 0.03])
        let carriedOver = history.carriedForward ?? newByCol.map { rng.chance(0.2) ? rng.int(0...max(0, $0 / 10)) : 0 }
        let outcomes = Template.outcomeRows(generation)
        let outcomeWeights = outcomes.map(Self.outcomeWeight)
        var carriedForward: [Int] = []
        for (i, c) in cols.enumerated() {
            let received = newByCol[i] + carriedOver[i]
            let forward = received > 0 && rng.chance(0.3) ? rng.int(0...max(0, received / 8)) : 0
            let processed = received - forward
            set(.applications, "new_received", c, newByCol[i])
            set(.applications, "carried_over", c, carriedOver[i])
            set(.applications, "total_processed", c, processed)
            set(.applications, "carried_forward", c, forward)
            for (row, n) in zip(outcomes, rng.split(processed, weights: outcomeWeights)) { set(.applications, row, c, n) }
            carriedForward.append(forward)
        }
        for row in Template.applicationRows(generation) {
            let sum = cols.reduce(0) { $0 + (cells[CellKey(.applications, row, $1)]?.quantity?.intValue ?? 0) }
            set(.applications, row, "total", sum)
        }
        history.carriedForward = carriedForward

        // Section 四: identity 4 holds.
        let reviewMedian = max(0.3, Double(newTotal) * 0.04)
        for p in Template.reviewRows {
            let total = rng.chance(0.5) ? 0 : rng.skewed(median: p == "admin_review" ? reviewMedian : reviewMedian / 2, spread: 0.7)
            let parts = rng.split(total, weights: [0.7, 0.1, 0.1, 0.1])
            for (c, n) in zip(Template.reviewColumns.dropLast(), parts) { set(.reviews, p, c, n) }
            set(.reviews, p, "total", total)
        }

        // Section 二.
        let busy = agency.scale / 6
        switch generation {
        case .v2021:
            let regIssued = agency.level == .county ? 0 : rng.chance(0.3) ? rng.int(1...3) : 0
            let regRepealed = regIssued > 0 && rng.chance(0.3) ? 1 : 0
            let regInForce = (history.regulationsInForce ?? (agency.level == .county ? 0 : rng.int(5...60))) + regIssued - regRepealed
            let ndIssued = rng.chance(0.3) ? 0 : rng.int(1...max(2, Int(busy * 2)))
            let ndRepealed = rng.chance(0.6) ? 0 : rng.int(0...ndIssued)
            let ndInForce = (history.normativeInForce ?? rng.int(ndIssued...max(ndIssued + 5, Int(busy * 20)))) + ndIssued - ndRepealed
            history.regulationsInForce = max(0, regInForce)
            history.normativeInForce = max(0, ndInForce)
            set(.proactive, "regulations", "issued", regIssued); set(.proactive, "regulations", "repealed", regRepealed)
            set(.proactive, "regulations", "in_force", max(0, regInForce))
            set(.proactive, "normative_documents", "issued", ndIssued); set(.proactive, "normative_documents", "repealed", ndRepealed)
            set(.proactive, "normative_documents", "in_force", max(0, ndInForce))
            set(.proactive, "licensing", "decisions", rng.chance(0.3) ? 0 : rng.skewed(median: busy * 150))
            set(.proactive, "penalty", "decisions", rng.chance(0.3) ? 0 : rng.skewed(median: busy * 40))
            set(.proactive, "coercion", "decisions", rng.chance(0.6) ? 0 : rng.skewed(median: busy * 5))
            cells[CellKey(.proactive, "fees", "amount")] = .number(rng.chance(0.6) ? .zero : Quantity(mantissa: Int64(rng.skewed(median: busy * 50_000)), scale: 4).normalized)
        case .v2019:
            for row in ["regulations", "normative_documents"] {
                let made = row == "regulations" && agency.level == .county ? 0 : rng.chance(0.4) ? 0 : rng.int(1...max(1, Int(busy * 3)))
                set(.proactive, row, "made", made); set(.proactive, row, "published", made)
                set(.proactive, row, "total_public", made + (row == "regulations" && agency.level == .county ? 0 : rng.int(0...max(1, Int(busy * 30)))))
            }
            for row in ["licensing", "other_services", "penalty", "coercion"] {
                let prior = rng.chance(0.3) ? 0 : rng.skewed(median: busy * 20)
                let change = rng.chance(0.75) ? 0 : rng.int(-min(prior, 5)...5)
                set(.proactive, row, "prior_items", prior); set(.proactive, row, "change", change)
                set(.proactive, row, "decisions", prior == 0 ? 0 : rng.skewed(median: busy * 60))
            }
            let feeItems = rng.chance(0.5) ? 0 : rng.int(1...12)
            set(.proactive, "fees", "prior_items", feeItems); set(.proactive, "fees", "change", 0)
            let projects = rng.chance(0.4) ? 0 : rng.skewed(median: busy * 8)
            set(.proactive, "procurement", "projects", projects)
            let amountYuan = projects == 0 ? 0 : Int64(projects) * Int64(rng.skewed(median: 300_000, spread: 0.6))
            cells[CellKey(.proactive, "procurement", "amount")] = .number(Quantity(mantissa: amountYuan, scale: 4).normalized)
        }

        // A small share break an identity on purpose, as real reports do.
        var failures: [String] = []
        if rng.chance(brokenShare) {
            let row = rng.element(["granted", "unable_not_held", "new_received"])
            let key = CellKey(.applications, row, "total")
            let v = cells[key]?.quantity?.intValue ?? 0
            cells[key] = .number(Quantity(v + 1))
            failures.append("row \(row): 3 fails: total \(v + 1) != \(v)")
        }

        var narrative: [String: Int] = [:]
        narrative["applications_received_text"] = newTotal
        narrative["website_posts"] = rng.skewed(median: agency.scale * 20)
        narrative["wechat_posts"] = rng.chance(0.2) ? 0 : rng.skewed(median: agency.scale * 15)
        narrative["wechat_original_posts"] = Int(Double(narrative["wechat_posts"]!) * (0.2 + 0.5 * rng.unit()))
        narrative["weibo_posts"] = rng.chance(0.5) ? 0 : rng.skewed(median: agency.scale * 5)
        if generation == .v2021 { narrative["fee_yuan"] = 0 }

        let layout = Layout.allCases[rng.pick([0.35, 0.3, 0.15, 0.2])]
        // Some web pages print blank cells instead of zeros for organisations.
        if layout == .html && rng.chance(0.3) {
            for (key, v) in cells where key.table == .applications && key.column != "natural_person" && key.column != "total" && v == .number(.zero) {
                cells[key] = .blank
            }
        }
        return Report(agency: agency, year: year, generation: generation, cells: cells, layout: layout,
                      identityFailures: failures, narrative: narrative, fileName: "")
    }

    /// How often each outcome occurs.
    static func outcomeWeight(_ row: String) -> Double {
        switch row {
        case "granted": return 0.38
        case "partially_granted": return 0.08
        case "unable_not_held": return 0.2
        case "unable_needs_creation": return 0.04
        case "unable_unclear": return 0.03
        case "not_processed_petition": return 0.06
        case "not_processed_duplicate": return 0.04
        case "other", "other_overdue_correction": return 0.05
        case "other_other": return 0.03
        case let r where r.hasPrefix("denied_"): return 0.012
        default: return 0.008
        }
    }
}

extension String {
    /// The string with `suffix` replaced when it ends with it.
    func replacingSuffix(_ suffix: String, with new: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + new : self
    }
}
