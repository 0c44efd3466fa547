/// A printed value as the matcher sees it: its text and where it is.
struct ValueToken: Sendable, Equatable {
    /// The text as printed (one cell, or a run of digits with no separators).
    var raw: String
    /// Where it is.
    var span: SourceSpan?
    /// `CellText.read(raw)` when the token was read already (table cells are, to tell
    /// them from labels); nil when it was not.
    var reading: CellText.Reading? = nil
}

/// The document flattened into what the matcher needs: label text and groups of values, in
/// reading order. Tables contribute one group per row (their value cells, blanks included);
/// running text contributes a group per run of numbers.
struct Atom: Sendable {
    enum Kind: Sendable { case text, values }
    /// Whether this is label text or a group of values.
    var kind: Kind
    /// Label text as printed (for `.text`).
    var text: String
    /// The label normal form (for `.text`).
    var norm: String
    /// The values (for `.values`).
    var values: [ValueToken]
    /// True when the values are cells of a table (each token is one cell); false when they
    /// were cut out of running text (a token may hold several cells' digits).
    var gridCells: Bool
    /// Where the atom is.
    var span: SourceSpan
    /// Index of the block it came from.
    var block: Int

    static func text(_ t: String, span: SourceSpan, block: Int) -> Atom {
        Atom(kind: .text, text: t, norm: TextNormalization.label(t), values: [], gridCells: false, span: span, block: block)
    }

    static func values(_ v: [ValueToken], grid: Bool, span: SourceSpan, block: Int) -> Atom {
        Atom(kind: .values, text: "", norm: "", values: v, gridCells: grid, span: span, block: block)
    }
}

/// A text's scalars with the byte offset each starts at, so that pieces of the text are
/// sliced from its UTF-8 rather than encoded again scalar by scalar.
struct ScalarText {
    let text: String
    /// The scalars, decoded from the UTF-8.
    let scalars: [Unicode.Scalar]
    /// The UTF-8 offset of each scalar, then the byte count.
    let offsets: [Int]

    init(_ text: String) {
        var text = text
        text.makeContiguousUTF8() // a no-op for native strings
        self.text = text
        // Scalars and offsets in one pass over the UTF-8.
        (scalars, offsets) = text.utf8.withContiguousStorageIfAvailable { b -> ([Unicode.Scalar], [Int]) in
            var scalars: [Unicode.Scalar] = [], offsets: [Int] = []
            scalars.reserveCapacity(b.count)
            offsets.reserveCapacity(b.count + 1)
            var i = 0
            while i < b.count {
                let (value, length) = TextNormalization.decodeScalar(b, at: i)
                scalars.append(Unicode.Scalar(value).unsafelyUnwrapped)
                offsets.append(i)
                i += length
            }
            offsets.append(b.count)
            return (scalars, offsets)
        }!
    }

    /// The text of the scalars in `range` (the same bytes as encoding them again).
    func string(_ range: Range<Int>) -> String {
        let from = offsets[range.lowerBound], to = offsets[range.upperBound]
        if to - from == range.count {
            // All ASCII (a number, mostly): made from the bytes, which checks them fastest.
            return text.utf8.withContiguousStorageIfAvailable { String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self) }!
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: from)
        return String(text[start..<utf8.index(start, offsetBy: to - from)])
    }
}

/// Builds the atom stream of a document.
enum AtomStream {
    static func build(_ doc: Document) -> [Atom] {
        var atoms: [Atom] = []
        atoms.reserveCapacity(doc.blocks.count * 2)
        for (b, block) in doc.blocks.enumerated() {
            switch block {
            case .paragraph(let p):
                tokenize(p.text, span: p.span, block: b, into: &atoms)
            case .table(let t):
                for row in t.rows { appendRow(row, block: b, into: &atoms) }
            }
        }
        return atoms
    }

    /// A table row: leading label cells become text; the trailing value cells a group.
    static func appendRow(_ row: TableRow, block: Int, into atoms: inout [Atom]) {
        // Cells are read where they lie, through a pointer: a buffer's subscript copies the
        // whole cell (its text and span) on every access.
        row.cells.withUnsafeBufferPointer { buffer in
            guard let cells = buffer.baseAddress, buffer.count > 0 else { return }
            let count = buffer.count
            // The readings of the value cells, by cell index, on the stack (a row's array of
            // them would be allocated and freed for every row).
            withUnsafeTemporaryAllocation(of: CellText.Reading.self, capacity: count) { readings in
                var firstValue = count
                while firstValue > 0, let reading = CellText.read(cells[firstValue - 1].text) {
                    (readings.baseAddress! + firstValue - 1).initialize(to: reading)
                    firstValue -= 1
                }
                let values = firstValue..<count
                let label = joinedLabel(cells, count: firstValue)
                if !label.isEmpty {
                    // A label cell may itself end in a number run (`规章 000`): tokenize it like text.
                    tokenize(label, span: row.span, block: block, into: &atoms)
                }
                // A labelled row of blank cells is a row of blanks; blank cells alone are nothing.
                let hasContent = values.contains { !TextNormalization.labelIsEmpty(cells[$0].text) }
                if !values.isEmpty && (hasContent || !label.isEmpty) {
                    var tokens: [ValueToken] = []
                    tokens.reserveCapacity(values.count)
                    for i in values {
                        tokens.append(ValueToken(raw: cells[i].text, span: cells[i].span, reading: readings[i]))
                    }
                    atoms.append(.values(tokens, grid: true, span: row.span, block: block))
                }
            }
        }
    }

    /// The non-empty texts of the first `count` cells joined with spaces. Several are written
    /// into the string at once: appending them one by one grows it each time.
    static func joinedLabel(_ cells: UnsafePointer<TableCell>, count: Int) -> String {
        var first = -1, parts = 0, bytes = 0
        for i in 0..<count where !cells[i].text.isEmpty {
            if first < 0 { first = i }
            parts += 1
            bytes += cells[i].text.utf8.count
        }
        guard parts > 1 else { return first < 0 ? "" : cells[first].text }
        return String(unsafeUninitializedCapacity: bytes + parts - 1) { out in
            var n = 0
            for i in first..<count where !cells[i].text.isEmpty {
                if n > 0 { out[n] = 0x20; n += 1 }
                let utf8 = cells[i].text.utf8
                let copied: Void? = utf8.withContiguousStorageIfAvailable { b in
                    UnsafeMutableRawPointer(out.baseAddress! + n).copyMemory(from: b.baseAddress!, byteCount: b.count)
                }
                if copied == nil { for (k, b) in utf8.enumerated() { out[n + k] = b } }
                n += utf8.count
            }
            return n
        }
    }

    /// Running text: splits into label text and runs of numbers. A digit run followed by
    /// `.`/`、` and a label (`…00000002.其他…`) gives its last digit to the label as its item
    /// number.
    static func tokenize(_ text: String, span: SourceSpan, block: Int, into atoms: inout [Atom]) {
        // Text without a digit holds no number run: it is one label, unless it is all spaces.
        // Its normal form drops exactly the spaces (``TextNormalization/isSpace(_:)``) and
        // turns every other scalar into at least one byte: it is empty when the text is all spaces.
        if digitFree(text) == true {
            let norm = TextNormalization.label(text)
            if !norm.isEmpty { atoms.append(Atom(kind: .text, text: text, norm: norm, values: [], gridCells: false, span: span, block: block)) }
            return
        }
        let source = ScalarText(text)
        let scalars = source.scalars
        var i = 0
        var textStart = 0
        var pendingValues: [ValueToken] = []

        func flushText(_ end: Int) {
            // Text that is all whitespace (every scalar a space) is no label.
            if end > textStart, !scalars[textStart..<end].allSatisfy(TextNormalization.isSpace) {
                if !pendingValues.isEmpty {
                    atoms.append(.values(pendingValues, grid: false, span: span, block: block))
                    pendingValues = []
                }
                atoms.append(.text(source.string(textStart..<end), span: span, block: block))
            }
        }

        while i < scalars.count {
            // Only a digit or a minus sign can start a run (see ``numberRun(_:at:)``).
            let c = scalars[i]
            guard isDigit(c) || c == "-" || c == "－", let run = numberRun(scalars, at: i) else { i += 1; continue }
            var valuesEnd = run.end
            var nextText = run.end
            if run.unitEnd == run.numberEnd, isItemMark(scalars, at: run.numberEnd) {
                // The last digit numbers the next label (`…00000002.其他`, `1. 属于…`).
                valuesEnd = run.numberEnd - 1
                nextText = valuesEnd
                if !scalars[run.start..<valuesEnd].contains(where: isDigit) {
                    i = run.numberEnd
                    continue
                }
            }
            flushText(run.start)
            for piece in pieces(scalars[run.start..<valuesEnd], of: source) {
                pendingValues.append(ValueToken(raw: piece, span: span))
            }
            textStart = nextText
            i = max(run.end, run.start + 1)
        }
        flushText(scalars.count)
        if !pendingValues.isEmpty {
            atoms.append(.values(pendingValues, grid: false, span: span, block: block))
        }
    }

    /// A run's text split at whitespace characters.
    ///
    /// Split by scalars: a run holds digits, separators, spaces and 元/万, whose characters are
    /// single scalars, except where a zero-width (non-)joiner (U+200C, U+200D, both spaces to
    /// `isSpace`) joins the scalar before it into one character. A run holding one is split
    /// by characters, as a string. `run` is a slice of `source`'s scalars.
    static func pieces(_ run: ArraySlice<Unicode.Scalar>, of source: ScalarText) -> [String] {
        if run.contains(where: { $0.value == 0x200C || $0.value == 0x200D }) {
            return TextNormalization.string(run)
                .split(whereSeparator: { $0.unicodeScalars.allSatisfy(TextNormalization.isSpace) }).map(String.init)
        }
        var out: [String] = []
        var start = run.startIndex
        while start < run.endIndex {
            guard !TextNormalization.isSpace(run[start]) else { start += 1; continue }
            var end = start + 1
            while end < run.endIndex && !TextNormalization.isSpace(run[end]) { end += 1 }
            out.append(source.string(start..<end))
            start = end
        }
        return out
    }

    /// Whether the text has no digit (see ``isDigit(_:)``: ASCII, or full-width `０`–`９`,
    /// encoded EF BC 90–99); nil when its bytes are not contiguous.
    static func digitFree(_ text: String) -> Bool? {
        text.utf8.withContiguousStorageIfAvailable { b in
            for i in b.indices {
                let c = b[i]
                if c >= 0x30 && c <= 0x39 { return false }
                if c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99 { return false }
            }
            return true
        }
    }

    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0xFF10 && s.value <= 0xFF19)
    }

    /// `.`, `．`, `、` followed by something that is not a digit: an item number's mark.
    static func isItemMark(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        guard i < s.count else { return false }
        let c = s[i]
        guard c == "." || c == "．" || c == "、" else { return false }
        var j = i + 1
        while j < s.count && TextNormalization.isSpace(s[j]) { j += 1 }
        return j < s.count && !isDigit(s[j])
    }

    struct Run { var start: Int; var numberEnd: Int; var unitEnd: Int; var end: Int }

    /// A run of numbers starting at `i`: digits, decimal points between digits, a minus sign
    /// before digits, spaces between numbers; then an optional 元/万元 unit.
    static func numberRun(_ s: [Unicode.Scalar], at i: Int) -> Run? {
        var j = i
        if s[j] == "-" || s[j] == "－" {
            guard j + 1 < s.count, isDigit(s[j + 1]) else { return nil }
            // A minus only starts a number after a space or a digit run, not inside a word.
            if j > 0 && !TextNormalization.isSpace(s[j - 1]) && !isDigit(s[j - 1]) && !isLabelEnd(s[j - 1]) { return nil }
            j += 1
        } else if !isDigit(s[j]) {
            return nil
        }
        var lastDigit = -1
        while j < s.count {
            let c = s[j]
            if isDigit(c) { lastDigit = j; j += 1; continue }
            if (c == "." || c == "．") && lastDigit == j - 1 && j + 1 < s.count && isDigit(s[j + 1]) { j += 1; continue }
            if (c == "," || c == "，") && lastDigit == j - 1 && j + 3 < s.count && isDigit(s[j + 1]) && isDigit(s[j + 2]) && isDigit(s[j + 3]) && (j + 4 >= s.count || !isDigit(s[j + 4])) { j += 1; continue }
            if (c == "-" || c == "－") && lastDigit == j - 1 && j + 1 < s.count && isDigit(s[j + 1]) { j += 1; continue }
            if TextNormalization.isSpace(c) {
                var k = j
                while k < s.count && TextNormalization.isSpace(s[k]) { k += 1 }
                if k < s.count && (isDigit(s[k]) || ((s[k] == "-" || s[k] == "－") && k + 1 < s.count && isDigit(s[k + 1]))) { j = k; continue }
                break
            }
            break
        }
        guard lastDigit >= i else { return nil }
        let numberEnd = lastDigit + 1
        var unitEnd = numberEnd
        var k = numberEnd
        while k < s.count && TextNormalization.isSpace(s[k]) && k - numberEnd < 2 { k += 1 }
        if k < s.count && s[k] == "元" { unitEnd = k + 1 }
        else if k + 1 < s.count && s[k] == "万" && s[k + 1] == "元" { unitEnd = k + 2 }
        return Run(start: i, numberEnd: numberEnd, unitEnd: unitEnd, end: unitEnd)
    }

    /// Characters after which a minus sign starts a number (a label just ended).
    static func isLabelEnd(_ c: Unicode.Scalar) -> Bool { c.value >= 0x4E00 || c == ")" || c == "）" }
}
