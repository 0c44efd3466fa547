import Foundation
import Testing
@testable import GongkaiCore

// MARK: - Helpers

private func readHTML(_ html: String, source: String = "test.html") throws(IngestError) -> Document {
    try HTMLReader().read(Array(html.utf8), source: source)
}

private func readBytes(_ bytes: [UInt8]) throws(IngestError) -> Document {
    try HTMLReader().read(bytes, source: "test.html")
}

private func htmlError(_ bytes: [UInt8]) -> IngestError? {
    do {
        _ = try HTMLReader().read(bytes, source: "bad.html")
        return nil
    } catch {
        return error
    }
}

private func tablesOf(_ doc: Document) -> [Table] {
    doc.blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
}

private func paragraphsOf(_ doc: Document) -> [String] {
    doc.blocks.compactMap { if case .paragraph(let p) = $0 { return p.text } else { return nil } }
}

private func textsOf(_ row: TableRow) -> [String] { row.cells.map(\.text) }

/// The cells after the cell whose text is `label`, in the first row that has such a cell.
private func htmlValues(after label: String, in tables: [Table]) -> [TableCell]? {
    for t in tables {
        for r in t.rows {
            if let i = r.cells.firstIndex(where: { $0.text == label }) { return Array(r.cells[(i + 1)...]) }
        }
    }
    return nil
}

/// The shared corpus, found from this file: <repo>/Tests/GongkaiCoreTests/ → <repo>/../shared/corpus.
private enum HTMLCorpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let available = FileManager.default.fileExists(atPath: directory.appendingPathComponent(shanghai).path)
    static let shanghai = "01_shanghai_govoffice_2019.html"

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

// MARK: - Tables

@Test func rowspanAndColspanGivesBrowserGridColumns() throws {
    let doc = try readHTML("""
        <table>
        <tr><td rowspan="2">A</td><td colspan="2">B</td><td rowspan=3>Z</td></tr>
        <tr><td>C</td><td>D</td></tr>
        <tr><td>E</td><td>F</td><td>G</td></tr>
        </table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows.count == 3)
    #expect(t.rows[0].cells.map(\.column) == [0, 1, 3])
    #expect(t.rows[0].cells.map(\.columnSpan) == [1, 2, 1])
    #expect(t.rows[0].cells.map(\.rowSpan) == [2, 1, 3])
    #expect(textsOf(t.rows[1]) == ["C", "D"])
    #expect(t.rows[1].cells.map(\.column) == [1, 2])
    #expect(textsOf(t.rows[2]) == ["E", "F", "G"])
    #expect(t.rows[2].cells.map(\.column) == [0, 1, 2])
}

@Test func oneRowCellsCoverNothingBelowThem() throws {
    // A wide one-row heading leaves the next row free from column 0; a row-spanning cell
    // covers its column for the next row only.
    let doc = try readHTML("""
        <table>
        <tr><td colspan="3">T</td></tr>
        <tr><td>A</td><td rowspan="2">B</td><td>C</td></tr>
        <tr><td>D</td><td>E</td></tr>
        <tr><td>F</td><td>G</td><td>H</td></tr>
        </table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows.map { $0.cells.map(\.column) } == [[0], [0, 1, 2], [0, 2], [0, 1, 2]])
    #expect(t.rows[1].cells.map(\.rowSpan) == [1, 2, 1])
}

@Test func applicationsHeaderShapeFromTheTemplate() throws {
    // The 2019 template's header: a 3x3 corner, then 自然人 / 法人或其他组织 (5) / 总计.
    let doc = try readHTML("""
        <table><tbody>
        <tr><td colspan="3" rowspan="3">corner</td><td colspan="7">申请人情况</td></tr>
        <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
        <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
        <tr><td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td><td>2</td><td>&nbsp;</td><td>&nbsp;</td><td>3</td><td>4</td><td>&nbsp;</td></tr>
        <tr><td colspan="2">（二）部分公开</td><td>5</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>5</td></tr>
        </tbody></table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows[1].cells.map(\.column) == [3, 4, 9])
    #expect(t.rows[2].cells.map(\.column) == [4, 5, 6, 7, 8])
    #expect(t.rows[3].cells.map(\.column) == [0, 1, 3, 4, 5, 6, 7, 8, 9])
    #expect(textsOf(t.rows[3]) == ["三、本年度办理结果", "（一）予以公开", "1", "2", "", "", "3", "4", ""])
    #expect(t.rows[4].cells.map(\.column) == [1, 3, 4, 5, 6, 7, 8, 9])
    // rowspan 20 is clipped to the two rows that exist from there on.
    #expect(t.rows[3].cells[0].rowSpan == 2)
    #expect(t.rows[0].cells[0].rowSpan == 3)
}

@Test func blankCellsArePresentWithEmptyText() throws {
    let doc = try readHTML("""
        <table><tr>
        <td>label</td><td>&nbsp;</td><td><p align="center">&nbsp;</p></td><td>\u{3000}</td>
        <td><o:p></o:p></td><td> <span><o:p>&nbsp;</o:p></span> </td><td></td><td>&#160;&#x3000;</td><td>7</td>
        </tr></table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(textsOf(t.rows[0]) == ["label", "", "", "", "", "", "", "", "7"])
    #expect(t.rows[0].cells.map(\.column) == Array(0...8))
}

@Test func labelsSplitAcrossInlineAndBreakTagsJoinWithoutSpaces() throws {
    let doc = try readHTML("""
        <table>
        <tr><td><p align="center">本年新<br />制作数量</p></td></tr>
        <tr><td><span>本年</span><span style="x">新</span><br>制作<font face=宋体>数量</font></td></tr>
        <tr><td>
            <p>本年新</p>
            <p>制作数量</p>
        </td></tr>
        <tr><td>本年新
        制作数量</td></tr>
        <tr><td><b>Hello</b> <i>world</i>,
          again</td></tr>
        <tr><td>二、上年结转<div>政府信息公开申请数量</div></td></tr>
        </table>
        """)
    let rows = try #require(tablesOf(doc).first).rows
    #expect(rows.map { $0.cells[0].text } == [
        "本年新制作数量", "本年新制作数量", "本年新制作数量", "本年新制作数量", "Hello world, again",
        "二、上年结转政府信息公开申请数量",
    ])
}

@Test func invalidAndHugeSpansAreClamped() throws {
    let doc = try readHTML("""
        <table>
        <tr><td colspan="abc">a</td><td colspan="0">b</td><td colspan="-3">c</td><td rowspan="x">d</td><td colspan=" 2px">e</td></tr>
        <tr><td colspan="99999">wide</td><td>after</td></tr>
        <tr><td rowspan="99999">tall</td><td>x</td></tr>
        <tr><td>y</td></tr>
        </table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows[0].cells.map(\.columnSpan) == [1, 1, 1, 1, 2])
    #expect(t.rows[0].cells.map(\.column) == [0, 1, 2, 3, 4])
    #expect(t.rows[1].cells.map(\.columnSpan) == [100, 1])
    #expect(t.rows[1].cells.map(\.column) == [0, 100])
    #expect(t.rows[2].cells[0].rowSpan == 2) // clipped to the rows present
    #expect(t.rows[3].cells.map(\.column) == [1])
}

@Test func rowspanZeroRunsToEndOfRowGroup() throws {
    let doc = try readHTML("""
        <table>
        <thead><tr><td rowspan="0">H</td><td>h</td></tr><tr><td>h2</td></tr></thead>
        <tbody><tr><td>b1</td><td>b2</td></tr></tbody>
        </table>
        """)
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows[0].cells[0].rowSpan == 2)
    #expect(t.rows[1].cells.map(\.column) == [1])
    // A new row group starts with a fresh grid.
    #expect(t.rows[2].cells.map(\.column) == [0, 1])
}

@Test func rowsWithoutCellsAreDroppedAndRowSpansRecounted() throws {
    let doc = try readHTML("<table><tr><td rowspan=3>A</td><td>B</td></tr><tr></tr><tr><td>C</td></tr></table>")
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows.count == 2)
    #expect(t.rows[0].cells[0].rowSpan == 2)
    #expect(textsOf(t.rows[1]) == ["C"])
    #expect(t.rows[1].cells[0].column == 1)
}

@Test func nestedTablesAreEmittedSeparatelyAfterTheirParent() throws {
    let doc = try readHTML("""
        <p>before</p>
        <table><tr><td>layout <table><tr><td>1</td><td>2</td></tr></table> tail</td><td>x</td></tr></table>
        <p>after</p>
        """)
    let tables = tablesOf(doc)
    #expect(tables.count == 2)
    #expect(textsOf(tables[0].rows[0]) == ["layouttail", "x"])
    #expect(textsOf(tables[1].rows[0]) == ["1", "2"])
    guard case .paragraph(let first) = doc.blocks[0], case .table = doc.blocks[1], case .table = doc.blocks[2],
          case .paragraph(let last) = doc.blocks[3] else {
        Issue.record("unexpected block order")
        return
    }
    #expect(first.text == "before")
    #expect(last.text == "after")
}

@Test func captionAndStrayTableTextBecomeParagraphsBeforeTheTable() throws {
    let doc = try readHTML("<table><caption>表一</caption>stray<tr><td>1</td></tr></table>")
    #expect(paragraphsOf(doc) == ["表一", "stray"])
    guard case .table = doc.blocks[2] else {
        Issue.record("the table should follow its caption")
        return
    }
}

// MARK: - Paragraphs and text

@Test func paragraphsSplitAtBlocksAndTitleComesFirst() throws {
    let doc = try readHTML("""
        <html><head><style>p { color: red }</style><script>var s = "<p>no</p>";</script>
        <title>2019年某局政府信息公开工作年度报告</title></head>
        <body><!-- a comment <p>hidden</p> --><div>a<br>b</div><p>c<p>d</p>
        <ul><li>e</li><li>f</li></ul><h2>g</h2>inline <b>bold</b> <span>text</span>
        <noscript>enable js</noscript><template><p>tpl</p></template>
        <pre>line 1
        line 2</pre></body></html>
        """)
    #expect(paragraphsOf(doc) == [
        "2019年某局政府信息公开工作年度报告", "a", "b", "c", "d", "e", "f", "g", "inline bold text", "line 1", "line 2",
    ])
}

@Test func entitiesAreDecoded() throws {
    let doc = try readHTML("""
        <p>&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; &ldquo;三安全一稳定&rdquo; &middot; &mdash; &hellip;</p>
        <p>&#20013;&#x6587;&#X6587; &#150; &#0; &bogus; &amp &nbspx &copy;2019 &times;&divide;</p>
        """)
    #expect(paragraphsOf(doc) == [
        "<a> & \"q\" 's' “三安全一稳定” · — …",
        "中文文 – \u{FFFD} &bogus; & x ©2019 ×÷",
    ])
}

@Test func whitespaceCollapsesAndInvisibleCharactersVanish() throws {
    let doc = try readHTML("<p>\u{3000}\u{3000}一、 \t总体\u{200B}情况 &nbsp;&nbsp; end\u{FEFF}  </p>")
    #expect(paragraphsOf(doc) == ["一、 总体情况 end"])
}

/// CJK and fullwidth punctuation sits in runs of plain text with the ideographs: a line break
/// between two wide characters still vanishes, one beside a narrow character is a space, and
/// U+3000 and U+FEFF keep their meaning inside such text.
@Test func lineBreaksBesidePunctuationFollowItsWideness() throws {
    let doc = try readHTML("<p>本年，\n制作（单位：件）\n2023</p><p>…\n—\n「引」\n\u{3000}x\u{FEFF}y</p>")
    #expect(paragraphsOf(doc) == ["本年，制作（单位：件） 2023", "… — 「引」 xy"])
}

// MARK: - Broken input

@Test func brokenHTMLIsReadForgivingly() throws {
    let doc = try readHTML("""
        <P>first<P>second
        <TABLE BORDER=1><TR><TD COLSPAN=2 nowrap>head<TD>x
        <TR><td>1<td>2<td>3
        <tr><td rowspan=2>a<td>b</td><td>c
        """)
    #expect(paragraphsOf(doc) == ["first", "second"])
    let t = try #require(tablesOf(doc).first)
    #expect(t.rows.map(textsOf) == [["head", "x"], ["1", "2", "3"], ["a", "b", "c"]])
    #expect(t.rows[0].cells.map(\.column) == [0, 2])
}

@Test func truncatedFilesKeepWhatWasRead() throws {
    #expect(paragraphsOf(try readHTML("<p>kept</p><p>also kept<td")) == ["kept", "also kept"])
    #expect(paragraphsOf(try readHTML("<p>kept</p><!-- unterminated comment <p>x</p>")) == ["kept"])
    #expect(paragraphsOf(try readHTML("<p>kept</p><p class=\"unterminated>lost")) == ["kept"])
    #expect(paragraphsOf(try readHTML("<p>a < b and c <> d</p><")) == ["a < b and c <> d", "<"])
    #expect(paragraphsOf(try readHTML("<title>no end title<p>body</p>")) == ["no end title", "body"])
    let t = try #require(tablesOf(try readHTML("<table><tr><td>1</td><td>2")).first)
    #expect(textsOf(t.rows[0]) == ["1", "2"])
}

@Test func deepNestingIsFlattenedNotLost() throws {
    let depth = 100_000
    let html = String(repeating: "<div><span>", count: depth) + "deep" + String(repeating: "</span></div>", count: depth)
    #expect(paragraphsOf(try readHTML(html)) == ["deep"])

    let tables = 300
    let nested = String(repeating: "<table><tr><td>", count: tables) + "core" + String(repeating: "</td></tr></table>", count: tables)
    let doc = try readHTML(nested + "<p>after</p>")
    let found = tablesOf(doc)
    #expect(found.count == HTMLParser.maxTableDepth)
    #expect(found.contains { $0.rows.first?.cells.first?.text == "core" })
    #expect(paragraphsOf(doc) == ["after"])
}

@Test func pathologicalInputsStayLinear() throws {
    let n = 200_000
    let inputs: [String] = [
        String(repeating: "<", count: n) + "x",
        String(repeating: "&", count: n) + "x",
        String(repeating: "<!-", count: n) + "x",
        String(repeating: "<title>", count: n / 7) + "x",
        "<table><tr>" + String(repeating: "<td colspan=100 rowspan=1000>", count: n / 30) + "x",
        "<table>" + String(repeating: "<tr><td rowspan=1000>x", count: n / 25),
        String(repeating: "</p>", count: n / 4) + "x",
        String(repeating: "<a b=\"", count: n / 6),
    ]
    for html in inputs {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = try? readHTML(html) }
        #expect(elapsed < .seconds(20), "input starting \(html.prefix(30)) took \(elapsed)")
    }
}

@Test func randomMutationsNeverCrash() throws {
    var rng = HTMLFuzzRandom(seed: 42)
    let base = Array("""
        <html><head><meta charset=utf-8><title>t</title></head><body><table><tr><td rowspan=2 colspan=3>a&nbsp;b</td>
        <td>本年新<br/>制作</td></tr><tr><td>1</td></tr></table><p>x &amp; y</p><pre>1
        2</pre><!-- c --></body></html>
        """.utf8)
    let alphabet = Array("<>/=\"' &;#x0tdrpableiwsn\n\u{7F}".utf8) + [0xE4, 0xB8, 0xAD, 0xFF, 0xC3]
    for _ in 0..<2000 {
        var bytes = base
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            let i = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 3 {
            case 0: bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            case 1: bytes.remove(at: i)
            default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
            }
        }
        bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
        if let doc = try? readBytes(bytes) {
            for t in tablesOf(doc) {
                for r in t.rows {
                    #expect(!r.cells.isEmpty)
                    for c in r.cells { #expect(c.column >= 0 && c.columnSpan >= 1 && c.rowSpan >= 1) }
                }
            }
        }
    }
}

// MARK: - Encodings and errors

/// 政府信息公开 / 本年新 / 制作数量 / “三安全一稳定” in GBK, produced with `iconv -f UTF-8 -t GBK`.
private let gbkTitle: [UInt8] = [0xD5, 0xFE, 0xB8, 0xAE, 0xD0, 0xC5, 0xCF, 0xA2, 0xB9, 0xAB, 0xBF, 0xAA]
private let gbkNew: [UInt8] = [0xB1, 0xBE, 0xC4, 0xEA, 0xD0, 0xC2]
private let gbkMade: [UInt8] = [0xD6, 0xC6, 0xD7, 0xF7, 0xCA, 0xFD, 0xC1, 0xBF]
private let gbkQuote: [UInt8] = [0xA1, 0xB0, 0xC8, 0xFD, 0xB0, 0xB2, 0xC8, 0xAB, 0xD2, 0xBB, 0xCE, 0xC8, 0xB6, 0xA8, 0xA1, 0xB1]

private func gbkPage(meta: String) -> [UInt8] {
    Array("<html><head>\(meta)<title>".utf8) + gbkTitle + Array("</title></head><body><table><tr><td>".utf8)
        + gbkNew + Array("<br>".utf8) + gbkMade + Array("</td><td>821</td><td>&nbsp;</td></tr></table>\n<p>".utf8)
        + gbkQuote + Array("</p></body></html>".utf8)
}

@Test(arguments: [
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
    "<meta charset=\"GBK\">",
    "<META CHARSET=gb18030>",
    "",
    "<meta charset=\"utf-8\">",
    "<meta http-equiv=content-type content=\"text/html;charset=ISO-8859-1\">",
])
func gbkPagesAreDecoded(meta: String) throws {
    let doc = try readBytes(gbkPage(meta: meta))
    #expect(paragraphsOf(doc) == ["政府信息公开", "“三安全一稳定”"])
    let t = try #require(tablesOf(doc).first)
    #expect(textsOf(t.rows[0]) == ["本年新制作数量", "821", ""])
    // Spans of transcoded files refer to the decoded UTF-8 text; lines are unchanged.
    guard case .paragraph(let p) = doc.blocks.last else {
        Issue.record("last block should be a paragraph")
        return
    }
    #expect(p.span.line == 2)
    let decoded = Array("<html><head>\(meta)<title>政府信息公开</title></head><body><table><tr><td>本年新<br>制作数量</td><td>821</td><td>&nbsp;</td></tr></table>\n<p>“三安全一稳定”</p></body></html>".utf8)
    let start = try #require(p.span.byteStart), end = try #require(p.span.byteEnd)
    #expect(String(decoding: decoded[start..<end], as: UTF8.self) == "<p>“三安全一稳定”</p>")
}

@Test func gb18030FourByteSequencesDecode() throws {
    let bytes = Array("<meta charset=gb18030><p>".utf8) + [0x95, 0x32, 0x82, 0x36, 0xA2, 0xE3] + Array("</p>".utf8)
    #expect(paragraphsOf(try readBytes(bytes)) == ["\u{20000}€"])
}

@Test func utf16AndBOMsAreRecognised() throws {
    let html = "<p>政府信息公开</p>"
    var le: [UInt8] = [0xFF, 0xFE]
    var be: [UInt8] = [0xFE, 0xFF]
    var bomless: [UInt8] = []
    for u in html.utf16 {
        le += [UInt8(u & 0xFF), UInt8(u >> 8)]
        be += [UInt8(u >> 8), UInt8(u & 0xFF)]
    }
    for u in "<html><body><p>plain ascii text here</p></body></html>".utf16 { bomless += [UInt8(u & 0xFF), UInt8(u >> 8)] }
    #expect(paragraphsOf(try readBytes(le)) == ["政府信息公开"])
    #expect(paragraphsOf(try readBytes(be)) == ["政府信息公开"])
    #expect(paragraphsOf(try readBytes(bomless)) == ["plain ascii text here"])
    // A UTF-8 BOM is skipped but counted in byte offsets (they point into the original file).
    let doc = try readBytes([0xEF, 0xBB, 0xBF] + Array(html.utf8))
    guard case .paragraph(let p) = doc.blocks.first else {
        Issue.record("expected a paragraph")
        return
    }
    #expect(p.text == "政府信息公开")
    #expect(p.span.byteStart == 3)
    #expect(p.span.byteEnd == 3 + html.utf8.count)
}

@Test func emptyAndBinaryInputsAreRejected() throws {
    #expect(htmlError([])?.kind == .empty)
    #expect(htmlError(Array("   \n\t ".utf8))?.kind == .empty)
    #expect(htmlError([0xEF, 0xBB, 0xBF])?.kind == .empty)
    #expect(htmlError([0xFF, 0xFE])?.kind == .empty)
    #expect(htmlError(Array("<html><head><script>x()</script></head><body><p>&nbsp;</p><table><tr><td></td></tr></table></body></html>".utf8))?.kind == .empty)
    #expect(htmlError([0x3C, 0x70, 0x3E, 0x00, 0x01, 0x02, 0x41])?.kind == .binary)
    #expect(htmlError(Array("%PDF-1.6\n%âãÏÓ\n".utf8))?.kind == .binary)
    #expect(htmlError([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])?.kind == .binary)
    var rng = HTMLFuzzRandom(seed: 7)
    let junk = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) | 1 }
    #expect(htmlError(junk)?.kind == .binary)
    #expect(htmlError(Array(repeating: 0x07, count: 100) + Array("<p>x</p>".utf8))?.kind == .binary)
}

// MARK: - Spans

@Test func spansGiveLinesAndOriginalByteOffsets() throws {
    let html = "<html>\n<body>\n<p>first</p>\n<table>\n<tr>\n<td>a</td><td>\nb</td>\n</tr>\n</table>\n<p>last\nline</p>\n</body></html>"
    let bytes = Array(html.utf8)
    let doc = try readBytes(bytes)
    func slice(_ s: SourceSpan) -> String {
        String(decoding: bytes[(s.byteStart ?? 0)..<(s.byteEnd ?? 0)], as: UTF8.self)
    }
    guard case .paragraph(let p1) = doc.blocks[0], case .table(let t) = doc.blocks[1],
          case .paragraph(let p2) = doc.blocks[2] else {
        Issue.record("unexpected blocks")
        return
    }
    #expect(p1.span.line == 3 && p1.span.endLine == 3)
    #expect(slice(p1.span) == "<p>first</p>")
    #expect(t.span.line == 4 && t.span.endLine == 9)
    #expect(slice(t.span).hasPrefix("<table>") && slice(t.span).hasSuffix("</table>"))
    #expect(t.rows[0].span.line == 5 && t.rows[0].span.endLine == 8)
    #expect(slice(t.rows[0].cells[0].span) == "<td>a</td>")
    #expect(t.rows[0].cells[1].span.line == 6 && t.rows[0].cells[1].span.endLine == 7)
    #expect(slice(t.rows[0].cells[1].span) == "<td>\nb</td>")
    #expect(p2.text == "last line")
    #expect(p2.span.line == 10 && p2.span.endLine == 11)
    #expect(slice(p2.span) == "<p>last\nline</p>")
}

// MARK: - The real corpus

@Test(.enabled(if: HTMLCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func corpusShanghaiApplicationsTable() throws {
    let doc = try HTMLReader().read(try HTMLCorpus.bytes(HTMLCorpus.shanghai), source: HTMLCorpus.shanghai)
    let tables = tablesOf(doc)
    #expect(tables.map(\.rows.count) == [18, 26, 4])
    #expect(paragraphsOf(doc).first == "2019年上海市人民政府办公厅政府信息公开工作年度报告")

    let received = try #require(htmlValues(after: "一、本年新收政府信息公开申请数量", in: tables))
    #expect(received.map(\.text) == ["821", "35", "", "", "2", "1", "859"])
    #expect(received.map(\.column) == [3, 4, 5, 6, 7, 8, 9])

    let granted = try #require(htmlValues(after: "（一）予以公开", in: tables))
    #expect(granted.count == 7)
    #expect(granted.map(\.text) == ["258", "12", "", "", "1", "1", ""])
    let resultsLabel = try #require(tables[1].rows.flatMap(\.cells).first { $0.text == "三、本年度办理结果" })
    #expect(resultsLabel.rowSpan == 20 && resultsLabel.column == 0)

    let header = tables[0].rows[1]
    #expect(textsOf(header) == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
}

@Test(.enabled(if: HTMLCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func corpusShanghaiProcurementAndReviews() throws {
    let bytes = try HTMLCorpus.bytes(HTMLCorpus.shanghai)
    let doc = try HTMLReader().read(bytes, source: HTMLCorpus.shanghai)
    let tables = tablesOf(doc)
    let procurement = try #require(htmlValues(after: "政府集中采购", in: tables))
    #expect(procurement.map(\.text) == ["6", "251000元"])
    #expect(procurement.map(\.column) == [1, 3])

    let reviews = try #require(tables.last)
    let data = try #require(reviews.rows.first { $0.cells.count == 15 })
    #expect(textsOf(data) == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""])
    #expect(data.cells.map(\.column) == Array(0..<15))

    // Spans point into the original file.
    let cell = procurement[1]
    let raw = String(decoding: bytes[(cell.span.byteStart ?? 0)..<(cell.span.byteEnd ?? 0)], as: UTF8.self)
    #expect(raw.hasPrefix("<td") && raw.hasSuffix("</td>") && raw.contains("251000元"))
}

@Test(.enabled(if: HTMLCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func corpusTruncationsNeverCrash() throws {
    let bytes = try HTMLCorpus.bytes(HTMLCorpus.shanghai)
    var cut = 1
    while cut < bytes.count {
        if let doc = try? HTMLReader().read(Array(bytes[..<cut]), source: "cut.html") {
            #expect(!doc.blocks.isEmpty)
        }
        cut += 211
    }
}

/// A small deterministic generator for reproducible fuzzing.
private struct HTMLFuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test func everyKnownTagNameIsLookedUpInAnyCase() {
    for tag in HTMLTag.allCases where tag != .other {
        let name = String(describing: tag)
        for spelling in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
            // Padded on both sides so the word-at-a-time fold reads past the name.
            let bytes = Array("<\(spelling)>        ".utf8)
            let found = bytes.withUnsafeBufferPointer { HTMLTag.lookup($0, 1, 1 + spelling.utf8.count) }
            #expect(found == tag, "\(spelling)")
            let atEnd = Array(spelling.utf8)
            #expect(atEnd.withUnsafeBufferPointer { HTMLTag.lookup($0, 0, $0.count) } == tag, "\(spelling) at the end")
        }
        let longer = Array((name + "x").utf8)
        #expect(longer.withUnsafeBufferPointer { HTMLTag.lookup($0, 0, $0.count) } == .other, "\(name)x")
    }
    let controlDigit: [UInt8] = [0x68, 0x11] // "h" and a control byte that folds to "1"
    #expect(controlDigit.withUnsafeBufferPointer { HTMLTag.lookup($0, 0, 2) } == .other)
}
