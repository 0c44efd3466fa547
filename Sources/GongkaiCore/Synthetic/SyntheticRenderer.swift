import Foundation

/// Renders a synthetic report in one of the layouts real reports come in. All wording is
/// Gongkai's own.
struct SyntheticRenderer {
    let report: SyntheticCorpus.Report
    /// Whether procurement amounts print in 元 (`251000元`) rather than 万元.
    let amountInYuan: Bool

    var g: Generation { report.generation }
    var title: String { "\(report.agency.name)\(report.year)年政府信息公开工作年度报告" }

    func value(_ key: CellKey) -> String {
        switch report.cells[key] ?? .blank {
        case .blank: return ""
        case .notApplicable: return "/"
        case .number(let q):
            if key.row == "procurement" && key.column == "amount" && amountInYuan {
                return Quantity(mantissa: q.mantissa, scale: q.scale - 4).normalized.description + "元"
            }
            return q.description
        }
    }

    func values(_ row: String) -> [String] {
        Template.applicantColumns.map { value(CellKey(.applications, row, $0)) }
    }

    func proactiveValues(_ row: String) -> [String] {
        Template.proactiveRows(g).first { $0.row == row }!.columns.map { value(CellKey(.proactive, row, $0)) }
    }

    var reviewValues: [String] {
        Template.reviewRows.flatMap { p in Template.reviewColumns.map { value(CellKey(.reviews, p, $0)) } }
    }

    // MARK: Narrative

    var paragraphs: [String] {
        let n = report.narrative
        let y = report.year, a = report.agency.name
        var p: [String] = []
        p.append("根据《中华人民共和国政府信息公开条例》要求，现公布\(a)\(y)年政府信息公开工作年度报告。本报告所列数据的统计期限自\(y)年1月1日起至\(y)年12月31日止。")
        p.append("一、总体情况")
        var media = "全年通过政府网站发布信息\(n["website_posts"] ?? 0)条"
        if let w = n["wechat_posts"], w > 0 { media += "，政务微信公众号发布信息\(w)条，其中原创\(n["wechat_original_posts"] ?? 0)条" }
        if let w = n["weibo_posts"], w > 0 { media += "，政务微博发布信息\(w)条" }
        p.append("\(y)年，\(a)\(pick(Self.openings, "opening"))\(media)。")
        let received = n["applications_received_text"] ?? 0
        p.append(received == 0 ? "全年未收到政府信息公开申请。" : "全年共收到政府信息公开申请\(received)件，均在法定期限内答复。")
        return p
    }

    var closing: [String] {
        ["五、存在的主要问题及改进情况", pick(Self.problems, "problems") + pick(Self.improvements, "improvements"),
         "六、其他需要报告的事项", g == .v2021 ? "本年度未收取信息处理费。" : "无。"]
    }

    /// Opening sentences of section 一 (Gongkai's own wording).
    static let openings = [
        "认真贯彻落实政府信息公开条例，持续推进政务公开工作。",
        "坚持以公开为常态、不公开为例外，围绕中心工作做好信息发布。",
        "把政务公开纳入年度工作要点，明确分管领导和专职人员，工作机制进一步健全。",
        "以群众关切为导向，重点做好政策文件、财政预决算和重大项目信息的公开。",
        "完善主动公开目录，规范发布审核流程，公开质量稳步提高。",
        "加强政府网站和政务新媒体建设，拓宽信息发布渠道，便利群众获取信息。",
    ]

    /// Problems named in section 五.
    static let problems = [
        "信息发布的及时性和解读的深度仍有不足。",
        "部分栏目内容更新不够及时，信息分类还不够细致。",
        "政策解读形式较为单一，图解、视频等解读方式运用不多。",
        "工作人员业务能力有待提高，对条例的理解不够深入。",
        "依申请公开的答复规范化程度仍需提升。",
        "政务新媒体互动回应不够充分，留言办理时效有待加强。",
    ]

    /// Improvements promised in section 五.
    static let improvements = [
        "下一步将加强业务培训，提升公开质量。",
        "下一步将健全信息发布协调机制，确保信息及时准确公开。",
        "今后将丰富解读形式，增强政策解读的针对性和可读性。",
        "我们将完善答复文书模板，规范办理流程。",
        "下一步将加强对政务新媒体的日常管理，提高回应效率。",
        "将进一步梳理公开目录，推动基层政务公开标准化规范化。",
    ]

    /// A sentence chosen by a stable hash of the agency and, except for the one agency in four
    /// that reuses its text every year, of the year — so demo series include copied sections.
    func pick(_ options: [String], _ slot: String) -> String {
        let copies = Self.stableHash(report.agency.name + "copies") % 4 == 0
        let key = report.agency.name + slot + (copies ? "" : String(report.year))
        return options[Int(Self.stableHash(key) % UInt64(options.count))]
    }

    /// FNV-1a over UTF-8 (unlike `hashValue`, the same in every process).
    static func stableHash(_ s: String) -> UInt64 {
        s.utf8.reduce(0xcbf29ce484222325) { ($0 ^ UInt64($1)) &* 0x100000001b3 }
    }

    // MARK: Layouts

    func render(_ layout: SyntheticCorpus.Layout) -> String {
        switch layout {
        case .pdftext: return pdftext()
        case .markdown: return markdown()
        case .html: return html()
        case .flat: return flat()
        }
    }

    /// pdftotext-style: tab-separated cells, a wrapped label, a page footer inside a table.
    func pdftext() -> String {
        var l: [String] = ["", report.agency.name, "", "\(report.year)年政府信息公开工作年度报告", ""]
        l += paragraphs.flatMap { [$0, ""] }
        l.append("二、主动公开政府信息情况")
        for grp in SyntheticLabels.proactiveGroups(g) {
            l.append(grp.caption + "\t\t\t")
            l.append(grp.header.joined(separator: "\t"))
            for row in grp.rows { l.append(([SyntheticLabels.proactive(row, g)] + proactiveValues(row)).joined(separator: "\t")) }
        }
        l += ["", "三、收到和处理政府信息公开申请情况", ""]
        l.append("(本列数据的勾稽关系为: 第一项加第二项之和, 等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t")
        l.append("\t自然人\t法人或其他组织\t\t\t\t\t总计")
        l.append("\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t")
        for (i, row) in Template.applicationRows(g).enumerated() {
            let (group, item) = SyntheticLabels.application(row, g)
            var label = [group ?? "", item]
            if row == "new_received" || row == "carried_over" || row == "carried_forward" { label = [item] }
            if row == "partially_granted" {
                l.append((["", "（二）部分公开（区分处理的，只计这一情形，不计其"] + values(row)).joined(separator: "\t"))
                l.append("\t他情形）")
                continue
            }
            l.append((label + values(row)).joined(separator: "\t"))
            if i == 11 { l.append("— \(report.year % 7 + 2) —") }
        }
        l += ["", "四、政府信息公开行政复议、行政诉讼情况", "行政复议\t\t\t\t\t行政诉讼",
              (SyntheticLabels.reviewHeader + ["未经复议直接起诉", "复议后起诉"]).joined(separator: "\t"),
              reviewValues.joined(separator: "\t"), ""]
        l += closing
        return l.joined(separator: "\n") + "\n"
    }

    /// Markdown / OCR output with pipe tables.
    func markdown() -> String {
        func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        func rule(_ n: Int) -> String { "|" + String(repeating: "---|", count: n) }
        var l: [String] = ["# \(title)", ""]
        l += paragraphs.flatMap { [$0, ""] }
        l += ["## 二、主动公开政府信息情况", ""]
        for grp in SyntheticLabels.proactiveGroups(g) {
            l += [grp.caption, "", row(grp.header), rule(grp.header.count)]
            for r in grp.rows { l.append(row([SyntheticLabels.proactive(r, g)] + proactiveValues(r))) }
            l.append("")
        }
        l += ["## 三、收到和处理政府信息公开申请情况", "", row(["申请人情况"] + SyntheticLabels.applicantHeader), rule(8)]
        for r in Template.applicationRows(g) {
            let (group, item) = SyntheticLabels.application(r, g)
            l.append(row([(group.map { $0 + " " } ?? "") + item] + values(r)))
        }
        l += ["", "## 四、政府信息公开行政复议、行政诉讼情况", ""]
        let header = SyntheticLabels.reviewHeader + SyntheticLabels.reviewHeader + SyntheticLabels.reviewHeader
        l += [row(header), rule(15), row(reviewValues), ""]
        l += closing.map { $0.hasPrefix("五、") || $0.hasPrefix("六、") ? "## " + $0 : $0 }
        return l.joined(separator: "\n") + "\n"
    }

    /// A government web page: tables with rowspan/colspan and `&nbsp;` blanks.
    func html() -> String {
        // One scalar pass (three Foundation replacements took 4% of a gen run); the
        // generated text holds no combining marks, so scalars and characters agree here.
        func esc(_ s: String) -> String {
            guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E }) else { return s }
            var out = String.UnicodeScalarView()
            for c in s.unicodeScalars {
                switch c {
                case "&": out.append(contentsOf: "&amp;".unicodeScalars)
                case "<": out.append(contentsOf: "&lt;".unicodeScalars)
                case ">": out.append(contentsOf: "&gt;".unicodeScalars)
                default: out.append(c)
                }
            }
            return String(out)
        }
        func td(_ s: String, _ attrs: String = "") -> String { "<td\(attrs)><p>\(s.isEmpty ? "&nbsp;" : esc(s))</p></td>" }
        var h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(esc(title))</title></head>\n<body>\n"
        h += "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a></div>\n"
        h += "<h1>\(esc(title))</h1>\n"
        for p in paragraphs { h += "<p>\(esc(p))</p>\n" }
        h += "<p>二、主动公开政府信息情况</p>\n<table border=\"1\"><tbody>\n"
        for grp in SyntheticLabels.proactiveGroups(g) {
            h += "<tr><td colspan=\"4\">\(grp.caption)</td></tr>\n<tr>" + grp.header.map { td($0) }.joined() + "</tr>\n"
            for r in grp.rows {
                let vals = proactiveValues(r)
                let span = vals.count < 3 ? " colspan=\"\(4 - vals.count)\"" : ""
                h += "<tr>" + td(SyntheticLabels.proactive(r, g)) + vals.enumerated().map { td($0.element, $0.offset == vals.count - 1 ? span : "") }.joined() + "</tr>\n"
            }
        }
        h += "</tbody></table>\n<p>三、收到和处理政府信息公开申请情况</p>\n<table border=\"1\"><tbody>\n"
        h += "<tr><td colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=\"7\">申请人情况</td></tr>\n"
        h += "<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>\n"
        h += "<tr>" + SyntheticLabels.applicantHeader[1...5].map { td($0) }.joined() + "</tr>\n"
        let rows = Template.applicationRows(g)
        let outcomeCount = Template.outcomeRows(g).count + 1
        var groupLeft = 0
        for r in rows {
            let (group, item) = SyntheticLabels.application(r, g)
            var cells = ""
            if r == "new_received" || r == "carried_over" || r == "carried_forward" {
                cells = td(item, " colspan=\"3\"")
            } else {
                if r == "granted" { cells += td("三、本年度<br>办理结果", " rowspan=\"\(outcomeCount)\"") }
                if let group, r != "granted" {
                    let size = rows.filter { x in Self.groupOf(x, g) == group }.count
                    cells += td(group, " rowspan=\"\(size)\"")
                    groupLeft = size
                }
                if groupLeft > 0 { cells += td(item); groupLeft -= 1 } else { cells += td(item, " colspan=\"2\"") }
            }
            h += "<tr>" + cells + values(r).map { td($0) }.joined() + "</tr>\n"
        }
        h += "</tbody></table>\n<p>四、政府信息公开行政复议、行政诉讼情况</p>\n<table border=\"1\"><tbody>\n"
        h += "<tr><td colspan=\"5\" rowspan=\"2\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>\n"
        h += "<tr><td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>\n"
        h += "<tr>" + (0..<3).flatMap { _ in SyntheticLabels.reviewHeader }.map { td($0) }.joined() + "</tr>\n"
        h += "<tr>" + reviewValues.map { td($0) }.joined() + "</tr>\n</tbody></table>\n"
        for p in closing { h += "<p>\(esc(p))</p>\n" }
        h += "<div class=\"footer\">主办单位：\(esc(report.agency.name))</div>\n</body></html>\n"
        return h
    }

    static func groupOf(_ row: String, _ g: Generation) -> String? {
        if row.hasPrefix("denied_") { return "（三）不予公开" }
        if row.hasPrefix("unable_") { return "（四）无法提供" }
        if row.hasPrefix("not_processed_") { return "（五）不予处理" }
        if row.hasPrefix("other_") { return "（六）其他处理" }
        return nil
    }

    /// Crawled page text: one paragraph, tables flattened into runs of digits. A row whose
    /// run would not split one way only is printed with spaces, as pages sometimes do.
    func flat() -> String {
        var s = "标题: \(title)\n发布时间: \(report.year + 1)-01-20 10:00\n==================== 正文 ====================\n"
        s += title + " " + paragraphs.joined()
        s += "二、主动公开政府信息情况 "
        let matcher = ProactiveMatcher(generation: g, narrativeNumbers: [])
        for grp in SyntheticLabels.proactiveGroups(g) {
            s += grp.caption + grp.header.joined()
            for r in grp.rows {
                let vals = proactiveValues(r)
                let spec = Template.proactiveRows(g).first { $0.row == r }!
                let unit: CellText.Unit = vals.last?.hasSuffix("元") == true ? .yuan : .none
                let run = vals.map { $0.replacingOccurrences(of: "元", with: "") }.joined()
                let (ranked, truncated) = matcher.rank(run, spec: spec, unit: unit)
                let clear = vals.count == 1 || (!truncated && ranked.first?.0 == vals.map { $0.replacingOccurrences(of: "元", with: "") } && ProactiveMatcher.isConfident(ranked))
                s += SyntheticLabels.proactive(r, g) + (clear ? vals.joined() : vals.joined(separator: " "))
            }
        }
        s += "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        for r in Template.applicationRows(g) {
            let (group, item) = SyntheticLabels.application(r, g)
            let vals = values(r)
            let run = vals.joined()
            let splits = DigitRunSolver.split(run, count: 7, maxDigits: 7, accept: ApplicationsMatcher.identity3).splits
            s += (group ?? "") + item + (splits == [vals] ? run : vals.joined(separator: " "))
        }
        s += " 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼" + SyntheticLabels.reviewHeader.joined() + "未经复议直接起诉复议后起诉"
        let rv = reviewValues
        let splits = DigitRunSolver.split(rv.joined(), count: 15, maxDigits: 6, accept: ReviewsMatcher.identity4).splits
        s += (splits == [rv] ? rv.joined() : rv.joined(separator: " "))
        s += closing.joined() + "\n"
        return s
    }
}
