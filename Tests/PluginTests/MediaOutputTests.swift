import Foundation
import GongkaiPluginAPI
@testable import GongkaiCore
import Testing
import MediaOutput

/// Expected values were read off the report texts by hand (line numbers are the file's).
@Suite("MediaOutput plugin")
struct MediaOutputTests {
    /// A `media_output` row reduced to what the tests compare.
    struct MediaFact: Hashable, CustomStringConvertible {
        var channel: String, metric: String, value: Int64, qualifier: String
        var description: String { "\(channel).\(metric)=\(value)(\(qualifier))" }
    }

    /// The `media_output` rows of a report, through the registered table.
    static func rows(_ report: PluginReport) throws -> [[String: PluginValue]] {
        let registrar = NarrativeCorpus.Registrar()
        MediaOutputPlugin().register(registrar)
        let table = try #require(registrar.tables.first { $0.name == "media_output" })
        let derive = try #require(table.derive)
        let names = table.columns.map(\.name)
        return try derive(report).map { row in
            #expect(row.count == names.count)
            return Dictionary(uniqueKeysWithValues: zip(names, row))
        }
    }

    static func facts(_ report: PluginReport) throws -> [MediaFact] {
        try rows(report).map { r in
            MediaFact(channel: r["channel"]?.description ?? "", metric: r["metric"]?.description ?? "",
                      value: { if case .integer(let v) = r["value"] { return v }; return -1 }(),
                      qualifier: r["qualifier"]?.description ?? "")
        }
    }

    static func facts(_ paragraphs: String...) throws -> [MediaFact] {
        try facts(NarrativeCorpus.report(paragraphs: paragraphs))
    }

    static func fact(_ c: String, _ m: String, _ v: Int64, _ q: String = "exact") -> MediaFact {
        MediaFact(channel: c, metric: m, value: v, qualifier: q)
    }

    // MARK: Corpus

    @Test("沙坡头 2020: WeChat 397 posts of which 106 original and 291 reposted; website 106; new media 106",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func shapotou() throws {
        let report = try NarrativeCorpus.report("00_shapotou_stats_2020.txt")
        let rows = try Self.rows(report)
        let facts = try Self.facts(report)
        // Line 15: 政府网站公开 106 条（含视频宣传片），新媒体发布 106 条.
        // Line 17: 通过微信订阅号发布信息 397 条，其中，局机关主动公开信息 106 条，转发信息 291 条.
        #expect(facts == [Self.fact("website", "posts", 106), Self.fact("new_media", "posts", 106),
                          Self.fact("wechat", "posts", 397), Self.fact("wechat", "original_posts", 106),
                          Self.fact("wechat", "reposts", 291)])
        #expect(rows.map { $0["line"] } == [.integer(15), .integer(15), .integer(17), .integer(17), .integer(17)])
        #expect(rows[0]["text"]?.description.contains("政府网站公开") == true)
        #expect(rows[4]["text"]?.description.contains("转发信息") == true)
        // Counts of documents (公开文件 47 个) and people (近 30 人) are not channel output.
        #expect(!facts.contains { $0.value == 47 || $0.value == 30 })
    }

    @Test("上海市科委 2024: website 2139, WeChat 1640/294/1016823, 视频号 584/1924252/54373, live streams 118/303855/136888",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func stcsm() throws {
        let facts = Set(try Self.facts(NarrativeCorpus.report("04_shanghai_stcsm_2024.txt")))
        let expected: Set<MediaFact> = [
            Self.fact("website", "posts", 2139),                 // 网站全年累计发布信息 2139 条
            Self.fact("policy_interpretation", "posts", 21),     // 其中…解读类信息发布 21 条
            Self.fact("wechat", "posts", 1640),                  // 微信公众号共编发文章 1640 篇
            Self.fact("wechat", "original_posts", 294),          // 其中原创文章 294 篇 (unit on the next line)
            Self.fact("wechat", "followers", 1016823),           // 关注人数达 1016823 人
            Self.fact("wechat_channels", "posts", 584),          // 视频号共制作并发布短视频 584 条
            Self.fact("wechat_channels", "views", 1924252),      // 累计观看量 1924252 次
            Self.fact("wechat_channels", "followers", 54373),    // 粉丝数 / 54373 (across a line break, no unit)
            Self.fact("live_stream", "sessions", 118),           // 直播 118 场
            Self.fact("live_stream", "views", 303855),
            Self.fact("live_stream", "likes", 136888),
        ]
        #expect(facts == expected)
        // 通过部门网站当年发布政府信息 393 件 counts documents published, not the site's output.
        #expect(!facts.contains { $0.value == 393 })
    }

    @Test("上海市政府办公厅 2019 (HTML): interpretations, WeChat views, Douyin views, followers; documents are not posts",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func shanghaiGovOffice() throws {
        let facts = Set(try Self.facts(NarrativeCorpus.report("01_shanghai_govoffice_2019.html")))
        let expected: Set<MediaFact> = [
            Self.fact("policy_interpretation", "posts", 132),            // 通过…门户网站发布政策解读共132件
            Self.fact("policy_interpretation", "posts", 83),             // 公报…政策解读83件
            Self.fact("wechat", "views", 1_800_000),                     // 两条微信阅读量即达180万次
            Self.fact("douyin", "views", 23_000_000, "approximately"),   // 运用抖音号…播放量超2300万
            Self.fact("wechat", "followers", 5_500_000, "approximately"),// 微信公众号用户已突破550万
            Self.fact("weibo", "followers", 7_700_000, "approximately"), // 微博粉丝突破770万
        ]
        #expect(facts == expected)
    }

    @Test("平潭 2019/2021/2024: interpretations and interviews; closed accounts and inspection batches are not output",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func pingtan() throws {
        // 2019: channels are named (政府网站、微博、微信公众号, 新闻发布会, 网络直播间) but no output is counted.
        #expect(try Self.facts(NarrativeCorpus.report("06_pingtan_2019.txt")) == [])
        // 2021: 对29项…重要政策文件进行解读; 微信公众号发布20680批次农产品抽检情况 and 关停…政务新媒体2个 are not posts.
        #expect(try Self.facts(NarrativeCorpus.report("08_pingtan_2021.txt")) == [Self.fact("policy_interpretation", "posts", 29)])
        // 2024: 全年发布政策文件解读96篇; “平潭大家谈”系列在线访谈12期; 对5个…政务新媒体予以关停注销 is not output;
        // 通过政府门户网站…主动公开各类政府信息10407条 counts documents (it is in disclosure_items).
        #expect(try Self.facts(NarrativeCorpus.report("11_pingtan_2024.txt"))
                == [Self.fact("policy_interpretation", "posts", 96), Self.fact("online_interview", "sessions", 12)])
    }

    @Test("agrees with the channel facts of the truth JSONs' narrative",
          .enabled(if: NarrativeCorpus.available, "../shared/corpus is not beside the repository"))
    func truthNarrative() throws {
        // truth key → (channel, metric). Truth facts that are not channel output are not mapped:
        // 问政平潭 episodes, closed new-media accounts, inspection batches, opinion solicitations.
        let mapping: [String: [(String, String, String)]] = [
            "00_shapotou_stats_2020.txt": [("website_posts", "website", "posts"), ("new_media_posts", "new_media", "posts"),
                                           ("wechat_posts", "wechat", "posts"), ("wechat_original_posts", "wechat", "original_posts"),
                                           ("wechat_reposts", "wechat", "reposts")],
            "04_shanghai_stcsm_2024.txt": [("website_posts_text", "website", "posts"), ("wechat_posts", "wechat", "posts"),
                                           ("wechat_followers", "wechat", "followers"),
                                           ("policy_interpretations_text", "policy_interpretation", "posts")],
            "01_shanghai_govoffice_2019.html": [("policy_interpretations_text", "policy_interpretation", "posts")],
            "08_pingtan_2021.txt": [("policy_interpretations", "policy_interpretation", "posts")],
            "11_pingtan_2024.txt": [("policy_interpretations", "policy_interpretation", "posts"),
                                    ("online_interviews", "online_interview", "sessions")],
        ]
        for (file, keys) in mapping {
            let truth = try NarrativeCorpus.truthNarrative(file)
            let facts = try Self.facts(NarrativeCorpus.report(file))
            for (key, channel, metric) in keys {
                let expected = try #require(truth[key], "\(file): \(key)")
                #expect(facts.contains { $0.channel == channel && $0.metric == metric && $0.value == expected }, "\(file): \(key) = \(expected)")
            }
        }
    }

    // MARK: Phrases

    @Test("numbers: 万, Chinese numerals, qualifiers before and after")
    func numbers() throws {
        #expect(try Self.facts("抖音号全年发布短视频1.2万条。") == [Self.fact("douyin", "posts", 12000)])
        #expect(try Self.facts("微博发布信息二十余条。") == [Self.fact("weibo", "posts", 20, "approximately")])
        #expect(try Self.facts("今日头条号推送文章一百二十篇。") == [Self.fact("toutiao", "posts", 120)])
        #expect(try Self.facts("快手号粉丝数约3.5万人。") == [Self.fact("kuaishou", "followers", 35000, "approximately")])
        #expect(try Self.facts("客户端累计访问量逾100万次。") == [Self.fact("app", "views", 1_000_000, "approximately")])
        #expect(try Self.facts("网站发布信息1,234条左右。") == [Self.fact("website", "posts", 1234, "approximately")])
        #expect(try Self.facts("微信公众号发布信息300多条。") == [Self.fact("wechat", "posts", 300, "approximately")])
        #expect(try Self.facts("网站总访问量达1.2亿次，政务新媒体累计发布信息 1.5 万条。")
                == [Self.fact("website", "views", 120_000_000), Self.fact("new_media", "posts", 15000)])
        #expect(try Self.facts("“XX发布”政务微博发布微博1200余条，粉丝量达5.6万。")
                == [Self.fact("weibo", "posts", 1200, "approximately"), Self.fact("weibo", "followers", 56000)])
    }

    @Test("sessions: the channel before or after the count")
    func sessions() throws {
        #expect(try Self.facts("举办政策解读新闻发布会 8 场次，开展网上直播访谈活动6期。")
                == [Self.fact("press_conference", "sessions", 8), Self.fact("online_interview", "sessions", 6)])
        #expect(try Self.facts("召开新闻发布会5场，开展在线访谈3期。")
                == [Self.fact("press_conference", "sessions", 5), Self.fact("online_interview", "sessions", 3)])
        #expect(try Self.facts("全年举办3场新闻发布会，组织网络直播十二次，观看人次达2.3万。")
                == [Self.fact("press_conference", "sessions", 3), Self.fact("live_stream", "sessions", 12), Self.fact("live_stream", "views", 23000)])
    }

    @Test("a breakdown belongs to the channel just counted; a later clause inherits it only with a publishing verb")
    func breakdowns() throws {
        #expect(try Self.facts("微信公众号发布信息500条，其中原创200条，转载300条。")
                == [Self.fact("wechat", "posts", 500), Self.fact("wechat", "original_posts", 200), Self.fact("wechat", "reposts", 300)])
        #expect(try Self.facts("“XX发布”微博全年发布信息800条，发布原创微博120条，粉丝数12万。")
                == [Self.fact("weibo", "posts", 800), Self.fact("weibo", "original_posts", 120), Self.fact("weibo", "followers", 120000)])
        #expect(try Self.facts("微博发布信息90条，其中：原创30条；转发60条。")
                == [Self.fact("weibo", "posts", 90), Self.fact("weibo", "original_posts", 30), Self.fact("weibo", "reposts", 60)])
        #expect(try Self.facts("微博发布信息90条，其中原创30条；原创作品获奖5件。")
                == [Self.fact("weibo", "posts", 90), Self.fact("weibo", "original_posts", 30)])
        // No post count before it: 其中 belongs to nothing.
        #expect(try Self.facts("通过网络直播间解答群众问题，其中热线电话11通，网络诉求3件。") == [])
    }

    @Test("no false positives: documents, applications, years, dates, percentages, money, accounts")
    func falsePositives() throws {
        #expect(try Self.facts(
            "2020年，通过门户网站主动公开规章13件，行政规范性文件60件。",
            "全年收到政府信息公开申请 34 件，微信公众号答复 2 件。",
            "网站于2024年12月31日改版，访问量同比增长58.3%。",
            "投入网站建设资金30万元，关停政务新媒体2个，开通微信公众号3个。",
            "三、收到和处理政府信息公开申请情况",
            "通过微博受理申请5件，网站发布信息7条。",
            "四、其他", "第二十条第（一）项 12条",
            "门户网站日均访问量达2.1万人次，微信公众号关注人数较上年增长2000人，发布信息同比增长30条。") == [])
    }

    // MARK: Robustness

    @Test("never crashes and stays bounded on hostile text")
    func robustness() throws {
        #expect(try Self.facts("") == [])
        #expect(try Self.facts(String(repeating: "9", count: 5000) + "条") == [])
        #expect(try Self.facts(String(repeating: "（", count: 3000) + "微信发布1条" + String(repeating: "）", count: 3000)).count <= 1)
        #expect(try Self.facts(String(repeating: "其中", count: 2000)) == [])
        for seed in 0..<40 as Range<UInt64> {
            let text = NarrativeCorpus.noise(length: 400, seed: seed)
            let rows = try Self.rows(NarrativeCorpus.report(paragraphs: text.components(separatedBy: "\n")))
            for r in rows { #expect(r.count == 6) }
        }
        let long = String(repeating: "微信公众号共编发文章 1640 篇，其中原创文章 294 篇，关注人数达 10 人；", count: 2000)
        let clock = ContinuousClock()
        let start = clock.now
        let count = try Self.facts(long).count
        let elapsed = clock.now - start
        #expect(count == 6000)
        #expect(elapsed < .seconds(20))
    }

    // MARK: Registration

    @Test("registers media_output with its six columns, three metrics, a check and a chart")
    func registration() throws {
        let r = NarrativeCorpus.Registrar()
        let plugin = MediaOutputPlugin()
        plugin.register(r)
        #expect(plugin.id == "media_output")
        #expect(plugin.apiVersion == gongkaiPluginAPIVersion)
        #expect(r.tables.map(\.name) == ["media_output"])
        #expect(r.tables[0].columns.map(\.name) == ["channel", "metric", "value", "qualifier", "text", "line"])
        #expect(r.tables[0].columns.map(\.type) == [.text, .text, .integer, .text, .text, .integer])
        #expect(r.metrics.map(\.name) == ["wechat_original_share", "wechat_repost_share", "live_stream_views_per_session"])
        #expect(r.metrics.allSatisfy { $0.table == "media_output" })
        #expect(r.checks.map(\.rule) == ["breakdown_exceeds_total"])
        let bad = NarrativeCorpus.report(paragraphs: ["微信公众号发布信息100条，其中原创80条，转发40条。"])
        #expect(try r.checks[0].run!(bad).count == 1)
        let shapotou = NarrativeCorpus.report(paragraphs: ["通过微信订阅号发布信息 397 条，其中，局机关主动公开信息 106 条，转发信息 291 条。"])
        #expect(try r.checks[0].run!(shapotou).isEmpty)
    }
}
