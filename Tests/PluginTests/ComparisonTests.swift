import Foundation
import Testing
import GongkaiPluginAPI
@testable import Comparison
@testable import GongkaiCore

/// Builds PluginReports from the corpus truth JSON (cells parsed exactly, line by line) and text.
enum ComparisonFixtures {
    static let corpus = "/work/shared/corpus"

    /// Parses one JSON number / null / string literal into a PluginValue, exactly.
    static func value(_ raw: String) -> PluginValue {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s == "null" { return .null }
        if s.hasPrefix("\"") { return .text(String(s.dropFirst().dropLast())) }
        if let dot = s.firstIndex(of: ".") {
            let frac = s[s.index(after: dot)...]
            if let m = Int64(s[..<dot] + frac) { return .decimal(mantissa: m, scale: frac.count) }
            return .null
        }
        if let i = Int64(s) { return .integer(i) }
        return .null
    }

    /// The `cells` object of a truth file.
    static func cells(_ json: String) -> [String: PluginValue] {
        var out: [String: PluginValue] = [:]
        var inCells = false
        for line in json.split(separator: "\n", omittingEmptySubsequences: true) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if !inCells { if t.hasPrefix("\"cells\"") { inCells = true }; continue }
            if t.hasPrefix("}") { break }
            var body = Substring(t)
            if body.hasSuffix(",") { body = body.dropLast() }
            guard let sep = body.range(of: "\": ") else { continue }
            let key = String(body[body.index(after: body.startIndex)..<sep.lowerBound])
            out[key] = value(String(body[sep.upperBound...]))
        }
        return out
    }

    /// A report from `NAME.txt` and `truth/NAME.json`; a paragraph per non-empty line.
    static func report(_ name: String, year: Int, generation: String = "2021") throws -> PluginReport {
        let json = try String(contentsOfFile: "\(corpus)/truth/\(name).json", encoding: .utf8)
        let text = try String(contentsOfFile: "\(corpus)/\(name).txt", encoding: .utf8)
        var paragraphs: [PluginReport.Paragraph] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            paragraphs.append(.init(text: String(line), span: .init(line: i + 1, endLine: i + 1)))
        }
        return PluginReport(source: "\(name).txt", generation: generation, year: year, agency: "平潭综合实验区",
                            province: "福建省", city: "福州市", county: "平潭县", cells: cells(json), narrative: paragraphs)
    }

    /// A synthetic report with only a narrative.
    static func narrativeReport(_ text: String, year: Int) -> PluginReport {
        let lines = text.split(separator: "\n").enumerated().map {
            PluginReport.Paragraph(text: String($0.element), span: .init(line: $0.offset + 1, endLine: $0.offset + 1))
        }
        return PluginReport(source: "synthetic", generation: "2021", year: year, agency: nil, province: nil, city: nil,
                            county: nil, cells: [:], narrative: lines)
    }
}

@Suite struct ComparisonCellTests {
    let a: PluginReport
    let b: PluginReport
    init() throws {
        a = try ComparisonFixtures.report("08_pingtan_2021", year: 2021)
        b = try ComparisonFixtures.report("11_pingtan_2024", year: 2024)
    }

    @Test func truthCellsParsedExactly() {
        #expect(a.cells.count == 200 && b.cells.count == 200)
        #expect(a["proactive.fees.amount"] == .decimal(mantissa: 24252311082, scale: 6))
        #expect(b["proactive.fees.amount"] == .decimal(mantissa: 1865106, scale: 2))
    }

    @Test func everyCommonKeyCompared() {
        let r = ReportComparison.compare(a, b)
        #expect(r.changes.count == 200)
        #expect(r.changes.map(\.key) == r.changes.map(\.key).sorted())
    }

    @Test func integerChanges() throws {
        let r = ReportComparison.compare(a, b)
        let c = try #require(r.change("applications.new_received.total"))
        #expect(c.valueA == .integer(70) && c.valueB == .integer(218))
        #expect(c.change == .integer(148))
        #expect(c.relativeChange == .decimal(mantissa: 2_114_286, scale: 6))
        let n = try #require(r.change("proactive.normative_documents.in_force"))
        #expect(n.change == .integer(-225))
        #expect(n.relativeChange == .decimal(mantissa: -338_346, scale: 6))
        let p = try #require(r.change("applications.total_processed.total"))
        #expect(p.change == .integer(149))
        #expect(p.relativeChange == .decimal(mantissa: 2_159_420, scale: 6))
    }

    @Test func zeroBaseGivesNullRelative() throws {
        let r = ReportComparison.compare(a, b)
        let c = try #require(r.change("reviews.litigation_after_review.total"))
        #expect(c.valueA == .integer(0) && c.valueB == .integer(19))
        #expect(c.change == .integer(19))
        #expect(c.relativeChange == .null)
        let z = try #require(r.change("proactive.regulations.in_force"))
        #expect(z.change == .integer(0) && z.relativeChange == .null)
    }

    @Test func decimalChangeKeepsLargerScale() throws {
        let c = try #require(ReportComparison.compare(a, b).change("proactive.fees.amount"))
        #expect(c.change == .decimal(mantissa: -5_601_251_082, scale: 6))
        #expect(c.change.description == "-5601.251082")
        #expect(c.relativeChange == .decimal(mantissa: -230_957, scale: 6))
    }

    @Test func nullAndNaGiveNullChange() throws {
        var a2 = a, b2 = b
        a2.cells["applications.new_received.total"] = .null
        b2.cells["applications.granted.total"] = .text("na")
        let r = ReportComparison.compare(a2, b2)
        let n = try #require(r.change("applications.new_received.total"))
        #expect(n.change == .null && n.relativeChange == .null)
        let t = try #require(r.change("applications.granted.total"))
        #expect(t.change == .null && t.relativeChange == .null)
    }

    @Test func onlyCommonKeys() {
        var a2 = a
        a2.cells["only.in.a"] = .integer(1)
        let r = ReportComparison.compare(a2, b)
        #expect(r.change("only.in.a") == nil)
        #expect(r.changes.count == 200)
    }

    @Test func nonConsecutiveYearsMakeIdentitiesNotApplicable() throws {
        let r = ReportComparison.compare(a, b)
        #expect(!r.consecutive)
        #expect(r.identities.map(\.identity) == ["5", "6.regulations", "6.normative_documents"])
        #expect(r.identities.allSatisfy { $0.status == .notApplicable })
        #expect(try #require(r.identity("5")).printed == .integer(0))
    }

    @Test func consecutiveYearsEvaluateIdentities() throws {
        var b2 = b
        b2.year = 2022   // pretend the 2024 report followed the 2021 one
        let r = ReportComparison.compare(a, b2)
        #expect(r.consecutive)
        let i5 = try #require(r.identity("5"))
        #expect(i5.status == .fails && i5.printed == .integer(0) && i5.expected == .integer(1))
        let reg = try #require(r.identity("6.regulations"))
        #expect(reg.status == .holds && reg.expected == .integer(0))
        let nd = try #require(r.identity("6.normative_documents"))
        #expect(nd.status == .fails && nd.printed == .integer(440) && nd.expected == .integer(665 + 62 - 33))
    }

    @Test func identity6OnlyFor2021Generation() {
        var b2 = b
        b2.year = 2022
        b2.generation = "2019"
        let r = ReportComparison.compare(a, b2)
        #expect(r.identities.map(\.identity) == ["5"])
    }

    @Test func identityHoldsAndBlankIsNotApplicable() throws {
        var b2 = b
        b2.year = 2022
        b2.cells["applications.carried_over.total"] = .integer(1)
        #expect(try #require(ReportComparison.compare(a, b2).identity("5")).status == .holds)
        b2.cells["applications.carried_over.total"] = .null
        #expect(try #require(ReportComparison.compare(a, b2).identity("5")).status == .notApplicable)
    }

    @Test func pingtanSectionsFoundInCrawledText() throws {
        let r = ReportComparison.compare(a, b)
        for section in NarrativeSection.allCases {
            let s = try #require(r.similarity(section))
            let score = try #require(s.score)
            #expect(score >= 0 && score <= 1)
            #expect(s.longestCommonLength > 0)
        }
        let problems = try #require(r.similarity(.problems))
        #expect(try #require(problems.textA).hasPrefix("（一）存在的主要问题"))
        #expect(try #require(problems.textA).hasSuffix("作用。"))
        #expect(try #require(problems.textB).hasPrefix("2024年，实验区政府信息公开工作"))
        #expect(try #require(r.similarity(.overview)?.textB).hasPrefix(" 2024年，平潭综合实验区"))
        #expect(try #require(r.similarity(.otherMatters)?.textA).hasPrefix("2021年，无收取信息处理费情况。"))
        // The two years' 六 differ only in the year: identical after normalisation.
        #expect(r.similarity(.otherMatters)?.longestCommonNormalised.hasPrefix("#年无收取信息处理费情况") == true)
    }
}

@Suite struct ComparisonArithmeticTests {
    @Test func halfEvenRounding() {
        // 1/8 = 0.125 → at 2 decimals 0.12 (even); 3/8 = 0.375 → 0.38
        #expect(ComparisonArithmetic.divideRounded(1, 8, scale: 2) == .decimal(mantissa: 12, scale: 2))
        #expect(ComparisonArithmetic.divideRounded(3, 8, scale: 2) == .decimal(mantissa: 38, scale: 2))
        #expect(ComparisonArithmetic.divideRounded(-1, 8, scale: 2) == .decimal(mantissa: -12, scale: 2))
        #expect(ComparisonArithmetic.divideRounded(1, 3, scale: 6) == .decimal(mantissa: 333_333, scale: 6))
    }

    @Test func mixedScales() {
        #expect(ComparisonArithmetic.difference(.integer(2), .decimal(mantissa: 25, scale: 1)) == .decimal(mantissa: 5, scale: 1))
        #expect(ComparisonArithmetic.relativeChange(.integer(2), .decimal(mantissa: 25, scale: 1)) == .decimal(mantissa: 250_000, scale: 6))
        #expect(ComparisonArithmetic.difference(.integer(Int64.min), .integer(1)) == .null)
    }
}

@Suite struct NarrativeSimilarityTests {
    static let textA = """
    一、总体情况
    2023年，本单位认真贯彻落实《条例》，主动公开政府信息1234条，其中政策解读56篇。
    二、主动公开政府信息情况
    （表格略）
    五、存在的主要问题及改进情况
    2023年我区政府信息公开工作虽然取得了一定成效，但仍存在一些不足：一是政策解读的形式还不够丰富，
    图解和视频解读占比偏低；二是部分部门信息更新不够及时。2024年，我们将进一步丰富解读形式，
    加强对各部门的业务培训，组织专题培训3次，确保信息及时准确发布。
    六、其他需要报告的事项
    本年度未收取信息处理费。
    """

    static let textB = """
    一、总体情况
    2024年，本单位认真贯彻落实《条例》，主动公开政府信息2345条，其中政策解读78篇。
    二、主动公开政府信息情况
    （表格略）
    五、存在的主要问题及改进情况
    2024年我区政府信息公开工作虽然取得了一定成效，但仍存在一些不足：一是政策解读的形式
    还不够丰富，图解和视频解读占比偏低；二是部分部门信息更新不够及时。2025年，我们将进一步丰富解读形式，加强对各部门的业务培训，
    组织专题培训12次，确保信息及时准确发布。
    六、其他需要报告的事项
    本年度未收取信息处理费。
    """

    static let textC = """
    （一）总体情况
    全年受理群众来信来访若干件。
    （五）存在的主要问题及改进情况
    下一步，将围绕优化营商环境，深化重点领域信息公开，推动数据开放共享，完善依申请公开工作机制，
    健全政务新媒体管理制度，提升政府网站集约化水平。
    """

    @Test func nearIdenticalTextIsSimilar() throws {
        let r = ReportComparison.compare(ComparisonFixtures.narrativeReport(Self.textA, year: 2023),
                                         ComparisonFixtures.narrativeReport(Self.textB, year: 2024))
        let s = try #require(r.similarity(.problems))
        #expect(try #require(s.score) >= 0.9)
        #expect(try #require(s.containment) >= 0.9)
        #expect(s.longestCommonLength > 40)
        #expect(s.longestCommonNormalised.count == s.longestCommonLength)
        #expect(s.longestCommonOriginal.contains("丰富解读形式"))
        #expect(try #require(r.similarity(.overview)?.score) >= 0.9)
        #expect(r.similarity(.otherMatters)?.score == 1.0)
        #expect(try #require(s.textA).contains("二是部分部门"))
        #expect(!(try #require(s.textA)).contains("本年度未收取"))
    }

    @Test func differentTextIsDissimilar() throws {
        let r = ReportComparison.compare(ComparisonFixtures.narrativeReport(Self.textA, year: 2023),
                                         ComparisonFixtures.narrativeReport(Self.textC, year: 2024))
        let s = try #require(r.similarity(.problems))
        #expect(try #require(s.score) < 0.5)
        #expect(try #require(s.containment) < 0.5)
        #expect(r.similarity(.otherMatters)?.score == nil)   // 六 missing in C
    }

    @Test func listedTitlesAreNotHeadings() throws {
        let t = "本报告包括总体情况、存在的主要问题及改进情况和其他需要报告的事项。五、存在的主要问题及改进情况问题甲。六、其他需要报告的事项无。"
        #expect(NarrativeSimilarity.sectionText(.problems, in: t) == "问题甲。")
        #expect(NarrativeSimilarity.sectionText(.otherMatters, in: t) == "无。")
        #expect(NarrativeSimilarity.sectionText(.overview, in: t) == nil)
    }

    @Test func headingsInsideOneParagraph() throws {
        let one = Self.textA.replacingOccurrences(of: "\n", with: "")
        let text = try #require(NarrativeSimilarity.sectionText(.problems, in: one))
        #expect(text.hasPrefix("2023年我区"))
        #expect(text.hasSuffix("准确发布。"))
    }

    @Test func normalisationCollapsesDigitsAndDropsPunctuation() {
        let n = NarrativeSimilarity.normalise("共 1,234 条，\n增长 5.6%。")
        #expect(String(String.UnicodeScalarView(n.chars)) == "共#条增长#")
        #expect(n.origin.count == n.chars.count)
    }

    @Test("normalisation's fast paths (ASCII, CJK ideographs) agree with the Unicode properties on every BMP scalar")
    func normalisationFastPathsAgree() {
        let scalars = (0...0xFFFF).compactMap { Unicode.Scalar(UInt32($0)) }
        var text = String.UnicodeScalarView(), expected = String.UnicodeScalarView()
        for c in scalars {
            text.append(c)
            text.append("a")   // keeps digit runs apart
            let p = c.properties
            switch p.generalCategory {
            case _ where p.isWhitespace: break
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                 .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: break
            case .decimalNumber: expected.append("#")
            default: expected.append(c)
            }
            expected.append("a")
        }
        let n = NarrativeSimilarity.normalise(String(text))
        #expect(n.chars == Array(expected))
    }

    /// Random text pairs for the longest-common-substring tests: short ones over four letters,
    /// and longer ones over two (many cloned states in the suffix automaton).
    static let substringCases: [(seed: UInt64, alphabet: String, pairs: Int, lengths: ClosedRange<Int>)] = [
        (7, "ab共c", 400, 0...40),
        (11, "的了", 30, 60...120),
    ]

    @Test("the longest common substring equals a brute-force search: longest, then earliest in a, then earliest in b",
          arguments: substringCases)
    func longestCommonSubstringMatchesBruteForce(_ c: (seed: UInt64, alphabet: String, pairs: Int, lengths: ClosedRange<Int>)) {
        var rng = NarrativeCorpus.SplitMix(state: c.seed)
        let alphabet = Array(c.alphabet.unicodeScalars)
        for _ in 0..<c.pairs {
            let a = (0..<Int.random(in: c.lengths, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: c.lengths, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            // Every start pair in order; a longer match replaces the best only when strictly longer.
            var expected = (startA: 0, startB: 0, length: 0)
            for i in a.indices {
                for j in b.indices {
                    var k = 0
                    while i + k < a.count, j + k < b.count, a[i + k] == b[j + k] { k += 1 }
                    if k > expected.length { expected = (i, j, k) }
                }
            }
            let r = NarrativeSimilarity.longestCommonSubstring(a, b)
            #expect(r.length == expected.length && r.startA == expected.startA && r.startB == expected.startB,
                    "\(String(String.UnicodeScalarView(a))) / \(String(String.UnicodeScalarView(b)))")
        }
    }

    @Test("Jaccard and containment from shingles packed from the scalars equal those from shared codes, on seeded random texts")
    func planeShinglesMatchCodes() {
        var rng = NarrativeCorpus.SplitMix(state: 5)
        let alphabet = Array("的了是在共公开信息#12".unicodeScalars)
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let fast = NarrativeSimilarity.scores(a, b), reference = NarrativeSimilarity.scoresByCodes(a, b)
            #expect(fast.jaccard == reference.jaccard && fast.containment == reference.containment)
        }
        // Outside the Basic Multilingual Plane the shared codes are used.
        let wide = Array("𠀀𠀁𠀂𠀃的了".unicodeScalars)
        #expect(NarrativeSimilarity.planeShingles(wide) == nil)
        #expect(NarrativeSimilarity.scores(wide, wide).jaccard == 1)
    }

    @Test("a text's scalars decoded from its UTF-8 are its unicodeScalars, for characters of every UTF-8 length")
    func scalarsFromUTF8() {
        for text in ["", "a", "一、总体情况\n2023年", "é ß ¼ — ｘ", "𠀀𠀁 😀 mixed ascii", String(repeating: "公开a¢€𐍈", count: 50)] {
            #expect(NarrativeSimilarity.scalars(of: text) == Array(text.unicodeScalars), "\(text)")
        }
    }

    @Test func longestCommonSubstring() {
        let r = NarrativeSimilarity.longestCommonSubstring(Array("abcdefg".unicodeScalars), Array("xxcdefyy".unicodeScalars))
        #expect(r.length == 4 && r.startA == 2 && r.startB == 2)
    }
}

@Suite struct ComparisonPluginTests {
    @Test func pluginIsThin() {
        let p = ComparisonPlugin()
        #expect(p.id == "comparison")
        #expect(p.apiVersion == gongkaiPluginAPIVersion)
    }

    @Test func registersPairTablesCheckAndView() throws {
        let registry = PluginRegistry()
        try registry.register(ComparisonPlugin())
        #expect(registry.tables["narrative_similarity"]?.table.derivePair != nil)
        #expect(registry.tables["cross_year_identities"]?.table.derivePair != nil)
        #expect(registry.tables["year_over_year"]?.table.view != nil)
        #expect(registry.checks.map(\.check.rule) == ["copied_section"])
        #expect(registry.checks.first?.check.runPair != nil)
    }

    @Test("the host prepares a report's narrative where it is parsed; the pair uses it only while the view holds that narrative")
    func preparedNarrativeComesWithTheView() throws {
        let registry = PluginRegistry()
        try registry.register(ComparisonPlugin())
        let rendered = try #require(SyntheticCorpus(seed: 9).reports(count: 10).first { $0.layout != .html })
        let report = try ReportParser().parse(data: Array(rendered.render().utf8), source: rendered.file)
        let view = try #require(PluginOutput.run(registry, on: report).view)
        let kept = try #require(view.prepared[ComparisonPlugin.similarityTable] as? PreparedNarrative)
        #expect(kept.isOf(view))
        #expect(ComparisonPlugin.prepared(view).sections.count == NarrativeSection.allCases.count)
        var changed = view
        changed.narrative = [PluginReport.Paragraph(text: "一、总体情况 另一段文字", span: .init(line: 1, endLine: 1))]
        #expect(!kept.isOf(changed))
        let other = NarrativeSimilarity.compareAll(ComparisonPlugin.prepared(changed), ComparisonPlugin.prepared(view), texts: false)
        #expect(other.first?.score != 1)
    }
}
