import Foundation
import GongkaiPluginAPI
@testable import GongkaiCore
import Testing
import DisclosureVolume

/// Expected values were read off the report texts (narrative) and their printed tables (cells).
@Suite("DisclosureVolume plugin")
struct DisclosureVolumeTests {
    /// A `disclosure_items` row reduced to what the tests compare.
    struct ItemFact: Hashable, CustomStringConvertible {
        var category: String, count: Int64, unit: String, parent: String?, qualifier: String = "exact"
        var description: String { "\(category) \(count)\(unit)\(parent.map { " ⊂ " + $0 } ?? "")\(qualifier == "exact" ? "" : " ~")" }
    }

    static func registered() -> NarrativeCorpus.Registrar {
        let r = NarrativeCorpus.Registrar()
        DisclosureVolumePlugin().register(r)
        return r
    }

    /// The single `disclosure_volume` row of a report, by column name.
    static func volume(_ report: PluginReport) throws -> [String: PluginValue] {
        let table = try #require(registered().tables.first { $0.name == "disclosure_volume" })
        let derive = try #require(table.derive)
        let rows = try derive(report)
        try #require(rows.count == 1)
        #expect(rows[0].count == table.columns.count)
        return Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.name), rows[0]))
    }

    /// The `disclosure_items` rows of a report, by column name.
    static func itemRows(_ report: PluginReport) throws -> [[String: PluginValue]] {
        let table = try #require(registered().tables.first { $0.name == "disclosure_items" })
        let names = table.columns.map(\.name)
        let derive = try #require(table.derive)
        return try derive(report).map { row in
            #expect(row.count == names.count)
            return Dictionary(uniqueKeysWithValues: zip(names, row))
        }
    }

    static func items(_ report: PluginReport) throws -> [ItemFact] {
        try itemRows(report).map { r in
            var parent: String? = nil
            if case .text(let p) = r["parent"] { parent = p }
            var count: Int64 = -1
            if case .integer(let c) = r["count"] { count = c }
            return ItemFact(category: r["category"]?.description ?? "", count: count, unit: r["unit"]?.description ?? "",
                            parent: parent, qualifier: r["qualifier"]?.description ?? "")
        }
    }

    static func items(_ paragraphs: String...) throws -> [ItemFact] {
        try items(NarrativeCorpus.report(paragraphs: paragraphs))
    }

    static func item(_ category: String, _ count: Int64, _ unit: String, _ parent: String? = nil, approx: Bool = false) -> ItemFact {
        ItemFact(category: category, count: count, unit: unit, parent: parent, qualifier: approx ? "approximately" : "exact")
    }

    // MARK: disclosure_volume

    @Test("2021 generation (平潭 2021, 2024; 市科委 2024): issued, repealed, in force, net change, decisions, fees in 万元",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func volume2021() throws {
        let v = try Self.volume(NarrativeCorpus.report("08_pingtan_2021.txt"))
        // 行政规范性文件693665 = 69 | 3 | 665; 规章000.
        #expect(v["normative_documents_issued"] == .integer(69))
        #expect(v["normative_documents_repealed"] == .integer(3))
        #expect(v["normative_documents_in_force"] == .integer(665))
        #expect(v["normative_net_change"] == .integer(66))
        #expect(v["regulations_net_change"] == .integer(0))
        #expect(v["licensing_decisions"] == .integer(2293))
        #expect(v["penalty_decisions"] == .integer(1282))
        #expect(v["coercion_decisions"] == .integer(42))
        #expect(v["fees_amount"] == .decimal(mantissa: 24252311082, scale: 6))
        #expect(v["generation"] == .text("2021"))
        #expect(v["year"] == .integer(2021))
        // Cells the 2021 generation does not have.
        for c in ["regulations_made", "normative_documents_published", "other_services_decisions", "fees_prior_items",
                  "procurement_projects", "procurement_amount"] { #expect(v[c] == .null, "\(c)") }

        let y2024 = try Self.volume(NarrativeCorpus.report("11_pingtan_2024.txt"))
        #expect(y2024["normative_net_change"] == .integer(29))          // 62 − 33 (in force 440)
        #expect(y2024["fees_amount"] == .decimal(mantissa: 1865106, scale: 2))
        let stcsm = try Self.volume(NarrativeCorpus.report("04_shanghai_stcsm_2024.txt"))
        #expect(stcsm["normative_net_change"] == .integer(13))          // 13 − 0 (in force 55)
        #expect(stcsm["licensing_decisions"] == .integer(97))
        #expect(stcsm["fees_amount"] == .decimal(mantissa: 0, scale: 0))
    }

    @Test("2019 generation (平潭 2019, 上海市政府办公厅 2019): made/published/total, decisions, fee items, procurement",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func volume2019() throws {
        let v = try Self.volume(NarrativeCorpus.report("06_pingtan_2019.txt"))
        #expect(v["normative_documents_made"] == .integer(89))
        #expect(v["normative_documents_published"] == .integer(89))
        #expect(v["normative_documents_total_public"] == .integer(89))
        #expect(v["regulations_total_public"] == .integer(0))
        #expect(v["licensing_decisions"] == .integer(181))
        #expect(v["other_services_decisions"] == .integer(153))
        #expect(v["penalty_decisions"] == .integer(430))
        #expect(v["coercion_decisions"] == .integer(25))
        #expect(v["fees_prior_items"] == .integer(35))
        #expect(v["fees_change"] == .integer(0))
        #expect(v["procurement_projects"] == .integer(135))
        #expect(v["procurement_amount"] == .decimal(mantissa: 7539443252, scale: 6))   // 75394432.52元
        for c in ["normative_documents_issued", "normative_documents_in_force", "fees_amount", "normative_net_change",
                  "regulations_net_change"] { #expect(v[c] == .null, "\(c)") }

        let sh = try Self.volume(NarrativeCorpus.report("01_shanghai_govoffice_2019.html"))
        #expect(sh["regulations_published"] == .integer(13))
        #expect(sh["regulations_total_public"] == .integer(524))
        #expect(sh["normative_documents_total_public"] == .integer(368))
        #expect(sh["procurement_projects"] == .integer(6))
        #expect(sh["procurement_amount"] == .decimal(mantissa: 251, scale: 1))          // 251000元
    }

    @Test("cells: blank and na are null, a whole decimal is an integer, the net change needs both cells")
    func cellConversion() throws {
        let report = NarrativeCorpus.report(paragraphs: [], generation: "2021", cells: [
            "proactive.normative_documents.issued": .decimal(mantissa: 120, scale: 1),
            "proactive.normative_documents.repealed": .text("na"),
            "proactive.regulations.issued": .integer(2), "proactive.regulations.repealed": .integer(5),
            "proactive.licensing.decisions": .decimal(mantissa: 15, scale: 1),
            "proactive.fees.amount": .integer(3),
        ])
        let v = try Self.volume(report)
        #expect(v["normative_documents_issued"] == .integer(12))
        #expect(v["normative_documents_repealed"] == .null)
        #expect(v["normative_net_change"] == .null)
        #expect(v["regulations_net_change"] == .integer(-3))
        #expect(v["licensing_decisions"] == .null)
        #expect(v["fees_amount"] == .decimal(mantissa: 3, scale: 0))
    }

    // MARK: disclosure_items

    @Test("沙坡头 2020: 公开文件 47 个 with its document series, 统计信息 19 条, 工作动态类信息 102 条, 政府网站公开 106 条 …",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func shapotou() throws {
        let report = try NarrativeCorpus.report("00_shapotou_stats_2020.txt")
        #expect(try Self.items(report) == [
            Self.item("公开文件", 47, "个"),
            Self.item("卫沙人普发", 23, "个", "公开文件"),
            Self.item("卫沙人普组发", 2, "个", "公开文件"),
            Self.item("卫沙统发", 21, "个", "公开文件"),
            Self.item("卫沙经普发", 1, "个", "公开文件"),
            Self.item("国民经济和社会发展统计信息", 19, "条"),
            Self.item("工作动态类信息", 102, "条"),
            Self.item("政府网站公开", 106, "条"),
            Self.item("新媒体发布", 106, "条"),
            Self.item("微信订阅号发布信息", 397, "条"),
            Self.item("局机关主动公开信息", 106, "条", "微信订阅号发布信息"),
            Self.item("转发信息", 291, "条", "微信订阅号发布信息"),
        ])
        let rows = try Self.itemRows(report)
        #expect(rows.first?["line"] == .integer(15))
        #expect(rows.last?["line"] == .integer(17))
        #expect(rows.first?["text"]?.description.contains("公开文件") == true)
    }

    @Test("平潭 2019: 共公布政府信息2599条 and its eleven categories; 财政资金信息 380 broken down; topics of numbered items",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func pingtan2019() throws {
        let items = try Self.items(NarrativeCorpus.report("06_pingtan_2019.txt"))
        let total = Self.item("政府信息", 2599, "条")
        let parts: [ItemFact] = [("机构职能类信息", 25), ("政策、规范性文件类信息", 68), ("规划计划类信息", 28), ("行政许可类信息", 69),
                                 ("重大建设项目信息", 90), ("为民办实事类信息", 175), ("民政扶贫救灾社会保障就业类信息", 67),
                                 ("国土资源城乡建设环保能源类信息", 983), ("科教文体卫生类信息", 48), ("安全生产、应急管理类信息", 124),
                                 ("其他应主动公开政府信息", 856)].map { Self.item($0.0, $0.1, "条", "政府信息") }
        #expect(Array(items.prefix(12)) == [total] + parts)
        let set = Set(items)
        for expected in [
            Self.item("财政资金信息", 380, "条"),                         // 今年共发布380条财政资金信息，其中…
            Self.item("专项资金", 152, "条", "财政资金信息"),
            Self.item("预决算公开", 197, "条", "财政资金信息"),
            Self.item("政府预决算", 32, "条", "预决算公开"),               // （政府预决算32条、部门预决算公开165条）
            Self.item("部门预决算公开", 165, "条", "预决算公开"),
            Self.item("三公经费", 27, "条", "财政资金信息"),
            Self.item("债券发行", 4, "条", "财政资金信息"),
            Self.item("征地信息", 61, "条"),
            Self.item("政府采购项目信息", 2536, "条"),
            Self.item("行政执法信息", 631, "条"),                         // （13）推进行政执法信息公开 … 全年公布631条
            Self.item("重大建设项目信息", 291, "条"),                     // （10）… 全年共发布信息291条
            Self.item("食品药品安全信息", 77, "条"),                      // （3）… 全年共发布77条信息
            Self.item("施工许可证", 76, "条"),                            // 核准企业资质条、施工许可证76条
            Self.item("网上信息、安全提示", 1000, "条", approx: true),   // 累计公布网上信息、安全提示等1000余条
        ] { #expect(set.contains(expected), "\(expected)") }
        // Not published items: 受理各类群众诉求259起, 网络诉求3件, 8大类348项公共服务事项, 868家, 六个部分.
        for v: Int64 in [259, 3, 348, 868, 6, 19] { #expect(!items.contains { $0.count == v }, "\(v)") }
    }

    @Test("平潭 2021 and 2024: the year's totals; nothing from the applications part",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func pingtan2021And2024() throws {
        let y2021 = try Self.items(NarrativeCorpus.report("08_pingtan_2021.txt"))
        #expect(y2021.first == Self.item("政府信息", 2645, "条"))              // 全年主动公开我区各级单位政府信息2645条
        #expect(y2021.contains(Self.item("农产品抽检情况", 20680, "批次")))    // 通过微信公众号发布20680批次农产品抽检情况
        #expect(y2021.contains(Self.item("重要政策文件解读", 29, "项")))        // 对29项…重要政策文件进行解读
        for v: Int64 in [70, 69, 1, 2, 20, 4] { #expect(!y2021.contains { $0.count == v }, "\(v)") }

        let y2024 = try Self.items(NarrativeCorpus.report("11_pingtan_2024.txt"))
        #expect(y2024 == [Self.item("政府信息", 10407, "条"),                  // 通过政府门户网站全年主动公开各类政府信息10407条
                          Self.item("政策文件解读", 96, "篇"),                 // 全年发布政策文件解读96篇
                          Self.item("行政规范性文件", 62, "件")])              // 动态更新发布本年度制发行政规范性文件62件
    }

    @Test("上海市科委 2024: 政府信息 393 件 with 其中包括 parts, the website's 2139 with its parts",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func stcsm() throws {
        let items = try Self.items(NarrativeCorpus.report("04_shanghai_stcsm_2024.txt"))
        let set = Set(items)
        for expected in [
            Self.item("政府信息", 393, "件"),
            Self.item("行政规范性文件", 13, "件", "政府信息"),
            Self.item("规划计划文件", 2, "件", "政府信息"),
            Self.item("主合办人大代表建议", 50, "件", "政府信息"),
            Self.item("主合办政协提案", 85, "件", "政府信息"),
            Self.item("集成式发布政策", 121, "条"),
            Self.item("惠企政策", 83, "条"),
            Self.item("上海科技网站发布信息", 2139, "条"),
            Self.item("动态类信息发布", 1744, "条", "上海科技网站发布信息"),
            Self.item("政务信息发布", 393, "条", "上海科技网站发布信息"),
            Self.item("解读类信息发布", 21, "条", "上海科技网站发布信息"),
            Self.item("回应公众关注热点信息", 2, "条", "上海科技网站发布信息"),
            Self.item("原创文章", 294, "篇", "上海科技微信公众号编发文章"),
            // After `；` a new statement starts: the 视频号 count is not part of the WeChat breakdown.
            Self.item("上海科技视频号制作并发布短视频", 584, "条"),
        ] { #expect(set.contains(expected), "\(expected)") }
        // The applications paragraph (收到…申请 34 件, 同意公开答复 9 件 …) and the review (1 件…行政复议).
        for v: Int64 in [34, 9, 10, 14] { #expect(!items.contains { $0.count == v }, "\(v)") }
        #expect(!items.contains { $0.count == 1 || $0.count == 5 })
    }

    @Test("上海市政府办公厅 2019 (HTML): 规章13件, 行政规范性文件60件, 政策解读共132件, 公报24期",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func shanghaiGovOffice() throws {
        let items = try Self.items(NarrativeCorpus.report("01_shanghai_govoffice_2019.html"))
        #expect(Array(items.prefix(4)) == [Self.item("规章", 13, "件"), Self.item("行政规范性文件", 60, "件"),
                                           Self.item("市政府其他文件", 162, "件"), Self.item("人事任免文件", 141, "件")])
        let set = Set(items)
        #expect(set.contains(Self.item("政策解读", 132, "件")))
        #expect(set.contains(Self.item("编发公报", 24, "期")))
        #expect(set.contains(Self.item("政府规章、规范性文件", 112, "件")))
        #expect(set.contains(Self.item("政策解读", 83, "件")))
        // The applications paragraph: 859, 805, 18, 72, 258, 35, 265, 158; 53个部门, 70家政府网站.
        for v: Int64 in [859, 805, 18, 72, 258, 35, 265, 158, 53, 70] { #expect(!items.contains { $0.count == v }, "\(v)") }
    }

    @Test("agrees with the disclosure counts of the truth JSONs' narrative",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func truthNarrative() throws {
        // truth key → category. Application and review facts (…_text of section 三/四), fees and
        // counts that are not published items (问政 episodes, closed accounts, inspections) are not mapped.
        let mapping: [String: [(String, String)]] = [
            "00_shapotou_stats_2020.txt": [("documents_published", "公开文件"), ("statistical_info_items", "国民经济和社会发展统计信息"),
                                           ("work_news_items", "工作动态类信息"), ("website_posts", "政府网站公开"),
                                           ("new_media_posts", "新媒体发布"), ("wechat_posts", "微信订阅号发布信息"),
                                           ("wechat_reposts", "转发信息")],
            "06_pingtan_2019.txt": [("info_published_total", "政府信息"), ("info_published_institutional_functions", "机构职能类信息"),
                                    ("info_published_policy_normative_documents", "政策、规范性文件类信息"),
                                    ("info_published_plans", "规划计划类信息"), ("info_published_licensing", "行政许可类信息"),
                                    ("info_published_major_projects", "重大建设项目信息"),
                                    ("info_published_fiscal_funds", "财政资金信息"),
                                    ("info_published_procurement_projects", "政府采购项目信息"),
                                    ("info_published_law_enforcement", "行政执法信息")],
            "08_pingtan_2021.txt": [("info_published_total", "政府信息"), ("farm_product_inspection_batches_published", "农产品抽检情况")],
            "11_pingtan_2024.txt": [("info_published_total", "政府信息"), ("normative_documents_issued_text", "行政规范性文件"),
                                    ("policy_interpretations", "政策文件解读")],
            "01_shanghai_govoffice_2019.html": [("regulations_published_text", "规章"),
                                                ("normative_documents_published_text", "行政规范性文件"),
                                                ("policy_interpretations_text", "政策解读"), ("gazette_issues_text", "编发公报")],
            "04_shanghai_stcsm_2024.txt": [("normative_documents_issued_text", "行政规范性文件"),
                                           ("website_posts_text", "上海科技网站发布信息"), ("wechat_posts", "上海科技微信公众号编发文章")],
        ]
        for (file, keys) in mapping {
            let truth = try NarrativeCorpus.truthNarrative(file)
            let items = try Self.items(NarrativeCorpus.report(file))
            for (key, category) in keys {
                let expected = try #require(truth[key], "\(file): \(key)")
                #expect(items.contains { $0.category == category && $0.count == expected }, "\(file): \(key) = \(expected)")
            }
        }
    }

    // MARK: Phrases and robustness

    @Test("phrases: numerals and qualifiers, noun after the count, requests and outcomes are not items")
    func phrases() throws {
        #expect(try Self.items("全年共公开政府信息一百二十条，其中政策解读近二十篇。")
                == [Self.item("政府信息", 120, "条"), Self.item("政策解读", 20, "篇", "政府信息", approx: true)])
        #expect(try Self.items("累计发布通知公告1.2万余条。") == [Self.item("通知公告", 12000, "条", approx: true)])
        // `其中：` lists its parts across `；`; a plain `其中` ends at `；`. A verb opening the clause
        // before a two-character noun stays (`公开文件`, `发布文件`).
        #expect(try Self.items("发布文件10件，其中：规章2件；规范性文件8件。")
                == [Self.item("发布文件", 10, "件"), Self.item("规章", 2, "件", "发布文件"), Self.item("规范性文件", 8, "件", "发布文件")])
        #expect(try Self.items("发布文件10件，其中规章2件；公开通知公告30条。")
                == [Self.item("发布文件", 10, "件"), Self.item("规章", 2, "件", "发布文件"), Self.item("通知公告", 30, "条")])
        #expect(try Self.items("全年予以公开12件，不予公开3件，收到申请5件。") == [])
        #expect(try Self.items("通过网站公开信息，受理群众诉求 8 件，设立6个栏目，本报告共分6个部分。") == [])
        #expect(try Self.items("2023年12月31日前发布信息占比95%，投入资金30万元。") == [])
        #expect(try Self.items("全年通过政府网站发布信息3256条，同比增长120条，平均每天发布9条。")
                == [Self.item("政府网站发布信息", 3256, "条")])
    }

    @Test("never crashes on hostile text")
    func robustness() throws {
        #expect(try Self.items("") == [])
        #expect(try Self.items(String(repeating: "（", count: 3000) + "公开文件1个" + String(repeating: "）", count: 3000)).count <= 1)
        #expect(try Self.items(String(repeating: "其中", count: 3000) + "公开文件1个") .count <= 1)
        for seed in 0..<40 as Range<UInt64> {
            let report = NarrativeCorpus.report(paragraphs: NarrativeCorpus.noise(length: 400, seed: seed).components(separatedBy: "\n"))
            for row in try Self.itemRows(report) { #expect(row.count == 7) }
            _ = try Self.volume(report)
            let r = Self.registered()
            for check in r.checks { _ = try check.run!(report) }
        }
        let long = String(repeating: "共发布信息100条，其中原创文章50篇（动态20篇、公告30篇），", count: 2000)
        let clock = ContinuousClock()
        var count = 0
        let start = clock.now
        count = try Self.items(long).count
        let elapsed = clock.now - start
        #expect(count == 8000)
        #expect(elapsed < .seconds(20))
    }

    // MARK: Registration and checks

    @Test("registers both tables, four metrics, two checks")
    func registration() throws {
        let r = Self.registered()
        let plugin = DisclosureVolumePlugin()
        #expect(plugin.id == "disclosure_volume")
        #expect(r.tables.map(\.name) == ["disclosure_volume", "disclosure_items"])
        #expect(r.tables[1].columns.map(\.name) == ["category", "count", "unit", "qualifier", "parent", "text", "line"])
        let volume = r.tables[0].columns.map(\.name)
        for c in ["agency", "year", "generation", "regulations_issued", "normative_documents_in_force", "regulations_made",
                  "normative_documents_total_public", "licensing_decisions", "penalty_decisions", "coercion_decisions",
                  "other_services_decisions", "fees_amount", "fees_prior_items", "procurement_projects", "procurement_amount",
                  "normative_net_change"] { #expect(volume.contains(c), "\(c)") }
        #expect(Set(volume).count == volume.count)
        #expect(r.metrics.map(\.name) == ["normative_prior_in_force", "regulations_prior_in_force", "enforcement_decisions",
                                          "procurement_amount_per_project"])
        #expect(r.checks.map(\.rule) == ["items_exceed_parent", "narrative_normative_documents"])
    }

    @Test("checks: parts exceeding their total; narrative 规范性文件 against the table",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func checks() throws {
        let r = Self.registered()
        let exceed = try #require(r.checks.first { $0.rule == "items_exceed_parent" })
        let normative = try #require(r.checks.first { $0.rule == "narrative_normative_documents" })
        // 市科委: 1744 + 393 + 21 + 2 = 2160 > 2139.
        let stcsm = try NarrativeCorpus.report("04_shanghai_stcsm_2024.txt")
        let found = try exceed.run!(stcsm)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("2160") == true)
        #expect(try exceed.run!(NarrativeCorpus.report("00_shapotou_stats_2020.txt")).isEmpty)   // 23+2+21+1 = 47, 106+291 = 397
        #expect(try exceed.run!(NarrativeCorpus.report("06_pingtan_2019.txt")).isEmpty)          // 152+197+27+4 = 380
        // Narrative and table agree: 62 issued (平潭 2024), 13 (市科委), 60 published (上海 2019).
        for f in ["11_pingtan_2024.txt", "04_shanghai_stcsm_2024.txt", "01_shanghai_govoffice_2019.html"] {
            #expect(try normative.run!(NarrativeCorpus.report(f)).isEmpty, "\(f)")
        }
        let mismatch = NarrativeCorpus.report(paragraphs: ["全年制发行政规范性文件 7 件。"], generation: "2021",
                                              cells: ["proactive.normative_documents.issued": .integer(8)])
        #expect(try normative.run!(mismatch).map(\.cells) == [["proactive.normative_documents.issued"]])
    }
}
