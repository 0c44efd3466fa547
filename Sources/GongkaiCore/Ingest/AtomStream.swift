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
/// running text contributes a group per run of numbers. Plain data: its label and its values
/// are ranges of the stream's buffers (an array of values per atom was made and freed for
/// every group).
struct Atom: Sendable {
    enum Kind: Sendable { case text, values }
    /// Whether this is label text or a group of values.
    var kind: Kind
    /// Where the label normal form is in the stream's ``AtomStream/labels`` (for `.text`;
    /// a values atom's is empty, where the next label will start). The label as printed is
    /// not kept: matching reads only the normal form, and one buffer holds all of them (a
    /// string per label was made and freed for every label).
    var label: Range<Int>
    /// Where the values are in the stream's ``AtomStream/tokens`` (for `.values`; a text
    /// atom's is empty).
    var values: Range<Int>
    /// True when the values are cells of a table (each token is one cell); false when they
    /// were cut out of running text (a token may hold several cells' digits).
    var gridCells: Bool
    /// Where the atom is.
    var span: SourceSpan
    /// Index of the block it came from.
    var block: Int
}

/// The atom stream of a document: its atoms, the label normal forms of its text atoms one
/// after another in one buffer, written there as the text is tokenized (the matcher searches
/// and slices that buffer; no string is made per label), and the values atoms' tokens
/// likewise in one array.
struct AtomStream {
    /// The atoms, in reading order.
    var atoms: [Atom] = []
    /// The text atoms' label normal forms (``Atom/label`` ranges), in atom order.
    var labels: [UInt8] = []
    /// The values atoms' tokens (``Atom/values`` ranges), in atom order.
    var tokens: [ValueToken] = []
    /// The label normal form of each paragraph, whole (its numbers too), in order: what the
    /// narrative checks and the metadata read. Put together from the pieces the paragraph is
    /// tokenized into (the normal form maps each scalar on its own), its labels' taken from
    /// ``labels``, so no paragraph is normalised twice.
    var paragraphLabels: [[UInt8]] = []

    static func build(_ doc: Document) -> AtomStream {
        var stream = AtomStream()
        stream.reserve(for: doc)
        for (b, block) in doc.blocks.enumerated() {
            switch block {
            case .paragraph(let p):
                stream.tokenize(p.text, span: p.span, block: b, isParagraph: true)
            case .table(let t):
                for row in t.rows { stream.appendRow(row, block: b) }
            }
        }
        return stream
    }

    /// The tokens of the values atom at `index` (a slice of ``tokens``, nothing copied).
    func values(of index: Int) -> ArraySlice<ValueToken> { tokens[atoms[index].values] }

    /// Room for the atoms, labels and tokens of a document, so that no array is grown (copied)
    /// while it is built: a row gives a label (rarely over 64 bytes) and a group of values (at
    /// most its cells); a paragraph a label and a group per number it prints, which takes a
    /// few bytes with the text around it (one per 12 bytes is ample), and its labels are at
    /// most its bytes.
    mutating func reserve(for doc: Document) {
        var count = 0, bytes = 0, paragraphs = 0, values = 0, numbers = 0
        for block in doc.blocks {
            switch block {
            case .paragraph(let p):
                let n = p.text.utf8.count
                numbers += n / 12 + 2
                bytes += n
                paragraphs += 1
            case .table(let t):
                count += t.rows.count * 2
                bytes += t.rows.count * 64
                for row in t.rows { values += row.cells.count }
            }
        }
        atoms.reserveCapacity(count + 2 * numbers)
        labels.reserveCapacity(bytes)
        tokens.reserveCapacity(values + numbers)
        paragraphLabels.reserveCapacity(paragraphs)
    }

    /// Appends a label atom whose text is `bytes`, its normal form written into ``labels``.
    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, span: SourceSpan, block: Int) {
        let start = labels.count
        TextNormalization.appendLabel(of: bytes, to: &labels)
        atoms.append(Atom(kind: .text, label: start..<labels.count, values: tokens.count..<tokens.count, gridCells: false, span: span, block: block))
    }

    /// Appends a group of values, the ``tokens`` from `start` on (its label range empty,
    /// where the next label starts).
    private mutating func appendValues(from start: Int, grid: Bool, span: SourceSpan, block: Int) {
        atoms.append(Atom(kind: .values, label: labels.count..<labels.count, values: start..<tokens.count, gridCells: grid, span: span, block: block))
    }

    /// A table row: leading label cells become text; the trailing value cells a group.
    mutating func appendRow(_ row: TableRow, block: Int) {
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
                let labelled = appendLabel(cells, count: firstValue, span: row.span, block: block)
                // A labelled row of blank cells is a row of blanks; blank cells alone are nothing.
                // (A value cell reads as blank exactly when its label normal form is empty.)
                let hasContent = values.contains { i in
                    if case .blank = readings[i] { return false }
                    return true
                }
                if !values.isEmpty && (hasContent || labelled) {
                    let start = tokens.count
                    for i in values {
                        tokens.append(ValueToken(raw: cells[i].text, span: cells[i].span, reading: readings[i]))
                    }
                    appendValues(from: start, grid: true, span: row.span, block: block)
                }
            }
        }
    }

    /// Tokenizes a row's label, the non-empty texts of its first `count` cells joined with
    /// spaces, like running text (a label cell may itself end in a number run, `规章 000`);
    /// whether there is one. One cell's text is read in place; several are joined in a
    /// buffer on the stack, no string is made of the joined label.
    mutating func appendLabel(_ cells: UnsafePointer<TableCell>, count: Int, span: SourceSpan, block: Int) -> Bool {
        var first = -1, parts = 0, bytes = 0
        for i in 0..<count where !cells[i].text.isEmpty {
            if first < 0 { first = i }
            parts += 1
            bytes += cells[i].text.utf8.count
        }
        guard parts > 1 else {
            if first >= 0 { tokenize(cells[first].text, span: span, block: block) }
            return first >= 0
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes + parts - 1) { out in
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
            tokenize(TextBytes(bytes: UnsafeBufferPointer(rebasing: out[..<n])), span: span, block: block, isParagraph: false)
        }
        return true
    }

    /// Running text: splits into label text and runs of numbers. A digit run followed by
    /// `.`/`、` and a label (`…00000002.其他…`) gives its last digit to the label as its item
    /// number.
    /// A paragraph's (`isParagraph`) normal form, whole, is appended to ``paragraphLabels``.
    mutating func tokenize(_ text: String, span: SourceSpan, block: Int, isParagraph: Bool = false) {
        // A native string (nearly every one) is read in place: the copy made contiguous
        // below would retain and release it.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            tokenize(TextBytes(bytes: bytes), span: span, block: block, isParagraph: isParagraph)
        }
        guard done == nil else { return }
        var text = text
        text.makeContiguousUTF8()
        text.utf8.withContiguousStorageIfAvailable { bytes in
            tokenize(TextBytes(bytes: bytes), span: span, block: block, isParagraph: isParagraph)
        }!
    }

    /// ``tokenize(_:span:block:isParagraph:)`` on a text's UTF-8: runs are found and cut by
    /// byte offsets; a value piece is made a string once, a label piece's normal form is
    /// written into ``labels``. The text is cut into label pieces and runs with nothing
    /// between them (a label piece of spaces alone has an empty normal form), so a
    /// paragraph's normal form is theirs one after another.
    private mutating func tokenize(_ bytes: TextBytes, span: SourceSpan, block: Int, isParagraph: Bool) {
        let count = bytes.count
        var i = 0
        var textStart = 0
        // The pending group of values: the tokens from here on.
        var pendingStart = tokens.count
        var whole: [UInt8]? = nil
        if isParagraph {
            whole = []
            whole!.reserveCapacity(count)
        }

        func flushText(_ end: Int) {
            // Text that is all whitespace (every scalar a space) is no label.
            guard end > textStart, !bytes.allSpaces(textStart..<end) else { return }
            if tokens.count > pendingStart {
                appendValues(from: pendingStart, grid: false, span: span, block: block)
                pendingStart = tokens.count
            }
            appendText(UnsafeBufferPointer(rebasing: bytes.bytes[textStart..<end]), span: span, block: block)
            if whole != nil { Self.append(labels, atoms[atoms.count - 1].label, to: &whole!) }
        }

        while i < count {
            let start = bytes.nextRunStart(from: i)
            guard start < count else { break }
            guard let run = bytes.numberRun(at: start) else { i = start + 1; continue }
            var valuesEnd = run.end
            var nextText = run.end
            if run.unitEnd == run.numberEnd, bytes.isItemMark(at: run.numberEnd) {
                // The last digit numbers the next label (`…00000002.其他`, `1. 属于…`).
                valuesEnd = run.lastDigit
                nextText = valuesEnd
                if !bytes.containsDigit(run.start..<valuesEnd) {
                    i = run.numberEnd
                    continue
                }
            }
            flushText(run.start)
            bytes.appendPieces(run.start..<valuesEnd, span: span, to: &tokens)
            if whole != nil { TextNormalization.appendLabel(of: UnsafeBufferPointer(rebasing: bytes.bytes[run.start..<valuesEnd]), to: &whole!) }
            textStart = nextText
            i = run.end
        }
        flushText(count)
        if tokens.count > pendingStart {
            appendValues(from: pendingStart, grid: false, span: span, block: block)
        }
        if let whole { paragraphLabels.append(whole) }
    }
}

extension AtomStream {
    /// Appends `bytes[range]` to `out` from the buffer's memory: a slice of `bytes` would
    /// retain and release it. (`out` is a parameter, not a captured variable, so no
    /// exclusivity check runs at run time.)
    fileprivate static func append(_ bytes: [UInt8], _ range: Range<Int>, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// A text's (valid) UTF-8 bytes with the tests the tokenizer makes, by byte offset: the
/// scalars it looks for (digits, signs, separators, spaces, 元/万) are recognised by their
/// encodings, so no scalar array is decoded and no piece is encoded again.
struct TextBytes {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// A run of numbers: where it starts, where its last digit starts, where its numbers
    /// and its unit end (`end` is `unitEnd`), as byte offsets.
    struct Run { var start: Int; var lastDigit: Int; var numberEnd: Int; var unitEnd: Int; var end: Int { unitEnd } }

    /// The length of the digit at `i` (ASCII, or full-width `０`–`９`, EF BC 90–99), or 0
    /// (also at the end).
    @inline(__always)
    func digit(at i: Int) -> Int {
        guard i < count else { return 0 }
        let c = bytes[i]
        if c >= 0x30 && c <= 0x39 { return 1 }
        return c == 0xEF && bytes[i + 1] == 0xBC && bytes[i + 2] >= 0x90 && bytes[i + 2] <= 0x99 ? 3 : 0
    }

    /// The length of `ascii` or of its full-width form (EF BC `fullWidth`) at `i`, or 0.
    @inline(__always)
    private func either(_ ascii: UInt8, _ fullWidth: UInt8, at i: Int) -> Int {
        guard i < count else { return 0 }
        let c = bytes[i]
        if c == ascii { return 1 }
        return c == 0xEF && bytes[i + 1] == 0xBC && bytes[i + 2] == fullWidth ? 3 : 0
    }

    /// The length of `-` or `－` at `i`, or 0.
    @inline(__always) func minus(at i: Int) -> Int { either(0x2D, 0x8D, at: i) }
    /// The length of `.` or `．` at `i`, or 0.
    @inline(__always) func point(at i: Int) -> Int { either(0x2E, 0x8E, at: i) }
    /// The length of `,` or `，` at `i`, or 0.
    @inline(__always) func comma(at i: Int) -> Int { either(0x2C, 0x8C, at: i) }

    /// The length of the whitespace scalar (``TextNormalization/isSpace(_:)``) at `i`, or 0.
    @inline(__always)
    func space(at i: Int) -> Int { i < count ? TextNormalization.spaceLength(bytes, at: i) : 0 }

    /// The offset after the whitespace scalars starting at `i` (at most `limit` of them).
    @inline(__always)
    func afterSpaces(_ i: Int, atMost limit: Int = .max) -> Int {
        var k = i, n = 0
        while n < limit {
            let s = space(at: k)
            guard s > 0 else { break }
            k += s
            n += 1
        }
        return k
    }

    /// Whether the three bytes at `i` are `scalar`'s (a 3-byte encoding).
    @inline(__always)
    private func has(_ scalar: (UInt8, UInt8, UInt8), at i: Int) -> Bool {
        i + 3 <= count && bytes[i] == scalar.0 && bytes[i + 1] == scalar.1 && bytes[i + 2] == scalar.2
    }

    /// The offset of the first digit or minus sign (the only starts of a run, see
    /// ``numberRun(at:)``) from `i` on, or `count`. CJK ideographs (lead bytes E4–E9), most
    /// of a report's text, are stepped over whole; other bytes one by one (no continuation
    /// byte is taken for a start).
    func nextRunStart(from i: Int) -> Int {
        var i = i
        while i < count {
            let c = bytes[i]
            if c < 0x80 {
                if (c >= 0x30 && c <= 0x39) || c == 0x2D { return i }
                i += 1
            } else if c &- 0xE4 < 6 {
                i = TextNormalization.afterIdeographs(bytes, from: i + 3)
            } else if c == 0xEF {
                if bytes[i + 1] == 0xBC && ((bytes[i + 2] >= 0x90 && bytes[i + 2] <= 0x99) || bytes[i + 2] == 0x8D) { return i }
                i += 3
            } else {
                // Another scalar whole by its lead byte; a continuation byte (the search may
                // start inside a full-width digit) one by one.
                i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
            }
        }
        return count
    }

    /// A run of numbers starting at `i`: digits, decimal points between digits, a minus sign
    /// before digits, spaces between numbers; then an optional 元/万元 unit.
    func numberRun(at i: Int) -> Run? {
        var j = i
        let sign = minus(at: j)
        if sign > 0 {
            guard digit(at: j + sign) > 0 else { return nil }
            // A minus only starts a number after a space or a digit run, not inside a word.
            if j > 0 {
                var before = j - 1
                while bytes[before] & 0xC0 == 0x80 { before -= 1 }
                if space(at: before) == 0 && digit(at: before) == 0 && !isLabelEnd(at: before) { return nil }
            }
            j += sign
        } else if digit(at: j) == 0 {
            return nil
        }
        var lastDigit = -1, numberEnd = -1
        while j < count {
            let d = digit(at: j)
            if d > 0 { lastDigit = j; j += d; numberEnd = j; continue }
            if numberEnd == j {
                let p = point(at: j)
                if p > 0 && digit(at: j + p) > 0 { j += p; continue }
                let c = comma(at: j)
                if c > 0 && isThousands(at: j + c) { j += c; continue }
                let m = minus(at: j)
                if m > 0 && digit(at: j + m) > 0 { j += m; continue }
            }
            if space(at: j) > 0 {
                let k = afterSpaces(j)
                let m = minus(at: k)
                if digit(at: k) > 0 || (m > 0 && digit(at: k + m) > 0) { j = k; continue }
                break
            }
            break
        }
        guard lastDigit >= i else { return nil }
        // At most two spaces before the unit.
        let k = afterSpaces(numberEnd, atMost: 2)
        var unitEnd = numberEnd
        if has(Self.yuan, at: k) { unitEnd = k + 3 }
        else if has(Self.wan, at: k) && has(Self.yuan, at: k + 3) { unitEnd = k + 6 }
        return Run(start: i, lastDigit: lastDigit, numberEnd: numberEnd, unitEnd: unitEnd)
    }

    /// The UTF-8 of 元 and 万.
    private static let yuan: (UInt8, UInt8, UInt8) = (0xE5, 0x85, 0x83), wan: (UInt8, UInt8, UInt8) = (0xE4, 0xB8, 0x87)

    /// Exactly three digits at `i` (a thousands group after a comma).
    private func isThousands(at i: Int) -> Bool {
        var k = i
        for _ in 0..<3 {
            let d = digit(at: k)
            guard d > 0 else { return false }
            k += d
        }
        return digit(at: k) == 0
    }

    /// Whether the scalar at `i` is one after which a minus sign starts a number (a label
    /// just ended): an ideograph or later (U+4E00 on), `)` or `）`.
    private func isLabelEnd(at i: Int) -> Bool {
        let c = bytes[i]
        // `）` (U+FF09) is beyond U+4E00.
        if c < 0x80 { return c == 0x29 }
        return TextNormalization.decodeScalar(bytes, at: i).value >= 0x4E00
    }

    /// `.`, `．`, `、` followed by something that is not a digit: an item number's mark.
    func isItemMark(at i: Int) -> Bool {
        var mark = point(at: i)
        if mark == 0 && has((0xE3, 0x80, 0x81), at: i) { mark = 3 }
        guard mark > 0 else { return false }
        let j = afterSpaces(i + mark)
        return j < count && digit(at: j) == 0
    }

    /// Whether `range` holds a digit.
    func containsDigit(_ range: Range<Int>) -> Bool {
        range.contains { digit(at: $0) > 0 }
    }

    /// Whether every scalar in `range` is a space.
    func allSpaces(_ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let s = space(at: i)
            guard s > 0 else { return false }
            i += s
        }
        return true
    }

    /// The text of the bytes in `range` (on scalar boundaries), copied without validating
    /// them again: they are a string's, so valid UTF-8.
    func string(_ range: Range<Int>) -> String {
        ValidUTF8.string(validated: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// The text of a run split at whitespace characters, appended piece by piece as tokens
    /// at `span` (through a parameter, not a closure: a closure's captured array is checked
    /// for exclusive access on every append).
    ///
    /// Split by scalars: a run holds digits, separators, spaces and 元/万, whose characters are
    /// single scalars, except where a zero-width (non-)joiner (U+200C, U+200D, both spaces to
    /// `isSpace`) joins the scalar before it into one character. A run holding one is split
    /// by characters, as a string.
    func appendPieces(_ run: Range<Int>, span: SourceSpan, to tokens: inout [ValueToken]) {
        var i = run.lowerBound
        while i < run.upperBound {
            if has((0xE2, 0x80, 0x8C), at: i) || has((0xE2, 0x80, 0x8D), at: i) {
                for piece in string(run).split(whereSeparator: { $0.unicodeScalars.allSatisfy(TextNormalization.isSpace) }) {
                    tokens.append(ValueToken(raw: String(piece), span: span))
                }
                return
            }
            i += 1
        }
        var start = run.lowerBound
        while start < run.upperBound {
            let s = space(at: start)
            guard s == 0 else { start += s; continue }
            var end = start + 1
            while end < run.upperBound && space(at: end) == 0 { end += 1 }
            tokens.append(ValueToken(raw: string(start..<end), span: span))
            start = end
        }
    }
}
