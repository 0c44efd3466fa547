import Testing
@testable import GongkaiCore

/// The matchers' row helpers read tokens in place (by index, through pointers) instead of
/// copying slices and tokens: they must give what the plain versions give, on slices that do
/// not start at 0, with blank padding at either end, and with tokens read or not.
@Suite("Matcher row values")
struct MatcherRowValuesTests {
    /// Tokens at indices 3... of a larger array (a row's slice of a stream's tokens).
    func slice(_ raws: [String], readFirst: Int = 0) -> ArraySlice<ValueToken> {
        let pad = [ValueToken(raw: "x", span: nil), ValueToken(raw: "", span: nil), ValueToken(raw: "1", span: nil)]
        let row = raws.enumerated().map { i, raw in
            ValueToken(raw: raw, span: nil, reading: i < readFirst ? CellText.read(raw) : nil)
        }
        let all = pad + row + pad
        return all[3..<(3 + raws.count)]
    }

    /// ``RowValues/cells(_:width:)`` as it was written on the slice itself (copying it).
    func plainCells(_ tokens: ArraySlice<ValueToken>, width: Int) -> ArraySlice<ValueToken>? {
        var t = tokens
        while t.count > width, let last = t.last, TextNormalization.labelIsEmpty(last.raw) { t.removeLast() }
        while t.count > width, let first = t.first, TextNormalization.labelIsEmpty(first.raw) { t.removeFirst() }
        return t.count == width ? t : nil
    }

    static let rows: [[String]] = [
        ["1", "2", "3"], ["", "1", "2", "3", ""], [" ", "\u{3000}", "1", "2", "3"], ["1", "2", "3", " ", "\t"],
        ["", "", "", "", ""], ["1", "", "2", "", "3"], ["1", "2"], [], ["无", "1", "2", "3", "——"],
        ["", "1", "2", "3", "4"], ["\u{3000}", "1", "2", "3", "\u{3000}", ""],
    ]

    @Test("trimming blank padding keeps the same tokens as trimming the slice")
    func keptCells() {
        for raws in Self.rows {
            let t = slice(raws)
            for width in 0...6 {
                let fast = RowValues.cells(t, width: width), plain = plainCells(t, width: width)
                #expect(fast?.indices == plain?.indices, "\(raws) width \(width)")
                #expect(fast?.map(\.raw) == plain?.map(\.raw), "\(raws) width \(width)")
            }
        }
    }

    @Test("reading returns read tokens as they are and reads the others, nil when one is no value")
    func reading() throws {
        let read = slice(["1", "2", "无"], readFirst: 3)
        #expect(RowValues.firstUnread(read) == nil)
        #expect(RowValues.read(read)?.map(\.reading) == read.map(\.reading))
        let partly = slice(["1", "2万元", "—"], readFirst: 1)
        #expect(RowValues.firstUnread(partly) == 4)
        let got = try #require(RowValues.read(partly))
        #expect(got.indices == partly.indices)
        #expect(got.map(\.reading) == ["1", "2万元", "—"].map { CellText.read($0) })
        #expect(RowValues.read(slice(["1", "合计", "3"], readFirst: 1)) == nil)
    }

    @Test("identity 3 on a row's cells is identity 3 on their numbers")
    func identity3() {
        let rows: [[String]] = [["1", "0", "0", "0", "0", "0", "1"], ["1", "2", "3", "4", "5", "6", "21"], ["1", "2", "3", "4", "5", "6", "20"],
                                ["", "/", "0", "0", "0", "0", "0"], ["1.5", "0", "0", "0", "0", "0.5", "2"], ["-1", "1", "0", "0", "0", "0", "0"]]
        for raws in rows {
            let cells = slice(raws, readFirst: 7)
            #expect(ApplicationsMatcher.identity3(cells: cells) == ApplicationsMatcher.identity3(cells.map(ApplicationsMatcher.number)), "\(raws)")
        }
    }

    @Test("a cell's reading is the same through the byte test and the normal form")
    func cellRead() {
        for raw in ["0", "12", "3.5", " 7 ", "１２", "5万元", "6元", "7件", "无", "/", "——", "合计", "", "\u{3000}", "1,234", "-3", "（一）"] {
            let viaBytes = CellText.read(raw)
            #expect(viaBytes == CellText.readNormalized(raw), "\(raw)")
        }
    }
}
