import Testing
@testable import GongkaiCore

@Suite("Atom stream")
struct AtomStreamTests {
    func row(_ texts: [String]) -> TableRow {
        let span = SourceSpan(line: 1)
        return TableRow(cells: texts.enumerated().map { TableCell(text: $0.element, span: span, column: $0.offset) }, span: span)
    }

    @Test("a row's label cells are joined and tokenized as one text; its value cells keep their readings")
    func joinedLabel() {
        var stream = AtomStream()
        stream.appendRow(row(["（三）不予公开", "", "1.属于国家秘密", "1", "０", "/"]), block: 0)
        let atoms = stream.atoms
        #expect(atoms.map(\.kind) == [.text, .values])
        #expect(stream.norm(0) == "(三)不予公开1.属于国家秘密")
        #expect(stream.values(of: 1).map(\.raw) == ["1", "０", "/"])
        #expect(stream.values(of: 1).map(\.reading) == [.number(Quantity(1), .none), .number(Quantity(0), .none), .notApplicable])
    }

    @Test("a label of one cell in normal form is the cell's text; blank rows without a label give nothing")
    func oneCellLabel() {
        var stream = AtomStream()
        stream.appendRow(row(["予以公开", "", "3"]), block: 0)
        #expect(stream.atoms.indices.map(stream.norm) == ["予以公开", ""])
        #expect(stream.values(of: 1).map(\.reading) == [.blank, .number(Quantity(3), .none)])
        stream = AtomStream()
        stream.appendRow(row(["", "\u{3000}"]), block: 0)
        #expect(stream.atoms.isEmpty)
        stream.appendRow(row(["合计 规章 000"]), block: 0)
        #expect(stream.atoms.map(\.kind) == [.text, .values])
        #expect(stream.norm(0) == "合计规章")
    }

    @Test("plain digit cells read as Quantity reads them, up to and past 18 digits")
    func digitCells() {
        #expect(CellText.read("007") == .number(Quantity(7), .none))
        #expect(CellText.read("123456789012345678") == .number(Quantity(mantissa: 123456789012345678), .none))
        #expect(CellText.read("1234567890123456789") == .number(Quantity(mantissa: 1234567890123456789), .none))
        #expect(CellText.read("99999999999999999999") == nil)
        #expect(CellText.read("12a") == nil)
        #expect(CellText.read("1,234.50") == .number(Quantity(mantissa: 123450, scale: 2), .none))
    }

    @Test("runs of ideographs are stepped over whole")
    func ideographRuns() {
        func after(_ s: String, from i: Int) -> Int {
            Array(s.utf8).withUnsafeBufferPointer { TextNormalization.afterIdeographs($0, from: i) }
        }
        #expect(after("一二三a", from: 0) == 9)
        #expect(after("一二三a", from: 3) == 9)
        #expect(after("一二三", from: 0) == 9)
        #expect(after("一二", from: 0) == 6)
        #expect(after("一", from: 0) == 3)
        #expect(after("a一", from: 0) == 0)
        #expect(after("（一", from: 0) == 0)
        #expect(TextNormalization.label("一二三　四五（六）七\u{00A0}八") == "一二三四五(六)七八")
    }

    @Test("a number run's pieces are split at spaces of every kind")
    func runPieces() {
        func values(_ text: String) -> [String] {
            var stream = AtomStream()
            stream.tokenize(text, span: SourceSpan(line: 1), block: 0)
            return stream.atoms.indices.filter { stream.atoms[$0].kind == .values }.flatMap { stream.values(of: $0).map(\.raw) }
        }
        #expect(values("共13,575.52元") == ["13,575.52元"])
        #expect(values("共1,234") == ["1,234"])
        #expect(values("合计 12\u{00A0}34 5") == ["12", "34", "5"])
    }
}

extension AtomStream {
    /// Atom `i`'s label normal form as a string (empty for a values atom).
    func norm(_ i: Int) -> String { String(decoding: labels[atoms[i].label], as: UTF8.self) }
}

@Suite("Atom stream paragraph normal forms")
struct AtomStreamParagraphTests {
    @Test("a paragraph's normal form put together from its pieces is its whole normal form")
    func paragraphLabels() {
        let texts = [
            "", " \u{3000} ", "（一）无", "收费１２．５ 万元，共3件", "增长－3，减少-4", "编号a-5",
            "1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", "合计 1,234 　56\u{3000}元。制发规范性文件62件",
            "3\u{200D}4 5", "本年 收到政府信息公开申请\u{00A0}12 件，1、 无", String(repeating: "年度报告 2,024 ", count: 120),
        ]
        var stream = AtomStream()
        for text in texts { stream.tokenize(text, span: SourceSpan(line: 1), block: 0, isParagraph: true) }
        #expect(stream.paragraphLabels == texts.map(TextNormalization.labelUTF8))
    }
}
