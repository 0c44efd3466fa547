import Foundation
import Testing
@testable import GongkaiCore

// MARK: - Helpers

/// Writes a ZIP archive, enough to build test DOCX files without extra dependencies. Entries
/// are stored; with `deflate` the bytes are given as deflate data already, whose uncompressed
/// form is `inflated` (for the sizes and CRC in the headers).
private func makeZip(_ entries: [(String, [UInt8])], deflate: Bool = false, inflated: [UInt8] = []) -> [UInt8] {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in entries {
        let nameBytes = Array(name.utf8)
        let plain = deflate ? inflated : data
        let crc = crc32(plain)
        let offset = UInt32(out.count)
        let common = le16(20) + le16(0) + le16(deflate ? 8 : 0) + le16(0) + le16(0x21) + le32(crc)
            + le32(UInt32(data.count)) + le32(UInt32(plain.count)) + le16(nameBytes.count) + le16(0)
        out += le32(0x0403_4B50) + common + nameBytes + data
        central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
    }
    let centralOffset = UInt32(out.count)
    out += central
    out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        + le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
    return out
}

private let wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
private let mcNS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

private func documentXML(_ body: String, prefix: String = "w") -> String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <\(prefix):document xmlns:\(prefix)="\(wordNS)" xmlns:mc="\(mcNS)" xmlns:v="urn:schemas-microsoft-com:vml" \
    xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><\(prefix):body>\(body)</\(prefix):body></\(prefix):document>
    """
}

private func makeDocx(_ body: String) -> [UInt8] {
    makeZip([
        ("[Content_Types].xml", Array("<?xml version=\"1.0\"?><Types/>".utf8)),
        ("word/document.xml", Array(documentXML(body).utf8)),
    ])
}

private func docxPara(_ text: String) -> String { "<w:p><w:r><w:t>\(text)</w:t></w:r></w:p>" }

private func docxCell(_ text: String, _ props: String = "") -> String {
    "<w:tc><w:tcPr><w:tcW w:w=\"100\" w:type=\"dxa\"/>\(props)</w:tcPr>\(text.isEmpty ? "<w:p/>" : docxPara(text))</w:tc>"
}

private func docxRow(_ cells: String...) -> String { "<w:tr><w:trPr></w:trPr>" + cells.joined() + "</w:tr>" }

private func docxTable(_ rows: String...) -> String {
    "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"100\"/></w:tblGrid>"
        + rows.joined() + "</w:tbl>"
}

private func readDocx(_ bytes: [UInt8]) throws(IngestError) -> Document {
    try DocxReader().read(bytes, source: "test.docx")
}

private func docxError(_ bytes: [UInt8]) -> IngestError? {
    do {
        _ = try DocxReader().read(bytes, source: "bad.docx")
        return nil
    } catch {
        return error
    }
}

private func docxTables(_ doc: Document) -> [Table] {
    doc.blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
}

private func docxParagraphs(_ doc: Document) -> [String] {
    doc.blocks.compactMap { if case .paragraph(let p) = $0 { return p.text } else { return nil } }
}

private func docxValues(after label: String, in tables: [Table]) -> [TableCell]? {
    for t in tables {
        for r in t.rows {
            if let i = r.cells.firstIndex(where: { $0.text == label }) { return Array(r.cells[(i + 1)...]) }
        }
    }
    return nil
}

/// The shared corpus, found from this file: <repo>/Tests/GongkaiCoreTests/ → <repo>/../shared/corpus.
private enum DocxCorpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let docx = "01c_shanghai_govoffice_2019.docx"
    static let html = "01_shanghai_govoffice_2019.html"
    static let available = FileManager.default.fileExists(atPath: directory.appendingPathComponent(docx).path)
        && FileManager.default.fileExists(atPath: directory.appendingPathComponent(html).path)

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

// MARK: - Paragraphs

@Test func docxParagraphsJoinRunsAndSkipDeletionsAndFieldCodes() throws {
    let body = """
        <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>\
        <w:r><w:t>2019</w:t></w:r><w:r><w:t>年</w:t></w:r><w:r><w:tab/><w:t>A</w:t><w:br/><w:t>B</w:t></w:r>\
        <w:del w:id="1"><w:r><w:delText>gone</w:delText></w:r></w:del>\
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
        <w:r><w:t xml:space="preserve"> &amp; &lt;x&gt; &#20013;</w:t></w:r><w:r><w:noBreakHyphen/><w:t>1</w:t></w:r></w:p>\
        <w:p/><w:p><w:pPr/></w:p>\
        <w:p><w:r><w:t><![CDATA[a<b]]></w:t></w:r></w:p>
        """
    let doc = try readDocx(makeDocx(body))
    #expect(docxParagraphs(doc) == ["2019年 AB7 & <x> 中-1", "a<b"])
}

@Test func docxWrappersAndAlternateContentAreReadOnce() throws {
    let body = """
        <w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>\(docxPara("inside sdt"))</w:sdtContent></w:sdt>\
        <w:p><w:r><w:t>box:</w:t></w:r><w:r><mc:AlternateContent>\
        <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>\(docxPara("choice text"))</w:txbxContent></wps:txbx></w:drawing></mc:Choice>\
        <mc:Fallback><w:pict><v:textbox><w:txbxContent>\(docxPara("fallback text"))</w:txbxContent></v:textbox></w:pict></mc:Fallback>\
        </mc:AlternateContent></w:r></w:p>\
        <w:p><w:r><mc:AlternateContent><mc:Fallback><w:t>only fallback</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>\
        <w:p><w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink><w:smartTag><w:r><w:t>tag</w:t></w:r></w:smartTag></w:p>
        """
    let doc = try readDocx(makeDocx(body))
    #expect(docxParagraphs(doc) == ["inside sdt", "box: choice text", "only fallback", "linktag"])
}

@Test func docxOtherPrefixAndRelationshipTarget() throws {
    let xml = documentXML("<ns0:p><ns0:r><ns0:t>prefixed</ns0:t></ns0:r></ns0:p>", prefix: "ns0")
    let rels = """
        <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="/word/document2.xml"/></Relationships>
        """
    let zip = makeZip([("_rels/.rels", Array(rels.utf8)), ("word/document2.xml", Array(xml.utf8))])
    #expect(docxParagraphs(try readDocx(zip)) == ["prefixed"])
}

// MARK: - Tables

@Test func docxGridSpanAndVerticalMerges() throws {
    let body = docxTable(
        docxRow(docxCell("corner", "<w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/>"), docxCell("申请人情况")),
        docxRow(docxCell("", "<w:gridSpan w:val=\"2\"/><w:vMerge/>"),
            "<w:tc><w:p><w:r><w:t>本年新</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>制作数量</w:t></w:r></w:p></w:tc>"),
        docxRow(docxCell("规章"), docxCell(" "), "<w:tc><w:p><w:r><w:t>13</w:t></w:r></w:p><w:p><w:r><w:t>件</w:t></w:r></w:p></w:tc>")
    )
    let t = try #require(docxTables(try readDocx(makeDocx(body))).first)
    #expect(t.rows.count == 3)
    #expect(t.rows[0].cells.map(\.text) == ["corner", "申请人情况"])
    #expect(t.rows[0].cells.map(\.column) == [0, 2])
    #expect(t.rows[0].cells.map(\.columnSpan) == [2, 1])
    #expect(t.rows[0].cells.map(\.rowSpan) == [2, 1])
    #expect(t.rows[0].cells[0].span.endLine == 2)
    #expect(t.rows[1].cells.map(\.text) == ["本年新制作数量"])
    #expect(t.rows[1].cells.map(\.column) == [2])
    #expect(t.rows[2].cells.map(\.text) == ["规章", "", "13件"])
    #expect(t.rows[2].cells.map(\.column) == [0, 1, 2])
}

@Test func docxRowsOfOnlyContinuationsAreDroppedAndSpansRecounted() throws {
    let restart = "<w:vMerge w:val=\"restart\"/>", cont = "<w:vMerge w:val=\"continue\"/>"
    let body = docxTable(
        docxRow(docxCell("A", restart), docxCell("B")),
        docxRow(docxCell("", cont), docxCell("X")),
        docxRow(docxCell("", cont)),
        docxRow(docxCell("C"), docxCell("D", cont)), // a continuation with nothing above it starts a cell
        docxRow(docxCell("E"), docxCell("", "<w:vMerge/>"))
    )
    let t = try #require(docxTables(try readDocx(makeDocx(body))).first)
    #expect(t.rows.map { $0.cells.map(\.text) } == [["A", "B"], ["X"], ["C", "D"], ["E"]])
    #expect(t.rows[0].cells[0].rowSpan == 2) // rows 1-3 merged, the empty third row dropped
    #expect(t.rows[2].cells.map(\.rowSpan) == [1, 2])
    #expect(t.rows[3].cells.map(\.column) == [0])
}

@Test func docxHorizontalMergeAndGridBefore() throws {
    let body = docxTable(
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + docxCell("x") + docxCell("y", "<w:hMerge w:val=\"restart\"/>")
            + docxCell("", "<w:hMerge/>") + "</w:tr>",
        docxRow(docxCell("a"), docxCell("b"), docxCell("c"), docxCell("d"))
    )
    let t = try #require(docxTables(try readDocx(makeDocx(body))).first)
    #expect(t.rows[0].cells.map(\.text) == ["x", "y"])
    #expect(t.rows[0].cells.map(\.column) == [1, 2])
    #expect(t.rows[0].cells.map(\.columnSpan) == [1, 2])
    #expect(t.rows[1].cells.map(\.column) == [0, 1, 2, 3])
}

@Test func docxNestedTablesFollowTheirParent() throws {
    let inner = docxTable(docxRow(docxCell("1"), docxCell("2")))
    let body = docxPara("before") + docxTable(docxRow("<w:tc>\(docxPara("outer"))\(inner)<w:p/></w:tc>", docxCell("x"))) + docxPara("after")
    let doc = try readDocx(makeDocx(body))
    let tables = docxTables(doc)
    #expect(tables.count == 2)
    #expect(tables[0].rows[0].cells.map(\.text) == ["outer", "x"])
    #expect(tables[1].rows[0].cells.map(\.text) == ["1", "2"])
    #expect(docxParagraphs(doc) == ["before", "after"])
    guard case .paragraph = doc.blocks[0], case .table = doc.blocks[1], case .table = doc.blocks[2],
          case .paragraph = doc.blocks[3] else {
        Issue.record("unexpected block order")
        return
    }
}

@Test func docxSpansAreBlockOrdinalsAndByteRanges() throws {
    let body = docxPara("one") + "<w:p/>" + docxTable(docxRow(docxCell("a")), docxRow(docxCell("b"))) + docxPara("five")
    let xml = Array(documentXML(body).utf8)
    let doc = try readDocx(makeZip([("word/document.xml", xml)]))
    func slice(_ s: SourceSpan) -> String { String(decoding: xml[(s.byteStart ?? 0)..<(s.byteEnd ?? 0)], as: UTF8.self) }
    guard case .paragraph(let p1) = doc.blocks[0], case .table(let t) = doc.blocks[1],
          case .paragraph(let p5) = doc.blocks[2] else {
        Issue.record("unexpected blocks")
        return
    }
    #expect(p1.span.line == 1)
    #expect(slice(p1.span) == docxPara("one"))
    #expect(t.span.line == 3 && t.span.endLine == 4)
    #expect(t.rows.map(\.span.line) == [3, 4])
    #expect(slice(t.rows[1].span) == docxRow(docxCell("b")))
    #expect(slice(t.rows[1].cells[0].span) == docxCell("b"))
    #expect(slice(t.span).hasPrefix("<w:tbl>") && slice(t.span).hasSuffix("</w:tbl>"))
    #expect(p5.span.line == 5)
}

// MARK: - Errors

@Test func docxErrorsAreTyped() throws {
    #expect(docxError([])?.kind == .empty)
    let notZip = docxError(Array("<html><body>hello</body></html>".utf8))
    #expect(notZip?.kind == .malformed)
    #expect(notZip?.message.hasPrefix("not a DOCX file: ") == true)
    let pkJunk = docxError([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 100))
    #expect(pkJunk?.kind == .malformed)
    let noDocument = docxError(makeZip([("word/other.xml", Array("<x/>".utf8))]))
    #expect(noDocument?.kind == .malformed)
    #expect(noDocument?.message.contains("no word/document.xml") == true)
    #expect(docxError(makeDocx("<w:p/><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"))?.kind == .empty)
    var damaged = makeDocx(docxPara("text"))
    let marker = Array("<w:t>text".utf8)
    let at = try #require((0...(damaged.count - marker.count)).first { Array(damaged[$0..<($0 + marker.count)]) == marker })
    damaged[at + 5] ^= 0x20 // inside the stored document.xml: the CRC no longer matches
    #expect(docxError(damaged)?.kind == .malformed)
}

@Test func docxDeflatedEntriesAreInflatedAndDamagedStreamsFail() throws {
    // Deflate data made of one final stored block (BFINAL=1, BTYPE=00, LEN, NLEN, bytes).
    let xml = Array(documentXML(docxPara("deflated")).utf8)
    let block: [UInt8] = [0x01, UInt8(xml.count & 0xFF), UInt8(xml.count >> 8),
                          UInt8(~xml.count & 0xFF), UInt8((~xml.count >> 8) & 0xFF)] + xml
    #expect(docxParagraphs(try readDocx(makeZip([("word/document.xml", block)], deflate: true, inflated: xml))) == ["deflated"])
    // A non-final stored block announcing 5 bytes but holding 2, and no final block: the
    // stream never ends, which must fail rather than loop.
    let endless = makeZip([("word/document.xml", [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x68, 0x65])], deflate: true, inflated: Array("hello".utf8))
    #expect(docxError(endless)?.kind == .malformed)
    // Wrong declared size.
    let short = makeZip([("word/document.xml", block)], deflate: true, inflated: Array(xml.dropLast()))
    #expect(docxError(short)?.kind == .malformed)
}

@Test(.enabled(if: DocxCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func docxCorpusTruncationsNeverCrash() throws {
    let bytes = try DocxCorpus.bytes(DocxCorpus.docx)
    var cut = 0
    while cut < bytes.count {
        let error = docxError(Array(bytes[..<cut]))
        #expect(error != nil)
        cut += 397
    }
}

// MARK: - The real corpus

@Test(.enabled(if: DocxCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func docxCorpusShanghaiTables() throws {
    let doc = try DocxReader().read(try DocxCorpus.bytes(DocxCorpus.docx), source: DocxCorpus.docx)
    let tables = docxTables(doc)
    #expect(tables.map(\.rows.count) == [18, 26, 4])
    #expect(docxParagraphs(doc).first == "2019年上海市人民政府办公厅政府信息公开工作年度报告")

    let received = try #require(docxValues(after: "一、本年新收政府信息公开申请数量", in: tables))
    #expect(received.map(\.text) == ["821", "35", "", "", "2", "1", "859"])
    #expect(received.map(\.column) == [3, 4, 5, 6, 7, 8, 9])

    let procurement = try #require(docxValues(after: "政府集中采购", in: tables))
    #expect(procurement.map(\.text) == ["6", "251000元"])

    let granted = try #require(docxValues(after: "（一）予以公开", in: tables))
    #expect(granted.count == 7)
    #expect(granted.last?.text == "")
    let resultsLabel = try #require(tables[1].rows.flatMap(\.cells).first { $0.text == "三、本年度办理结果" })
    #expect(resultsLabel.rowSpan == 20)

    let data = try #require(tables[2].rows.first { $0.cells.count == 15 })
    #expect(data.cells.map(\.text) == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""])
    #expect(tables[0].rows[1].cells.map(\.text) == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
}

@Test(.enabled(if: DocxCorpus.available, "shared corpus not found next to the repository (../shared/corpus)"))
func docxAndHTMLOfTheSameReportAgree() throws {
    let fromDocx = try DocxReader().read(try DocxCorpus.bytes(DocxCorpus.docx), source: DocxCorpus.docx)
    let fromHTML = try HTMLReader().read(try DocxCorpus.bytes(DocxCorpus.html), source: DocxCorpus.html)
    #expect(docxParagraphs(fromDocx) == docxParagraphs(fromHTML))
    let a = docxTables(fromDocx), b = docxTables(fromHTML)
    #expect(a.count == b.count)
    for (ta, tb) in zip(a, b) {
        #expect(ta.rows.count == tb.rows.count)
        for (ra, rb) in zip(ta.rows, tb.rows) {
            #expect(ra.cells.map(\.text) == rb.cells.map(\.text))
            #expect(ra.cells.map(\.column) == rb.cells.map(\.column))
            #expect(ra.cells.map(\.columnSpan) == rb.cells.map(\.columnSpan))
            #expect(ra.cells.map(\.rowSpan) == rb.cells.map(\.rowSpan))
        }
    }
}
