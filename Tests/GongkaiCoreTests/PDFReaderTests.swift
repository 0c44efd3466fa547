import Foundation
import Testing
@testable import GongkaiCore

/// Where the shared sample reports are: `<repo root>/../shared/corpus` (or further up, for a
/// checkout nested one level deeper).
private enum PDFSample {
    static let corpus: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var dir = root.deletingLastPathComponent()
        for _ in 0..<3 {
            let c = dir.appendingPathComponent("shared/corpus")
            if FileManager.default.fileExists(atPath: c.path) { return c }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static let hasTool = PDFReader.findOnPath(ProcessInfo.processInfo.environment["PATH"]) != nil

    static var shanghaiPath: String? {
        guard let c = corpus else { return nil }
        let p = c.appendingPathComponent("01b_shanghai_govoffice_2019.pdf").path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    static let available = hasTool && shanghaiPath != nil

    /// The sample read once for all tests.
    static let shanghai: Document? = {
        guard available, let p = shanghaiPath, let d = FileManager.default.contents(atPath: p) else { return nil }
        return try? PDFReader().read([UInt8](d), source: p)
    }()

    static func tables(_ doc: Document) -> [Table] {
        doc.blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }

    static func paragraphs(_ doc: Document) -> [Paragraph] {
        doc.blocks.compactMap { if case .paragraph(let p) = $0 { return p } else { return nil } }
    }

    /// The row with a cell whose text (spaces removed) is `label`.
    static func row(_ doc: Document, _ label: String) -> TableRow? {
        for t in tables(doc) {
            for r in t.rows where r.cells.contains(where: { squeeze($0.text) == label }) { return r }
        }
        return nil
    }

    /// The cells after the leading label cells, as the template matcher takes them.
    static func values(_ row: TableRow) -> [String] {
        var cells = row.cells[...]
        while let f = cells.first, !f.text.isEmpty, !PDFText.isValue(f.text) { cells = cells.dropFirst() }
        return cells.map { squeeze($0.text) }
    }

    static func squeeze(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}

@Suite("PDF reader: sample report 01b", .enabled(if: PDFSample.available))
struct PDFReaderSampleTests {
    func doc() throws -> Document { try #require(PDFSample.shanghai) }

    func expectRow(_ label: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let row = try #require(PDFSample.row(try doc(), label), "no row labelled \(label)", sourceLocation: sourceLocation)
        #expect(PDFSample.values(row) == expected, "row \(label)", sourceLocation: sourceLocation)
    }

    static let e7 = Array(repeating: "", count: 7)

    /// Every row of table 三, checked by hand against truth/01b_shanghai_govoffice_2019.json.
    static let applications: [(String, [String])] = [
        ("一、本年新收政府信息公开申请数量", ["821", "35", "", "", "2", "1", "859"]),
        ("二、上年结转政府信息公开申请数量", ["18", "", "", "", "", "", "18"]),
        ("（一）予以公开", ["258", "12", "", "", "1", "1", ""]),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["3", "", "", "", "", "", ""]),
        ("1.属于国家秘密", ["14", "", "", "", "", "", ""]),
        ("2.其他法律行政法规禁止公开", e7),
        ("3.危及“三安全一稳定”", e7),
        ("4.保护第三方合法权益", e7),
        ("5.属于三类内部事务信息", ["5", "", "", "", "", "", ""]),
        ("6.属于四类过程性信息", ["3", "1", "", "", "", "", ""]),
        ("7.属于行政执法案卷", e7),
        ("8.属于行政查询事项", ["10", "2", "", "", "", "", ""]),
        ("1.本机关不掌握相关政府信息", ["252", "12", "", "", "1", "", ""]),
        ("2.没有现成信息需要另行制作", ["44", "3", "", "", "", "", ""]),
        ("3.补正后申请内容仍不明确", ["25", "", "", "", "", "", ""]),
        ("1.信访举报投诉类申请", ["148", "1", "", "", "", "", ""]),
        ("2.重复申请", ["5", "4", "", "", "", "", ""]),
        ("3.要求提供公开出版物", e7),
        ("4.无正当理由大量反复申请", e7),
        ("5.要求行政机关确认或重新出具已获取信息", e7),
        ("（六）其他处理", e7),
        ("（七）总计", ["767", "35", "", "", "2", "1", "805"]),
        ("四、结转下年度继续办理", ["72", "", "", "", "", "", "72"]),
    ]

    @Test func applicationsTableEveryRow() throws {
        for (label, values) in Self.applications { try expectRow(label, values) }
    }

    @Test func applicationsTableIsOneTableAcrossPages() throws {
        let d = try doc()
        let first = try #require(PDFSample.row(d, "一、本年新收政府信息公开申请数量"))
        let last = try #require(PDFSample.row(d, "四、结转下年度继续办理"))
        let table = try #require(PDFSample.tables(d).first { t in t.rows.contains { $0.span == first.span } })
        #expect(table.rows.contains { $0.span == last.span })
        #expect(first.span.page == 4 && last.span.page == 6)
        // Value cells sit in grid columns 3...9 (three label columns), blanks included.
        #expect(first.cells.suffix(7).map(\.column) == Array(3...9))
        #expect(last.cells.suffix(7).map(\.column) == Array(3...9))
        // The all-blank columns exist because the header names them.
        let header = try #require(PDFSample.row(d, "科研机构"))
        #expect(header.cells.first { $0.text == "科研机构" }?.column == 5)
        #expect(header.cells.first { $0.text == "社会公益组织" }?.column == 6)
        // Spans: pages and increasing visual line ordinals.
        var previous = 0
        for r in table.rows {
            #expect(r.span.page != nil)
            #expect(r.span.line >= previous)
            previous = r.span.line
        }
    }

    @Test func groupLabelsStartTheirRows() throws {
        let d = try doc()
        for (group, firstItem) in [("（三）不予公开", "1.属于国家秘密"), ("（四）无法提供", "1.本机关不掌握相关政府信息"),
                                   ("（五）不予处理", "1.信访举报投诉类申请"), ("三、本年度办理结果", "（一）予以公开")] {
            let row = try #require(PDFSample.row(d, firstItem))
            #expect(row.cells.contains { PDFSample.squeeze($0.text) == group }, "\(group) should start the row of \(firstItem)")
        }
        let row = try #require(PDFSample.row(d, "（三）不予公开"))
        #expect(row.cells.first { $0.text == "（三）不予公开" }?.rowSpan == 8)
    }

    @Test func proactiveTables() throws {
        try expectRow("规章", ["13", "13", "524"])
        try expectRow("规范性文件", ["60", "60", "368"])
        try expectRow("行政许可", ["0", "0", "0"])
        try expectRow("其他对外管理服务事项", ["0", "0", "0"])
        try expectRow("行政处罚", ["0", "0", "0"])
        try expectRow("行政强制", ["0", "0", "0"])
        try expectRow("行政事业性收费", ["0", "0"])
        try expectRow("政府集中采购", ["6", "251000元"])
    }

    @Test func reviewsTableHasFifteenCells() throws {
        let d = try doc()
        let table = try #require(PDFSample.tables(d).first { t in t.rows.contains { $0.cells.contains { $0.text == "复议后起诉" } } })
        let data = try #require(table.rows.last)
        #expect(data.cells.map(\.text) == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""])
        #expect(data.cells.map(\.column) == Array(0..<15))
        let header = try #require(table.rows.first)
        #expect(header.cells.map(\.text) == ["行政复议", "行政诉讼"])
        #expect(header.cells.map(\.columnSpan) == [5, 10])
    }

    @Test func paragraphsAndHeadings() throws {
        let d = try doc()
        let paras = PDFSample.paragraphs(d)
        #expect(paras.first?.text.hasPrefix("2019年上海市人民政府办公厅") == true)
        #expect(paras.contains { $0.text == "三、收到和处理政府信息公开申请情况" })
        #expect(paras.contains { $0.text == "第二十条第（九）项" })
        // A paragraph broken early before `19.6%` stays one paragraph.
        #expect(paras.contains { $0.text.contains("申请859件") && $0.text.contains("19.6%") })
        #expect(paras.last?.text == "无。")
        #expect(paras.last?.span.page == 7)
        #expect(!paras.contains { PDFText.isNumber($0.text) })
    }
}

@Suite("PDF reader: errors and synthetic PDFs")
struct PDFReaderErrorTests {
    @Test func missingToolIsReported() {
        do {
            _ = try PDFReader(pdftotextPath: "/nonexistent/bin/pdftotext").read(Array("%PDF-1.4".utf8), source: "x.pdf")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .toolMissing)
            #expect(error.message == "pdftotext not found: install poppler-utils (apt-get install poppler-utils)")
        }
        #expect(PDFReader.findOnPath("/nonexistent/a:/nonexistent/b") == nil)
        #expect(PDFReader.findOnPath(nil) == nil)
    }

    @Test(.enabled(if: PDFSample.hasTool)) func corruptPDFIsMalformed() {
        let bytes = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nthis is not a pdf body\n%%EOF\n".utf8)
        do {
            _ = try PDFReader().read(bytes, source: "broken.pdf")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.message.hasPrefix("broken.pdf: "))
            #expect(error.message.contains("pdftotext"))
        }
    }

    @Test func hangingToolIsStoppedByTheTimeout() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pdfreader-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tool = dir.appendingPathComponent("pdftotext").path
        #expect(FileManager.default.createFile(atPath: tool, contents: Data("#!/bin/sh\nexec sleep 30\n".utf8), attributes: [.posixPermissions: 0o755]))
        let start = Date()
        do {
            _ = try PDFReader(pdftotextPath: tool, timeout: 0.5).read(Array("%PDF-1.4".utf8), source: "slow.pdf")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.message.contains("did not finish"))
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func emptyFileIsEmpty() {
        do {
            _ = try PDFReader(pdftotextPath: "/nonexistent").read([], source: "none.pdf")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .empty)
        }
    }

    @Test(.enabled(if: PDFSample.hasTool)) func pdfWithoutTextIsEmpty() {
        do {
            _ = try PDFReader().read(MiniPDF.make(pages: 1, texts: []), source: "blank.pdf")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .empty)
        }
    }

    /// A table whose blank cells print nothing, continued on a second page, with page numbers.
    @Test(.enabled(if: PDFSample.hasTool)) func syntheticTableWithBlankColumn() throws {
        var t: [MiniPDF.Text] = []
        let prose = "This report describes the work of the year and the figures are in the table below which is long"
        t.append(.init(page: 1, x: 60, y: 80, text: prose))
        t.append(.init(page: 1, x: 60, y: 94, text: "and this line ends the paragraph."))
        let cols: [Double] = [260, 320, 380, 440]
        for (i, h) in ["Alpha", "Beta", "Gamma", "Total"].enumerated() { t.append(.init(page: 1, x: cols[i], y: 130, text: h)) }
        t.append(.init(page: 1, x: 60, y: 130, text: "Item"))
        let rows: [(String, [String?])] = [("Row one", ["5", nil, nil, "5"]), ("Row two", [nil, nil, nil, nil]),
                                           ("Row three", ["1", "2", nil, "3"])]
        for (r, row) in rows.enumerated() {
            let y = 160 + Double(r) * 24
            t.append(.init(page: 1, x: 60, y: y, text: row.0))
            for (c, v) in row.1.enumerated() { if let v { t.append(.init(page: 1, x: cols[c] + 6, y: y, text: v)) } }
        }
        t.append(.init(page: 1, x: 290, y: 800, text: "- 1 -"))
        t.append(.init(page: 2, x: 60, y: 60, text: "Row four"))
        t.append(.init(page: 2, x: cols[1] + 6, y: 60, text: "7"))
        t.append(.init(page: 2, x: cols[3] + 6, y: 60, text: "7"))
        t.append(.init(page: 2, x: 60, y: 84, text: "Row five"))
        t.append(.init(page: 2, x: cols[0] + 6, y: 84, text: "2"))
        t.append(.init(page: 2, x: cols[3] + 6, y: 84, text: "2"))
        t.append(.init(page: 2, x: 60, y: 140, text: prose))
        t.append(.init(page: 2, x: 290, y: 800, text: "- 2 -"))
        let doc = try PDFReader().read(MiniPDF.make(pages: 2, texts: t), source: "synthetic.pdf")

        let tables = PDFSample.tables(doc)
        #expect(tables.count == 1)
        let table = try #require(tables.first)
        #expect(table.rows.dropFirst().map { PDFSample.values($0) } == [
            ["5", "", "", "5"], ["", "", "", ""], ["1", "2", "", "3"], ["", "7", "", "7"], ["2", "", "", "2"],
        ])
        #expect(table.rows[0].cells.map(\.text) == ["Item", "Alpha", "Beta", "Gamma", "Total"])
        #expect(table.rows.map { $0.cells.first?.text ?? "" } == ["Item", "Row one", "Row two", "Row three", "Row four", "Row five"])
        #expect(table.rows[4].span.page == 2)
        let paras = PDFSample.paragraphs(doc)
        #expect(paras.count == 2)
        #expect(paras.first?.text == prose + " and this line ends the paragraph.")
        #expect(!paras.contains { $0.text.contains("- 1 -") || $0.text.contains("- 2 -") })
    }
}

/// Writes small PDFs with Helvetica text at given positions (y from the top), so the reader can
/// be tested without any fixture file.
fileprivate enum MiniPDF {
    struct Text {
        var page: Int
        var x: Double
        var y: Double
        var text: String
        var size: Double = 10
    }

    static func make(pages: Int, texts: [Text], width: Double = 595, height: Double = 842) -> [UInt8] {
        var objects: [String] = []
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pages).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pages) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        for p in 1...max(pages, 1) where p <= pages {
            var content = ""
            for t in texts where t.page == p {
                let escaped = t.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
                content += "BT /F1 \(t.size) Tf \(t.x) \(height - t.y - t.size) Td (\(escaped)) Tj ET\n"
            }
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(width) \(height)] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * (p - 1)) 0 R >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(repeating: "0", count: 10 - String(o).count) + "\(o) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }
}
