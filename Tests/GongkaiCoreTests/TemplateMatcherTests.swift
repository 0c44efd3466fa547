import Foundation
import Testing
@testable import GongkaiCore

/// Reports written for these tests (not corpus text): label variants, lost labels, numbering.
@Suite("Template matcher")
struct TemplateMatcherTests {
    static let rows2021 = [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果 （一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开 1.属于国家秘密", "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
        "8.属于行政查询事项", "（四）无法提供 1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
        "（五）不予处理 1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计", "四、结转下年度继续办理",
    ]

    /// Values per row key: natural person, commercial, total (others 0).
    static let values: [String: (Int, Int)] = [
        "new_received": (10, 2), "carried_over": (1, 0), "granted": (4, 1), "partially_granted": (1, 0),
        "denied_third_party": (1, 0), "unable_not_held": (3, 1), "not_processed_duplicate": (1, 0),
        "total_processed": (10, 2), "carried_forward": (1, 0),
    ]

    static func report2021(labels: [String]? = nil, column4: String = "社会公益组织", sectionNumbers: Bool = true, reviewsLabel: String = "行政复议") -> String {
        var t = "某市统计局2022年政府信息公开工作年度报告\n本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n"
        t += (sectionNumbers ? "二、" : "（二）") + "主动公开政府信息情况\n"
        t += "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规 章\t0\t0\t3\n行政规范性文件\t5\t1\t40\n"
        t += "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t120\n第二十条第（六）项\n行政处罚\t7\n行政强制\t0\n"
        t += "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t12.5\n"
        t += "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
        t += "\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t商业企业\t科研机构\t\(column4)\t法律服务机构\t其他\n"
        let keys = Template.applicationRows(.v2021)
        for (i, key) in keys.enumerated() {
            let (a, b) = values[key] ?? (0, 0)
            let label = labels?[i] ?? rows2021[i]
            t += "\(label)\t\(a)\t\(b)\t0\t0\t0\t0\t\(a + b)\n"
        }
        t += "四、政府信息公开\(reviewsLabel)、行政诉讼情况\n\(reviewsLabel)\t行政诉讼\n"
        t += "1\t0\t0\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、存在的主要问题及改进情况\n无。\n"
        return t
    }

    func check(_ r: Report) {
        #expect(r.generation == .v2021)
        for (key, (a, b)) in Self.values {
            #expect(r.value(.applications, key, "natural_person") == .number(Quantity(a)), "\(key)")
            #expect(r.value(.applications, key, "commercial") == .number(Quantity(b)), "\(key)")
            #expect(r.value(.applications, key, "total") == .number(Quantity(a + b)), "\(key)")
        }
        #expect(r.value(.applications, "other_other", "total") == .number(.zero))
        #expect(r.value(.proactive, "normative_documents", "in_force") == .number(Quantity(40)))
        #expect(r.value(.proactive, "regulations", "in_force") == .number(Quantity(3)))
        #expect(r.value(.proactive, "fees", "amount") == .number(Quantity("12.5")!))
        #expect(r.value(.reviews, "admin_review", "total") == .number(Quantity(2)))
        #expect(r.uncertain.isEmpty, "\(r.uncertain)")
        #expect(!r.hasFailedIdentity, "\(r.findings)")
    }

    @Test("a well-formed 2021 report")
    func wellFormed() throws {
        let r = try Fixtures.parse(text: Self.report2021())
        check(r)
        #expect(r.metadata.agency == "某市统计局")
        #expect(r.metadata.year == 2022)
    }

    @Test("label variants: 社会组织, spaces in labels, 行政法复议, other section numbering")
    func variants() throws {
        var labels = Self.rows2021
        labels[0] = "一、本年 新收 政府信息公开申请数量"
        labels[5] = "2. 其他法律行政 法规禁止公开"
        check(try Fixtures.parse(text: Self.report2021(labels: labels, column4: "社会组织", sectionNumbers: false, reviewsLabel: "行政法复议")))
    }

    @Test("rows whose labels were lost are placed by order")
    func lostLabels() throws {
        var labels = Self.rows2021
        for i in [3, 6, 12, 13, 21] { labels[i] = "" }
        check(try Fixtures.parse(text: Self.report2021(labels: labels)))
    }

    @Test("a report without section 三 is refused with a clear error")
    func noSectionThree() {
        #expect { try Fixtures.parse(text: "某局2020年政府信息公开工作年度报告\n一、总体情况\n今年公开信息12条。\n") } throws: { e in
            guard let e = e as? IngestError else { return false }
            return e.kind == .notAReport && e.message.contains("section 三")
        }
    }

    @Test("a 50 MB file that is not a report is refused quickly")
    func largeNonReport() throws {
        let line = String(repeating: "这是一段与年度报告无关的文字，包含数字 12345 和标点。", count: 40) + "\n"
        let text = String(repeating: line, count: 50_000_000 / line.utf8.count)
        let start = ContinuousClock.now
        #expect(throws: IngestError.self) { try Fixtures.parse(text: text, name: "big.txt") }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(60), "took \(elapsed)")
    }

    @Test("a blank total is kept blank, counted as 0, and flagged")
    func blankTotal() throws {
        var t = Self.report2021()
        t = t.replacingOccurrences(of: "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1", with: "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |")
        let r = try Fixtures.parse(text: t)
        #expect(r.value(.applications, "carried_forward", "total") == .blank)
        #expect(r.findings.contains { $0.rule == "blank_cell" && $0.cells == ["applications.carried_forward.total"] })
        #expect(r.findings.contains { $0.rule == "identity3" && $0.message.hasPrefix("row carried_forward") })
    }

    /// Rows with the template's labels, each printing `run` as one token, and the label bytes
    /// and tokens they point into.
    static func rows(run: String) -> (labels: [UInt8], tokens: [ValueToken], rows: [TemplateMatcher.Row]) {
        var labels: [UInt8] = [], tokens: [ValueToken] = []
        let rows = rows2021.enumerated().map { i, label in
            let span = SourceSpan(line: i + 1), start = labels.count
            labels += Array(TextNormalization.label(label).utf8)
            tokens.append(ValueToken(raw: run, span: span))
            return TemplateMatcher.Row(label: start..<labels.count, values: (tokens.count - 1)..<tokens.count, grid: false, span: span)
        }
        return (labels, tokens, rows)
    }

    @Test("a kept alignment is what aligning the same labels gives, and only for the same labels")
    func alignmentCache() {
        let m = ApplicationsMatcher(generation: .v2021)
        let keys = Template.applicationRows(.v2021)
        let (labels, _, rows) = Self.rows(run: "1000001")
        let fresh = m.align(rows, labels: labels, keys: keys)
        #expect(ApplicationsMatcher.alignments.value(for: rows, labels: labels, generation: .v2021) { fresh } == fresh)
        #expect(ApplicationsMatcher.alignments.value(for: rows, labels: labels, generation: .v2021) { [] } == fresh)
        // Other labels (one row's label lost) are aligned, not looked up.
        var other = rows
        other[3].label = other[3].label.lowerBound..<other[3].label.lowerBound
        let aligned = m.align(other, labels: labels, keys: keys)
        #expect(ApplicationsMatcher.alignments.value(for: other, labels: labels, generation: .v2021) { aligned } == aligned)
        #expect(ApplicationsMatcher.alignments.value(for: rows, labels: labels, generation: .v2019) { [nil] } == [nil])
    }

    @Test("kept splits of a digit run are the run's splits, and rows read them with their own place")
    func splitCache() {
        let m = ApplicationsMatcher(generation: .v2021)
        let solve = { (row: (values: ArraySlice<ValueToken>, span: SourceSpan)) -> [ApplicationsMatcher.Candidate] in
            var all: [ApplicationsMatcher.Candidate] = []
            _ = m.solve(row.values, at: row.span, into: &all)
            return all
        }
        let made = Self.rows(run: "1000001")
        let row = (made.tokens[made.rows[0].values], made.rows[0].span)
        let first = solve(row), second = solve(row)
        #expect(!first.isEmpty)
        #expect(first.map(\.cells.first?.raw) == second.map(\.cells.first?.raw))
        let readings = { (cells: ArraySlice<ValueToken>) in cells.map(\.reading) }
        #expect(first.map { readings($0.cells) } == second.map { readings($0.cells) })
        #expect(first.map { readings($0.cells) } == ApplicationsMatcher.splits(of: Array("1000001".utf8)).map { readings($0.cells[...]) })
        let moved = ([ValueToken(raw: "1000001", span: SourceSpan(line: 99))][...], SourceSpan(line: 99))
        #expect(solve(moved).allSatisfy { $0.place == SourceSpan(line: 99) })
    }

    @Test("a label starts after the last full stop of the text before it")
    func afterLastFullStop() {
        func cut(_ s: String) -> String {
            let b = Array(s.utf8)
            let r = b.withUnsafeBufferPointer { TemplateMatcher.afterLastFullStop(in: $0) }
            return String(decoding: b[r], as: UTF8.self)
        }
        #expect(cut("全年收到申请9件。信息内容") == "信息内容")
        #expect(cut("一。二。三") == "三")
        #expect(cut("说明。") == "")
        #expect(cut("。") == "")
        #expect(cut("本年新收") == "本年新收")
        #expect(cut("") == "")
        #expect(cut("ab") == "ab")
        // A full stop that a combining mark joins is not a character of its own: the
        // character search decides (the stop with its mark is still a full stop character
        // only when equal to one, which it is not).
        #expect(cut("甲。乙。\u{0301}丙") == "乙。\u{0301}丙")
    }
}
