/// The readable text form of a parsed report (`gongkai parse`), aligned by display width.
public enum ReportSummary {
    /// Column headings of section 三 as printed in reports.
    static let applicantHeadings = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    /// Column headings of section 四.
    static let reviewHeadings = ["维持", "纠正", "其他", "未审结", "总计"]

    /// The whole summary: metadata, the three tables, uncertain cells and findings.
    public static func render(_ r: Report) -> String {
        var lines: [String] = []
        lines.append("== \(r.source) ==")
        let region = [r.metadata.region.province, r.metadata.region.city, r.metadata.region.county].compactMap { $0 }.joined(separator: " / ")
        lines.append("agency     \(r.metadata.agency ?? "(unknown)")")
        lines.append("year       \(r.metadata.year.map(String.init) ?? "(unknown)")    generation \(r.generation.rawValue)    format \(r.format.rawValue)")
        lines.append("region     \(region.isEmpty ? "(unknown)" : region)")
        var cells: [CellKey: Cell] = [:]
        for c in r.cells { cells[c.key] = c }
        let flagged = Set(r.uncertain.map(\.key))
        func text(_ k: CellKey) -> String {
            guard let c = cells[k] else { return "" }
            let v: String
            switch c.value {
            case .number(let q): v = q.description
            case .blank: v = "·"
            case .notApplicable: v = "—"
            }
            return flagged.contains(k) ? v + "?" : v
        }

        lines.append("")
        lines.append("二、主动公开政府信息情况 (proactive)")
        for row in Template.proactiveRows(r.generation) {
            let parts = row.columns.map { "\($0) \(text(CellKey(.proactive, row.row, $0)))" }
            lines.append("  " + DisplayWidth.pad(row.row, to: 22) + parts.joined(separator: "   "))
        }

        lines.append("")
        lines.append("三、收到和处理政府信息公开申请情况 (applications)")
        lines += grid(rows: Template.applicationRows(r.generation), headings: applicantHeadings) { row, i in
            text(CellKey(.applications, row, Template.applicantColumns[i]))
        }

        lines.append("")
        lines.append("四、行政复议、行政诉讼情况 (reviews)")
        lines += grid(rows: Template.reviewRows, headings: reviewHeadings) { row, i in
            text(CellKey(.reviews, row, Template.reviewColumns[i]))
        }
        lines.append("")
        lines.append("· blank   — not applicable   ? uncertain")
        if !r.uncertain.isEmpty {
            lines.append("")
            lines.append("uncertain (\(r.uncertain.count)):")
            for u in r.uncertain {
                lines.append("  \(u.key): \(u.reason)" + (u.alternatives.isEmpty ? "" : " (also: \(u.alternatives.joined(separator: "; ")))"))
            }
        }
        lines.append("")
        lines.append(findings(r))
        return lines.joined(separator: "\n")
    }

    /// The findings, one per line (or a line saying there are none).
    public static func findings(_ r: Report) -> String {
        guard !r.findings.isEmpty else { return "\(r.source): all identities hold, no findings" }
        var lines = ["\(r.source): \(r.findings.count) finding(s)"]
        for f in r.findings {
            var l = "  [\(f.severity.rawValue)] \(f.rule): \(f.message)"
            if let p = f.printed, let e = f.expected { l += " (printed \(p); expected \(e))" }
            lines.append(l)
        }
        return lines.joined(separator: "\n")
    }

    static func grid(rows: [String], headings: [String], value: (String, Int) -> String) -> [String] {
        let labelWidth = (rows.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        var widths = headings.map { DisplayWidth.of($0) }
        let values = rows.map { row in headings.indices.map { value(row, $0) } }
        for v in values { for (i, s) in v.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(s)) } }
        var out = ["  " + DisplayWidth.pad("", to: labelWidth) + headings.enumerated().map { DisplayWidth.pad($0.element, to: widths[$0.offset], right: true) }.joined(separator: "  ")]
        for (row, v) in zip(rows, values) {
            out.append("  " + DisplayWidth.pad(row, to: labelWidth) + v.enumerated().map { DisplayWidth.pad($0.element, to: widths[$0.offset], right: true) }.joined(separator: "  "))
        }
        return out
    }
}
