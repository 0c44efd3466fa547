import GongkaiCore

/// WordprocessingML seeds for the DOCX target (bare `word/document.xml` bodies; the target
/// wraps them in a ZIP).
enum WordXML {
    static let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>"
    static let tail = "</w:body></w:document>"

    /// Hand-written bodies for the features the reader handles: merged cells, nested tables,
    /// alternate content, deleted text, field codes, tabs and breaks.
    static let samples: [[UInt8]] = [
        "<w:p><w:r><w:t>一、总体情况</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> 申请 </w:t></w:r></w:p>",
        "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>本年新收</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>4</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:tcPr><w:hMerge w:val=\"continue\"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>",
        "<w:p><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t>选</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>备</w:t></w:r></mc:Fallback></mc:AlternateContent><w:r><w:delText>删</w:delText><w:instrText>PAGE</w:instrText><w:br/><w:cr/><w:noBreakHyphen/><w:t>留</w:t></w:r></w:p>",
        "<w:sdt><w:sdtContent><w:p><w:pPr/><w:r><w:t>&lt;&amp;&#x4E00;&#19968;</w:t></w:r></w:p></w:sdtContent></w:sdt><w:moveFrom><w:r><w:t>移</w:t></w:r></w:moveFrom>",
    ].map { Array((head + $0 + tail).utf8) }

    /// A text report (tab-separated tables) as Word XML documents of at most `maxLength`
    /// bytes: runs of paragraphs and tables, cut between blocks.
    static func documents(fromText text: String, maxLength: Int) -> [[UInt8]] {
        var docs: [[UInt8]] = []
        var body = "", table = ""
        func esc(_ s: Substring) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func add(_ block: String) {
            if !body.isEmpty && head.utf8.count + body.utf8.count + block.utf8.count + tail.utf8.count > maxLength {
                docs.append(Array((head + body + tail).utf8))
                body = ""
            }
            body += block
        }
        func flushTable() {
            if !table.isEmpty { add("<w:tbl>" + table + "</w:tbl>"); table = "" }
        }
        for line in text.split(separator: "\n") {
            if line.contains("\t") {
                let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
                table += "<w:tr>" + cells.map { "<w:tc><w:p><w:r><w:t>\(esc($0))</w:t></w:r></w:p></w:tc>" }.joined() + "</w:tr>"
            } else {
                flushTable()
                add("<w:p><w:r><w:t>\(esc(line))</w:t></w:r></w:p>")
            }
        }
        flushTable()
        if !body.isEmpty { docs.append(Array((head + body + tail).utf8)) }
        return docs
    }
}

/// Seeds for the digit-run solver: rows whose identity holds, printed with no separators.
enum SolverSeeds {
    /// About a hundred encoded rows of 2–16 cells, some negative, some with decimals.
    static func make() -> [[UInt8]] {
        var rng = RandomSource(seed: 7)
        var out: [[UInt8]] = []
        for i in 0..<100 {
            let count = 2 + i % 15
            var cells = (0..<(count - 1)).map { _ in Int(rng.next() % (i % 3 == 0 ? 10 : i % 3 == 1 ? 300 : 50_000)) }
            if i % 11 == 0 { cells[0] = -cells[0] }
            let total = cells.reduce(0, +)
            var run = (cells + [total]).map(String.init).joined()
            if i % 7 == 0 { run += ".5" }
            if i % 13 == 0 { run = run.replacingOccurrences(of: "0", with: "0 ") }
            out.append(SolverInput.encode(count: count, maxDigits: 9, mode: i % 4 == 3 ? 2 : 1, run: run))
        }
        out.append(SolverInput.encode(count: 7, maxDigits: 6, mode: 1, run: "640020470"))
        out.append(SolverInput.encode(count: 15, maxDigits: 6, mode: 0, run: String(repeating: "1", count: 200)))
        return out
    }
}

/// Seeds for the query and notebook targets.
enum QuerySeeds {
    /// Pipelines covering every step of the language, and a few typed wrong.
    static let samples = [
        "from applications | where year == 2020 and province == \"宁夏回族自治区\" and applicant == \"total\" | group county (aggregate {received = sum(new_received), denied = sum(denied_total)}) | derive denial_rate = denied / received | sort -denial_rate | take 10",
        "let r = from reports | where year >= 2019\nfrom applications | join side:left r (report_id == report_id) | select {agency, year, grant_rate}",
        "from applications | window by:agency sort:year {prev = lag(new_received)} | derive d = new_received - prev",
        "from applications | pivot by:agency year (sum(new_received)) columns [2019, 2020, 2021]",
        "from reports | union (from reports | where year is null) | aggregate {n = count(), y = max(year)}",
        "from findings | where rule in [\"identity_1\", \"identity_2\"] and not (severity == \"info\") | take 5 offset:2",
        "from cells | derive v = coalesce(value, 0) * 1.5 | where raw contains \"万\" or key startswith \"applications.\"",
        "from applications | aggregate {r = total_denial_rate} ; from applications | derive h = handled",
        "from applicatons | where yeer == 2020 | selct {agency}",
        "from applications | where year == | take -1",
        "from applications | derive x = loop_a + broken",
        "from (from reports | select {agency, year}) | sort agency, -year | take 3",
        "from reports | where title == \"a\\\"b\" and year != 2020.50 | select {t = title, n = 1 / 0}",
    ]

    /// Notebooks with front matter, parameters, options, prose and dot commands.
    static let notebooks = [
        "---\ntitle: 测试 <b>报告</b>\nworkspace: ../w.db\nparams:\n  year: 2021\n  province: 宁夏回族自治区\n  rate: 0.5\n  flag: true\n---\n# Heading **$year**\n\n- item `code`\n- $province\n\n```gongkai\n#| chart: bar\n#| x: agency\n#| y: from\n#| caption: Rates in $province\nfrom applications | where year == $year and province == $province\n```\n\n```gongkai\n#| output: cards\n#| echo: false\n.tables\n.schema reports\n```\n\u{0}year=2020\nprovince=上海市",
        "```gongkai\n#| chart: line\n#| maxrows: 3\nfrom reports\n```\n```gongkai\n#| continue-on-error: true\n.fail now\n```\n",
        "---\nparams: [1, 2]\n---\n",
        "---\ntitle: x\n",
    ]

    /// The fenced blocks of a Markdown file (notebooks, the language reference) that hold a
    /// pipeline (they start with `from` or `let` once cell options are dropped).
    static func fencedCells(_ text: String) -> [String] {
        var out: [String] = [], current: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fence = line.trimmingCharacters(in: .whitespaces).hasPrefix("```")
            if current == nil {
                if fence { current = [] }
            } else if fence {
                let body = current!.filter { !$0.hasPrefix("#|") }.joined(separator: "\n")
                let t = body.trimmingCharacters(in: .whitespacesAndNewlines)
                if t.hasPrefix("from") || t.hasPrefix("let") { out.append(body) }
                current = nil
            } else {
                current!.append(line)
            }
        }
        return out
    }
}
