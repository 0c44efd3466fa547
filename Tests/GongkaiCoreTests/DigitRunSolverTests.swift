import Testing
@testable import GongkaiCore

@Suite("Digit-run solver")
struct DigitRunSolverTests {
    @Test("a seven-cell applications row is split by identity 3 alone")
    func applicationsRow() {
        let r = DigitRunSolver.split("640020470", count: 7, maxDigits: 7, accept: ApplicationsMatcher.identity3)
        #expect(r.splits == [["64", "0", "0", "2", "0", "4", "70"]])
        #expect(!r.truncated)
    }

    @Test("identity 3 alone leaves two splits of 270020130")
    func ambiguousRow() {
        let r = DigitRunSolver.split("270020130", count: 7, maxDigits: 7, accept: ApplicationsMatcher.identity3)
        #expect(Set(r.splits) == [["27", "0", "0", "2", "0", "1", "30"], ["2", "7", "0", "0", "20", "1", "30"]])
    }

    @Test("fifteen review cells split under identity 4")
    func reviewsRow() {
        let r = DigitRunSolver.split("10203120001200000", count: 15, maxDigits: 6, accept: ReviewsMatcher.identity4)
        #expect(r.splits == [["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]])
    }

    @Test("a minus sign starts a cell: 2648-18538")
    func negativeChange() {
        let r = DigitRunSolver.split("2648-18538", count: 3, maxDigits: 9) { _ in true }
        #expect(r.splits.contains(["2648", "-18", "538"]))
        #expect(r.splits.allSatisfy { $0.contains { $0.hasPrefix("-1") } })
    }

    @Test("no leading zeros; a decimal point stays in its cell")
    func decimals() {
        let r = DigitRunSolver.split("13575394432.52", count: 2, maxDigits: 12) { _ in true }
        #expect(r.splits.contains(["135", "75394432.52"]))
        #expect(!r.splits.contains { $0[1].hasPrefix("0") })
        #expect(r.splits.allSatisfy { !$0[0].contains(".") })
    }

    @Test("the search is bounded: a huge run returns quickly, marked truncated")
    func bounded() {
        let run = String(repeating: "1234567890", count: 300)
        let r = DigitRunSolver.split(run, count: 15, maxDigits: 6, budget: 10_000) { _ in true }
        #expect(r.truncated || r.splits.isEmpty)
        let none = DigitRunSolver.split(String(repeating: "9", count: 5000), count: 7) { _ in true }
        #expect(none.splits.isEmpty)
    }

    @Test("the next label's item number glued to a run is not a cell")
    func itemNumberGlued() {
        var stream = AtomStream()
        stream.tokenize("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", span: SourceSpan(line: 1), block: 0)
        #expect(stream.atoms.map(\.kind) == [.text, .values, .text, .values])
        #expect(stream.values(of: 1).map(\.raw) == ["0000000"])
        #expect(stream.norm(2) == "2.其他法律行政法规禁止公开")
    }

    @Test("a fused count and amount keep the unit")
    func fusedAmount() {
        var stream = AtomStream()
        stream.tokenize("政府集中采购13575394432.52元三、收到", span: SourceSpan(line: 1), block: 0)
        #expect(stream.values(of: 1).map(\.raw) == ["13575394432.52元"])
    }

    @Test("runs in running text: full-width digits and signs, separators, spaces, units")
    func runsInText() {
        func tokens(_ text: String) -> [[String]] {
            var stream = AtomStream()
            stream.tokenize(text, span: SourceSpan(line: 1), block: 0)
            return stream.atoms.indices.map { stream.atoms[$0].kind == .text ? ["text:" + stream.norm($0)] : stream.values(of: $0).map(\.raw) }
        }
        #expect(tokens("收费１２．５ 万元，共3件") == [["text:收费"], ["１２．５", "万元"], ["text:,共"], ["3"], ["text:件"]])
        #expect(tokens("增长－3，减少-4") == [["text:增长"], ["－3"], ["text:,减少"], ["-4"]])
        #expect(tokens("编号a-5") == [["text:编号a-"], ["5"]])
        #expect(tokens("合计 1,234 　56\u{3000}元") == [["text:合计"], ["1,234", "56", "元"]])
        #expect(tokens("1,2345") == [["1"], ["text:,"], ["2345"]])
        #expect(tokens("（一）无") == [["text:(一)无"]])
        #expect(tokens(" \u{3000} ").isEmpty)
        #expect(tokens("3\u{200D}4 5") == [["3\u{200D}4", "5"]])
    }
}

@Suite("Quantity")
struct QuantityTests {
    @Test("exact decimals, 元 to 万元, negative changes")
    func arithmetic() {
        #expect(Quantity("251000")!.shifted(by: 4).description == "25.1")
        #expect(Quantity("75394432.52")!.shifted(by: 4).description == "7539.443252")
        #expect(Quantity("-18")!.description == "-18")
        #expect((Quantity("0.1")! + Quantity("0.2")!) == Quantity("0.3")!)
        #expect(Quantity("1,234")!.intValue == 1234)
        #expect(Quantity("abc") == nil)
        #expect(Quantity("99999999999999999999") == nil)
    }

    @Test("cell text: blank, marks, units")
    func cellText() {
        #expect(CellText.read("") == .blank)
        #expect(CellText.read("\u{00A0}") == .blank)
        #expect(CellText.read("/") == .notApplicable)
        #expect(CellText.read("—") == .notApplicable)
        #expect(CellText.read("无") == .notApplicable)
        #expect(CellText.read("251000元") == .number(Quantity(251000), .yuan))
        #expect(CellText.value(CellText.read("251000 元")!, money: true) == .number(Quantity("25.1")!))
        #expect(CellText.value(CellText.read("7.5万元")!, money: true) == .number(Quantity("7.5")!))
        #expect(CellText.read("予以公开") == nil)
        #expect(CellText.read("（一）予以公开") == nil)
        #expect(CellText.read("1.属于国家秘密") == nil)
        #expect(CellText.read(" 无") == .notApplicable)
        #expect(CellText.read("Ｎ／Ａ") == .notApplicable)
        #expect(CellText.read("１２件") == .number(Quantity(12), .none))
        #expect(CellText.read("元") == nil)
        #expect(CellText.read("３ 万元") == .number(Quantity(3), .wanYuan))
    }
}
