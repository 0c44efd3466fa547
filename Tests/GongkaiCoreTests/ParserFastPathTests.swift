import Testing
@testable import GongkaiCore

/// The shortcuts the parser takes after template matching give what the long way gives.
@Suite("Parser fast paths")
struct ParserFastPathTests {
    @Test("region: the text is not made when the agency names one place")
    func regionTextIsLazy() {
        var made = 0
        func text() -> String { made += 1; return "宁夏回族自治区中卫市" }
        let r = RegionResolver.resolve(agency: "中卫市沙坡头区统计局", text: text())
        #expect(r == Region(province: "宁夏回族自治区", city: "中卫市", county: "沙坡头区"))
        #expect(made == 0)
        _ = RegionResolver.resolve(agency: "统计局", text: text())
        #expect(made == 1)
    }

    @Test("gazetteer: table lines are read field by field; malformed ones are skipped")
    func gazetteerTable() {
        let tsv = "640000\t宁夏回族自治区\t\t1\n\n640500\t中卫市\t640000\t2\n640502\t沙坡头区\t640500\t3\n"
            + "640503\t旧区\t640500\t3\tF\nx\t坏行\t\t1\n640504\t\t640500\t3\n640505\t四级\t640500\t4\n640506\t短行\t640500"
        let g = Gazetteer(tsv: tsv)
        #expect(g.divisions.map(\.code) == [640000, 640500, 640502, 640503])
        #expect(g.divisions.map(\.isFormer) == [false, false, false, true])
        #expect(g.divisions[0].parentCode == nil && g.divisions[2].parentCode == 640500)
        #expect(g.divisions(shortName: "中卫").map(\.code) == [640500])
    }

    @Test("gazetteer: minority names are stripped from autonomous-area stems")
    func stripEthnic() {
        #expect(Gazetteer.stripEthnic("恩施土家族苗族") == "恩施")
        #expect(Gazetteer.stripEthnic("博尔塔拉蒙古") == "博尔塔拉")
        #expect(Gazetteer.stripEthnic("长阳土家族") == "长阳")
        #expect(Gazetteer.stripEthnic("白族") == "白族")
    }

    @Test("metadata: title prefixes and connecting words are stripped")
    func titleParts() {
        let parsed = MetadataReader.parseTitle("标题：上海市统计局2020年度政府信息公开工作年度报告")
        #expect(parsed.agency == "上海市统计局" && parsed.year == 2020)
        #expect(MetadataReader.clean("关于上海市统计局的") == "上海市统计局")
        #expect(MetadataReader.clean("》上海市统计局（") == "上海市统计局")
        #expect(MetadataReader.clean("公布") == nil)
        #expect(MetadataReader.lastScalar(Array("a中𠀀".utf8), before: 8) == 0x20000)
        #expect(MetadataReader.lastScalar(Array("中é".utf8), before: 5) == 0xE9)
        #expect(MetadataReader.lastScalar(Array("a中𠀀".utf8), before: 4) == 0x4E2D)
    }

    @Test("narrative: the first claim of each topic is the first of all the claims")
    func firstClaims() {
        let paragraphs = ["本年度行政复议2件。", "全年共收到政府信息公开申请15件，收到信息公开申请3件。",
                          "未收到政府信息公开申请。行政复议4件，行政诉讼1件。"]
        let normalized = paragraphs.map { TextNormalization.labelUTF8($0) }
        let all = NarrativeFacts.claims(normalized: normalized)
        let topics = ["applications_received", "admin_reviews"]
        let first = topics.compactMap { t in all.first { $0.topic == t } }
        let fast = NarrativeFacts.firstClaims(normalized: normalized, topics: topics)
        #expect(Set(fast) == Set(first))
        #expect(fast.count == 2)
    }
}
