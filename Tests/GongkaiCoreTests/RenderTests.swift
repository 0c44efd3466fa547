import Testing
@testable import GongkaiCore

@Suite("Rendering")
struct RenderTests {
    static let table = DisplayTable(columns: ["agency", "year", "received", "rate"], rows: [
        [.text("中卫市沙坡头区统计局"), .integer(2020), .integer(12345), .decimal("0.25")],
        [.text("A局"), .integer(2021), .integer(0), .null],
    ], totalRows: 5)

    @Test("box table: CJK aligned by display width, numbers right, null distinct from 0, rows line")
    func box() {
        let out = TableWriter.box(Self.table)
        #expect(out == """
        ┌──────────────────────┬──────┬──────────┬──────┐
        │ agency               │ year │ received │ rate │
        ├──────────────────────┼──────┼──────────┼──────┤
        │ 中卫市沙坡头区统计局 │ 2020 │   12,345 │ 0.25 │
        │ A局                  │ 2021 │        0 │ null │
        └──────────────────────┴──────┴──────────┴──────┘
        5 rows, showing 2

        """)
        let lines = out.split(separator: "\n").prefix(6)
        #expect(Set(lines.map { DisplayWidth.of(String($0)) }).count == 1)
    }

    @Test("wide tables are fitted to the width with an ellipsis")
    func fit() {
        let out = TableWriter.box(Self.table, width: 40)
        #expect(out.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 40 })
        #expect(out.contains("…"))
    }

    @Test("CSV (with BOM), JSON (exact decimals, null), Markdown, line mode")
    func modes() {
        #expect(TableWriter.render(Self.table, mode: .csv, bom: true) == "\u{FEFF}agency,year,received,rate\r\n中卫市沙坡头区统计局,2020,12345,0.25\r\nA局,2021,0,\r\n")
        #expect(TableWriter.json(Self.table) == "[{\"agency\":\"中卫市沙坡头区统计局\",\"year\":2020,\"received\":12345,\"rate\":0.25},{\"agency\":\"A局\",\"year\":2021,\"received\":0,\"rate\":null}]\n")
        #expect(TableWriter.markdown(Self.table).hasPrefix("| agency | year | received | rate |\n|---|---:|---:|---:|\n| 中卫市沙坡头区统计局 | 2020 | 12,345 | 0.25 |"))
        #expect(TableWriter.csv(DisplayTable(columns: ["t"], rows: [[.text("a,\"b\"")]])) == "t\r\n\"a,\"\"b\"\"\"\r\n")
    }

    @Test("hostile text: ANSI escapes, control characters and bidi marks are neutralised")
    func hostile() {
        let t = DisplayTable(columns: ["x"], rows: [[.text("\u{1B}[31mred\u{202E}evil\u{0007}")]])
        let out = TableWriter.box(t)
        #expect(!out.contains("\u{1B}") && !out.contains("\u{202E}") && !out.contains("\u{0007}"))
        #expect(SafeText.html("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test("terminal bars align Chinese labels; sparklines scale to the range")
    func charts() {
        let bars = TerminalChart.bars([("宁夏回族自治区", 4), ("上海市", 2), ("无", nil)], width: 8)
        #expect(bars == "宁夏回族自治区 │████████ 4\n上海市         │████ 2\n无             │ null\n")
        #expect(TerminalChart.spark([1, 2, 3, nil, 8]) == "▁▂▃ █")  // (v - 1) / 7 of the 8 steps
    }

    @Test("SVG charts are deterministic and escape labels")
    func svg() {
        let c = SVGChart(kind: .line, categories: ["2019", "<2020>"], series: [.init(name: "申请", values: [1, nil])], title: "a&b")
        #expect(c.render() == c.render())
        #expect(c.render().contains("&lt;2020&gt;") && c.render().contains("<title>a&amp;b</title>"))
        #expect(SVGChart(kind: .stacked, categories: ["甲"], series: [.init(name: "x", values: [1]), .init(name: "y", values: [2])]).render().contains(">3</text>"))
    }
}
