/// Reads plain text reports: pdftotext output (tab- or space-separated cells), crawled page
/// text (tables flattened into one line), and markdown / OCR output with pipe tables.
///
/// Each line becomes a paragraph, except that consecutive lines with tab-separated cells or
/// `|pipe|` cells become a table. Page footers such as `— 4 —` are dropped wherever they
/// appear, including inside tables.
public struct TextReader: DocumentReader {
    /// Creates a reader.
    public init() {}

    /// Reads UTF-8 (or GB18030, detected) text.
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        let utf8 = try TextDecoding.decodeUTF8(data, source: source)
        let blocks = utf8.withUnsafeBufferPointer { Self.blocks(of: ValidUTF8(bytes: $0)) }
        if blocks.isEmpty { throw IngestError(.empty, "\(source): no text") }
        return Document(source: source, format: .text, blocks: blocks)
    }

    /// The paragraphs and tables of a text, line by line (see the type's description).
    ///
    /// A line is looked at once for its tab-separated cells (or, without a tab, as a whole)
    /// with their whitespace trimmed; a cell's or paragraph's string is then copied straight
    /// from the text, without validating it again. Only a line that may be page chrome or a
    /// pipe row, and text whose inner whitespace is not single spaces, has its spaces
    /// collapsed into a buffer.
    static func blocks(of text: ValidUTF8) -> [Block] {
        let b = text.bytes
        var blocks: [Block] = []
        blocks.reserveCapacity(32)
        var table: [TableRow] = []
        var tableKind: UInt8 = 0x20   // the kind of rows `table` holds: space (none), `|` or tab
        var runs = TrimmedRun.List()

        func flush() {
            guard !table.isEmpty else { return }
            let span = table[0].span.union(table[table.count - 1].span)
            blocks.append(.table(Table(rows: table, span: span)))
            table = []
            table.reserveCapacity(32)
        }

        var lineNo = 0
        var start = 0
        while start < b.count {
            let end = ByteSearch.firstOffset(of: 0x0A, in: UnsafeBufferPointer(rebasing: b[start...])).map { start + $0 } ?? b.count
            lineNo += 1
            var lineEnd = end
            if lineEnd > start && b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let span = SourceSpan(line: lineNo, byteStart: start, byteEnd: lineEnd)
            let line = UnsafeBufferPointer(rebasing: b[start..<lineEnd])
            defer { start = end + 1 }

            let hasTab = ByteSearch.firstOffset(of: 0x09, in: line) != nil
            // Where the line's text starts. A line with tabs is split into its trimmed cells
            // now; a line without is trimmed only if it turns out to be a paragraph (a pipe
            // row's cells are trimmed one by one).
            let textStart: Int
            runs.removeAll()
            if hasTab {
                TrimmedRun.cells(b, from: start, to: lineEnd, into: &runs)
                textStart = runs.firstNonEmpty?.start ?? lineEnd
            } else {
                textStart = TrimmedRun.firstNonSpace(b, from: start, to: lineEnd)
            }
            if textStart == lineEnd {
                if tableKind == 0x7C { flush(); tableKind = 0x20 }
                continue
            }
            if Self.mayBePageChrome(utf8: line) && Self.withCollapsedSpaces(line, Self.isPageChrome(bytes:)) { continue }
            if Self.isRule(bytes: line) { continue }
            if b[textStart] == 0x7C && Self.isPipeRow(text, pipe: textStart, lineStart: start, lineEnd: lineEnd) {
                if tableKind != 0x7C { flush(); tableKind = 0x7C }
                let cells = Self.pipeCells(text, pipe: textStart, lineStart: start, lineEnd: lineEnd, span: span)
                    ?? Self.pipeCells(text.string(start..<lineEnd), span: span)
                table.append(TableRow(cells: cells, span: span))
            } else if hasTab {
                if tableKind != 0x09 { flush(); tableKind = 0x09 }
                table.append(TableRow(cells: Self.tabCells(runs, of: text, span: span), span: span))
            } else {
                flush(); tableKind = 0x20
                let paragraph = TrimmedRun(b, from: textStart, to: lineEnd)
                blocks.append(.paragraph(Paragraph(text: Self.paragraphText(paragraph, of: text), span: span)))
            }
        }
        flush()
        return blocks
    }

    /// The cells of a tab-separated line from its trimmed runs; trailing empty cells are
    /// layout padding and dropped.
    static func tabCells(_ runs: TrimmedRun.List, of text: ValidUTF8, span: SourceSpan) -> [TableCell] {
        var count = runs.count
        while count > 0 && runs[count - 1].isEmpty { count -= 1 }
        var cells: [TableCell] = []
        cells.reserveCapacity(count)
        let oneByte = TrimmedRun.oneByteStrings   // looked up once for the row, not per cell
        for k in 0..<count { cells.append(TableCell(text: runs[k].text(of: text, oneByte: oneByte), span: span, column: k)) }
        return cells
    }

    /// Cells of a markdown pipe row split by characters, every cell between pipes counting,
    /// blank ones too: for a row where a pipe may join a neighbouring scalar into one
    /// character (see ``pipeStandsAlone(_:at:lineStart:lineEnd:)``), which the byte split of
    /// ``pipeCells(_:pipe:lineStart:lineEnd:span:)`` would cut apart.
    static func pipeCells(_ line: String, span: SourceSpan) -> [TableCell] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { TextNormalization.collapseSpaces($0) }
        let trimmedLine = line.trimmingSpaces
        if trimmedLine.hasPrefix("|"), !parts.isEmpty { parts.removeFirst() }
        if trimmedLine.hasSuffix("|"), !parts.isEmpty { parts.removeLast() }
        return parts.enumerated().map { TableCell(text: $0.element, span: span, column: $0.offset) }
    }

    /// `t.hasPrefix("|")`, deciding by bytes when the scalar after the pipe cannot join it
    /// (see ``TextNormalization/neverJoinsPrevious(_:)``).
    static func startsWithPipe(_ t: String) -> Bool {
        let bytes = t.utf8
        guard bytes.first == UInt8(ascii: "|") else { return false }
        let scalars = t.unicodeScalars
        let second = scalars.index(after: scalars.startIndex)
        if second == scalars.endIndex || TextNormalization.neverJoinsPrevious(scalars[second]) { return true }
        return t.hasPrefix("|")
    }

    /// ``startsWithPipe(_:)`` of a line's (valid) UTF-8 bytes, making a string only when the
    /// scalar after the pipe might join it.
    static func startsWithPipe(bytes t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.first == UInt8(ascii: "|") else { return false }
        var rest = t.dropFirst().makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let second) = decoder.decode(&rest) else { return true }
        if TextNormalization.neverJoinsPrevious(second) { return true }
        return startsWithPipe(String(decoding: t, as: UTF8.self))
    }

    /// Whether a line whose first non-space byte, at `pipe`, is a pipe starts a pipe row:
    /// ``startsWithPipe(bytes:)`` of its collapsed form. That form starts with the pipe and
    /// then a space, nothing, or the scalar after the pipe, so only that scalar is looked at;
    /// when it may join the pipe, the collapsed line is made and tested as before.
    static func isPipeRow(_ text: ValidUTF8, pipe: Int, lineStart: Int, lineEnd: Int) -> Bool {
        let b = text.bytes
        let next = pipe + 1
        if next == lineEnd || TextNormalization.spaceLength(b, at: next) > 0 { return true }
        if let s = Unicode.Scalar(TextNormalization.decodeScalar(b, at: next).value), TextNormalization.neverJoinsPrevious(s) { return true }
        return withCollapsedSpaces(UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), startsWithPipe(bytes:))
    }

    /// The cells of a pipe row read from the text's bytes: the parts between pipe bytes,
    /// each trimmed and with its spaces collapsed (copied straight from the text when that
    /// changes nothing), without the empty part before the opening pipe at `pipe` (the line's
    /// first non-space scalar) nor the one after a closing pipe. Nil when a pipe may join a
    /// neighbouring scalar into one character (see ``pipeStandsAlone(_:at:lineStart:lineEnd:)``):
    /// the caller then splits the line's string by characters.
    static func pipeCells(_ text: ValidUTF8, pipe: Int, lineStart: Int, lineEnd: Int, span: SourceSpan) -> [TableCell]? {
        let b = text.bytes
        var cells: [TableCell] = []
        cells.reserveCapacity(8)
        var partStart = pipe + 1
        while true {
            guard pipeStandsAlone(b, at: partStart - 1, lineStart: lineStart, lineEnd: lineEnd) else { return nil }
            let (run, bar) = TrimmedRun.scan(b, from: partStart, to: lineEnd, upTo: 0x7C)
            // The part after the last pipe is a cell only when it has text: otherwise that
            // pipe closes the row.
            if bar == lineEnd {
                if !run.isEmpty { cells.append(TableCell(text: run.text(of: text), span: span, column: cells.count)) }
                return cells
            }
            cells.append(TableCell(text: run.text(of: text), span: span, column: cells.count))
            partStart = bar + 1
        }
    }

    /// Whether the pipe byte at `bar` of the line `lineStart..<lineEnd` is a character of its
    /// own: the scalar before it never joins the next one and the scalar after it never joins
    /// the previous one (judged conservatively, see ``TextNormalization/neverJoinsPrevious(_:)``).
    static func pipeStandsAlone(_ b: UnsafeBufferPointer<UInt8>, at bar: Int, lineStart: Int, lineEnd: Int) -> Bool {
        if bar + 1 < lineEnd {
            guard let after = Unicode.Scalar(TextNormalization.decodeScalar(b, at: bar + 1).value),
                  TextNormalization.neverJoinsPrevious(after) else { return false }
        }
        if bar > lineStart {
            guard let before = Unicode.Scalar(TextNormalization.decodeScalar(b, before: bar).value),
                  TextNormalization.neverJoinsNext(before) else { return false }
        }
        return true
    }

    /// A paragraph line's text: its trimmed first run without a markdown heading or quote
    /// marker (``withoutMarkdownMarker(_:)``), cut from the text's bytes when the run needs no
    /// collapsing and the scalar after the marker cannot join the marker's space.
    static func paragraphText(_ run: TrimmedRun, of text: ValidUTF8) -> String {
        let b = text.bytes
        let lead = b[run.start]
        guard lead == UInt8(ascii: "#") || lead == UInt8(ascii: ">") else { return run.text(of: text) }
        guard run.plain else { return withoutMarkdownMarker(run.text(of: text)) }
        var marker = 0
        if lead == UInt8(ascii: "#") {
            while marker < 6 && run.start + marker < run.end && b[run.start + marker] == UInt8(ascii: "#") { marker += 1 }
        } else {
            marker = 1
        }
        // The run is trimmed and plain: a space inside it is one ASCII space before a
        // non-space scalar.
        let space = run.start + marker
        guard space < run.end && b[space] == 0x20 else { return run.text(of: text) }
        guard let after = Unicode.Scalar(TextNormalization.decodeScalar(b, at: space + 1).value),
              TextNormalization.neverJoinsPrevious(after) else { return withoutMarkdownMarker(run.text(of: text)) }
        var rest = run
        rest.start = space + 1
        return rest.text(of: text)
    }

    /// Markdown heading and quote markers (`## 标题`, `> 引文`) are layout, not text.
    static func withoutMarkdownMarker(_ t: String) -> String {
        // Both markers start with an ASCII byte of their own.
        guard let first = t.utf8.first, first == UInt8(ascii: "#") || first == UInt8(ascii: ">") else { return t }
        var u = Substring(t)
        var n = 0
        while u.first == "#" && n < 6 { u = u.dropFirst(); n += 1 }
        if n > 0 && u.first == " " { return String(u.dropFirst()) }
        if t.hasPrefix("> ") { return String(t.dropFirst(2)) }
        return t
    }

    /// A separator line such as `|---|---|` or `-----\t---` (every byte of a rule is ASCII).
    @inline(__always)
    static func isRule(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawDash = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "="): sawDash = true
            case UInt8(ascii: "|"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "+"): continue
            default: return false
            }
        }
        return sawDash
    }

    /// A quick test before ``isPageChrome(_:)``: page chrome has a digit (ASCII or
    /// full-width, EF BC 90–99), no ASCII letter and no CJK ideograph (U+4E00–U+9FFF, lead
    /// bytes E4–E9) other than 第 (E7 AC AC), 页 (E9 A1 B5) and 共 (E5 85 B1): the normal
    /// form keeps those as they are, and they count as other characters.
    static func mayBePageChrome(_ t: String) -> Bool {
        t.utf8.withContiguousStorageIfAvailable(mayBePageChrome(utf8:)) ?? true
    }

    /// ``mayBePageChrome(_:)`` of (valid) UTF-8 bytes.
    static func mayBePageChrome(utf8 b: UnsafeBufferPointer<UInt8>) -> Bool {
        var digit = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { return false }
            if c >= 0x30 && c <= 0x39 { digit = true }
            if c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99 { digit = true }
            if c >= 0xE4 && c <= 0xE9 && i + 2 < b.count {
                let (c1, c2) = (b[i + 1], b[i + 2])
                let allowed = (c == 0xE7 && c1 == 0xAC && c2 == 0xAC) || (c == 0xE9 && c1 == 0xA1 && c2 == 0xB5) || (c == 0xE5 && c1 == 0x85 && c2 == 0xB1)
                if !allowed { return false }
            }
            i += 1
        }
        return digit
    }

    /// ``isPageChrome(_:)`` of a line's (valid) UTF-8 bytes, making a string only for a
    /// short line that may be chrome.
    static func isPageChrome(bytes t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.count <= 48, mayBePageChrome(utf8: t) else { return false }
        return isPageChrome(String(decoding: t, as: UTF8.self))
    }

    /// Page chrome: `— 4 —`, `- 12 -`, `第 3 页`, `第3页 共9页`, `3/9`.
    static func isPageChrome(_ t: String) -> Bool {
        guard t.utf8.count <= 48, mayBePageChrome(t) else { return false }
        let n = TextNormalization.label(t)
        guard n.unicodeScalars.count <= 16 else { return false }
        var digits = 0, dashes = 0, other = 0
        for s in n.unicodeScalars {
            switch s {
            case "0"..."9": digits += 1
            case "-", "_": dashes += 1
            case "第", "页", "共", "/": continue
            default: other += 1
            }
        }
        guard digits > 0 && digits <= 4 && other == 0 else { return false }
        return dashes > 0 || n.unicodeScalars.contains("页") || n.unicodeScalars.contains("/")
    }
}

extension TextReader {
    /// Calls `body` with `bytes` (valid UTF-8) with their spaces collapsed, in a temporary
    /// buffer: for the few lines whose collapsed form is needed as bytes.
    static func withCollapsedSpaces<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { buffer in
            let count = TextNormalization.collapseSpaces(utf8: bytes, into: buffer)
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

/// A piece of a line (the line, or one of its tab-separated cells) without its leading and
/// trailing whitespace, found in one pass over its bytes; it exists so that the piece's
/// string is copied straight from the text when collapsing its spaces changes nothing.
struct TrimmedRun {
    /// The string of each ASCII character, made once: a one-byte run is one of them (most
    /// value cells are one digit), and copying a string costs a fraction of making one.
    static let oneByteStrings: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

    /// Offsets of the first byte of the first non-space scalar and one past the last one
    /// (equal when the piece is all whitespace).
    var start: Int, end: Int
    /// Whether every whitespace run between `start` and `end` is one ASCII space, so the
    /// bytes are their own collapsed form (``TextNormalization/collapseSpaces(_:)``).
    var plain: Bool

    /// Whether the piece is all whitespace.
    var isEmpty: Bool { start == end }

    /// The trimmed run of valid UTF-8 `b[from..<to]` (bounds on scalar boundaries).
    init(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        // A line holds no newline: the scan runs to `to`.
        self = Self.scan(b, from: from, to: to, upTo: 0x0A).run
    }

    private init(start: Int, end: Int) {
        self.start = start; self.end = end; plain = true
    }

    /// The trimmed run of valid UTF-8 `b[from..<to]` up to its first `separator` byte (an
    /// ASCII byte), and that byte's offset (`to` when there is none): one pass finds both
    /// where a cell ends and its trimmed bounds.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, upTo separator: UInt8) -> (run: TrimmedRun, separator: Int) {
        var run = TrimmedRun(start: to, end: to)
        var seenText = false
        var gap = 0   // whitespace since the last non-space scalar: none, one ASCII space (1), other (2)
        var i = from
        scan: while i < to {
            if b[i] == separator { break }
            let space = TextNormalization.spaceLength(b, at: i)
            if space > 0 {
                gap = gap == 0 && b[i] == 0x20 ? 1 : 2
                i += space
                continue
            }
            if !seenText { seenText = true; run.start = i } else if gap == 2 { run.plain = false }
            gap = 0
            // The run of non-space scalars: printable ASCII and CJK ideographs (lead bytes
            // E4–E9) are never whitespace.
            repeat {
                let d = b[i]
                if d > 0x20 && d < 0x80 {
                    if d == separator { run.end = i; break scan }
                    i += 1
                    continue
                }
                if d >= 0xE4 && d <= 0xE9 { i += 3; continue }
                if TextNormalization.spaceLength(b, at: i) > 0 { break }
                i += d < 0x80 ? 1 : d >= 0xF0 ? 4 : d >= 0xE0 ? 3 : 2
            } while i < to
            run.end = i
        }
        if !seenText { run.start = i; run.end = i }
        return (run, i)
    }

    /// The offset of the first non-space scalar of valid UTF-8 `b[from..<to]` (`to` when
    /// there is none).
    static func firstNonSpace(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var i = from
        while i < to {
            let space = TextNormalization.spaceLength(b, at: i)
            if space == 0 { return i }
            i += space
        }
        return to
    }

    /// Appends the trimmed runs of the tab-separated cells of `b[from..<to]`.
    static func cells(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into runs: inout List) {
        var cellStart = from
        while true {
            let (run, tab) = scan(b, from: cellStart, to: to, upTo: 0x09)
            runs.append(run)
            if tab == to { return }
            cellStart = tab + 1
        }
    }

    /// The runs of one line, in storage kept from line to line: emptying an array while
    /// keeping its capacity costs more than the line's runs themselves.
    struct List {
        private var storage: [TrimmedRun] = []
        /// The number of runs of the current line.
        private(set) var count = 0

        /// Forgets the runs (keeping the storage).
        mutating func removeAll() { count = 0 }

        /// Adds a run.
        mutating func append(_ run: TrimmedRun) {
            if count < storage.count { storage[count] = run } else { storage.append(run) }
            count += 1
        }

        /// Run `k` (`k < count`).
        subscript(_ k: Int) -> TrimmedRun { storage[k] }

        /// The first run with text, if any.
        @inline(__always)
        var firstNonEmpty: TrimmedRun? {
            for k in 0..<count where !storage[k].isEmpty { return storage[k] }
            return nil
        }
    }

    /// The run's text with spaces collapsed: copied from `text` when ``plain``.
    func text(of text: ValidUTF8) -> String { self.text(of: text, oneByte: Self.oneByteStrings) }

    /// ``text(of:)`` given ``oneByteStrings``, for callers that make many.
    @inline(__always)
    func text(of text: ValidUTF8, oneByte: [String]) -> String {
        if isEmpty { return "" }
        if end == start + 1 { return oneByte[Int(text.bytes[start])] }
        if plain { return text.string(start..<end) }
        // Collapsing the spaces of valid UTF-8 leaves it valid.
        return TextReader.withCollapsedSpaces(UnsafeBufferPointer(rebasing: text.bytes[start..<end]), ValidUTF8.string(validated:))
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (report whitespace, see ``TextNormalization``).
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !TextNormalization.isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !TextNormalization.isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

/// Turns file bytes into text: UTF-8 (BOM optional), UTF-16 with BOM, or GB18030 when the
/// bytes are not valid UTF-8 (decoded by the same iconv path as HTML). Rejects binary data.
enum TextDecoding {
    /// The text as valid UTF-8 bytes: the file's own bytes when they are UTF-8 (no copy,
    /// no string), otherwise the decoded (or repaired) text's.
    static func decodeUTF8(_ data: [UInt8], source: String) throws(IngestError) -> [UInt8] {
        func repaired(_ bytes: [UInt8]) -> [UInt8] { Array(String(decoding: bytes, as: UTF8.self).utf8) }
        if data.isEmpty { throw IngestError(.empty, "\(source): empty file") }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return repaired(TextEncoding.decodeUTF16(data, from: 2, littleEndian: data[0] == 0xFF))
        }
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : data
        if try TextEncoding.rejectBinaryAndCheckUTF8(bytes, what: source) { return bytes }
        if let (utf8, errors) = TextEncoding.convert(bytes, from: "GB18030"), errors == 0 {
            return repaired(utf8)
        }
        return repaired(bytes)
    }
}
