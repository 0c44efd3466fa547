import Testing
@testable import GongkaiCore

@Suite("Text reader")
struct TextReaderTests {
    func read(_ s: String) throws -> Document { try TextReader().read(Array(s.utf8), source: "t.txt") }

    @Test("tab-separated lines become a table; trailing padding cells are dropped")
    func tabs() throws {
        let doc = try read("标题行\n一、本年新收\t1\t0\t\t0\t0\t0\t1\t\t\n理 结 果\t他情形)\t\t\t\n")
        guard case .table(let t) = doc.blocks[1] else { Issue.record("no table"); return }
        #expect(t.rows[0].cells.map(\.text) == ["一、本年新收", "1", "0", "", "0", "0", "0", "1"])
        #expect(t.rows[1].cells.map(\.text) == ["理 结 果", "他情形)"])
        #expect(t.rows[0].span.line == 2)
    }

    @Test("cells are split and trimmed: spaces of every kind, ideograph runs, CRLF")
    func cellRuns() throws {
        let doc = try read("甲乙丙\u{3000}丁\t 1 \t\u{00A0}\t戊己  庚\t \r\n一二三四\t五\r\n 正文 一段 \r\n")
        guard case .table(let t) = doc.blocks[0] else { Issue.record("no table"); return }
        #expect(t.rows.map { $0.cells.map(\.text) } == [["甲乙丙 丁", "1", "", "戊己 庚"], ["一二三四", "五"]])
        #expect(t.rows[1].span.byteEnd == t.rows[1].span.byteStart! + 16)
        guard case .paragraph(let p) = doc.blocks[1] else { Issue.record("no paragraph"); return }
        #expect(p.text == "正文 一段")
    }

    @Test("pipe tables keep blank cells; rule lines and page footers are dropped")
    func pipes() throws {
        let doc = try read("| 四、结转 | 1 | 0 |  |\n|---|---|---|---|\n— 4 —\n第 3 页\n正文")
        guard case .table(let t) = doc.blocks[0] else { Issue.record("no table"); return }
        #expect(t.rows.count == 1)
        #expect(t.rows[0].cells.map(\.text) == ["四、结转", "1", "0", ""])
        guard case .paragraph(let p) = doc.blocks[1] else { Issue.record("no paragraph"); return }
        #expect(p.text == "正文")
    }

    @Test("pipe rows are split on bytes as the character split would: closing pipe or not, blank and spaced cells")
    func pipeRowsByBytes() throws {
        let lines = [
            "| 四、结转 | 1 | 0 |  |",
            "  |甲  乙\u{3000}丙|2|  3 4 |",
            "| 一 | 二 | 三",
            "|",
            "| |",
            "|x|\t|y|",
            "| ﹝一﹞ | 1.5 | ０ |",
        ]
        for line in lines {
            let doc = try read(line + "\n")
            guard case .table(let t) = doc.blocks[0] else { Issue.record("no table for \(line)"); continue }
            let byCharacter = TextReader.pipeCells(line, span: SourceSpan(line: 1)).map(\.text)
            #expect(t.rows[0].cells.map(\.text) == byCharacter, "\(line)")
            #expect(t.rows[0].cells.map(\.column) == Array(byCharacter.indices))
        }
        let doc = try read("| 四、结转 | 1 | 0 |  |\n|  |甲  乙| 3\n")
        guard case .table(let t) = doc.blocks[0] else { Issue.record("no table"); return }
        #expect(t.rows.map { $0.cells.map(\.text) } == [["四、结转", "1", "0", ""], ["", "甲 乙", "3"]])
    }

    @Test("a pipe joined to a combining mark is not a cell border")
    func pipeJoinedToMark() throws {
        // U+0301 after a pipe makes one character of the two: the line is split by characters.
        let doc = try read("| 甲 |\u{0301}乙 | 丙 |\n")
        guard case .table(let t) = doc.blocks[0] else { Issue.record("no table"); return }
        #expect(t.rows[0].cells.map(\.text) == ["甲 |\u{0301}乙", "丙"])
    }

    @Test("markdown heading and quote markers are dropped from paragraphs")
    func markdownMarkers() throws {
        let doc = try read("## 三、收到和处理\n#标题\n####### 七级\n> 引文 一段\n###  两个空格\n>\u{3000}全角\n# \u{0301}x\n")
        let texts = doc.blocks.compactMap { b -> String? in if case .paragraph(let p) = b { return p.text } else { return nil } }
        #expect(texts == ["三、收到和处理", "#标题", "####### 七级", "引文 一段", "两个空格", "全角", "# \u{0301}x"])
        #expect(texts == ["## 三、收到和处理", "#标题", "####### 七级", "> 引文 一段", "### 两个空格", "> 全角", "# \u{0301}x"].map(TextReader.withoutMarkdownMarker))
    }

    @Test("empty, binary and GB18030 input")
    func encodings() throws {
        #expect(throws: IngestError.self) { try read("") }
        #expect { try TextReader().read([0x00, 0x01, 0x02, 0x50], source: "b.bin") } throws: { ($0 as? IngestError)?.kind == .binary }
        // 统计局 in GB18030.
        let gb: [UInt8] = [0xCD, 0xB3, 0xBC, 0xC6, 0xBE, 0xD6]
        let doc = try TextReader().read(gb, source: "g.txt")
        guard case .paragraph(let p) = doc.blocks[0] else { Issue.record("no paragraph"); return }
        #expect(p.text == "统计局")
    }
}
