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
        var blocks: [Block] = []
        var table: [TableRow] = []
        var tableKind: Character = " "

        func flush() {
            guard !table.isEmpty else { return }
            let span = table[0].span.union(table[table.count - 1].span)
            blocks.append(.table(Table(rows: table, span: span)))
            table = []
        }

        var collapsed = [UInt8](repeating: 0, count: utf8.count)
        var lineNo = 0
        var offset = 0
        var start = 0
        while start <= utf8.count {
            let end = utf8.withUnsafeBufferPointer { ByteSearch.firstOffset(of: UInt8(ascii: "\n"), in: UnsafeBufferPointer(rebasing: $0[start...])) }
                .map { start + $0 } ?? utf8.count
            lineNo += 1
            var lineEnd = end
            if lineEnd > start && utf8[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let span = SourceSpan(line: lineNo, byteStart: start, byteEnd: lineEnd)
            offset = end + 1
            defer { start = offset }
            if end == utf8.count && start == utf8.count { break }

            // The line with its spaces collapsed, as bytes: only a paragraph needs it as a string.
            let count = utf8.withUnsafeBufferPointer { line in
                collapsed.withUnsafeMutableBufferPointer { out in
                    TextNormalization.collapseSpaces(utf8: UnsafeBufferPointer(rebasing: line[start..<lineEnd]), into: out)
                }
            }
            let trimmed = collapsed[..<count]
            if trimmed.isEmpty || Self.isPageChrome(bytes: trimmed) || Self.isRule(bytes: utf8[start..<lineEnd]) {
                if trimmed.isEmpty && tableKind == "|" { flush(); tableKind = " " }
                continue
            }
            if Self.startsWithPipe(bytes: trimmed) {
                if tableKind != "|" { flush(); tableKind = "|" }
                let line = String(decoding: utf8[start..<lineEnd], as: UTF8.self)
                table.append(TableRow(cells: Self.pipeCells(line, span: span), span: span))
            } else if utf8[start..<lineEnd].contains(0x09) {
                if tableKind != "\t" { flush(); tableKind = "\t" }
                let cells = utf8.withUnsafeBufferPointer { Self.tabCells(utf8: UnsafeBufferPointer(rebasing: $0[start..<lineEnd]), span: span) }
                table.append(TableRow(cells: cells, span: span))
            } else {
                flush(); tableKind = " "
                blocks.append(.paragraph(Paragraph(text: Self.withoutMarkdownMarker(String(decoding: trimmed, as: UTF8.self)), span: span)))
            }
        }
        flush()
        if blocks.isEmpty { throw IngestError(.empty, "\(source): no text") }
        return Document(source: source, format: .text, blocks: blocks)
    }

    /// Cells of a tab-separated line; trailing empty cells are layout padding and dropped.
    ///
    /// Split at tab bytes: a tab, a control character, is always a character of its own, so
    /// this is the character split without the grapheme breaking.
    static func tabCells(_ line: String, span: SourceSpan) -> [TableCell] {
        var line = line
        return line.withUTF8 { tabCells(utf8: $0, span: span) }
    }

    /// ``tabCells(_:span:)`` of a line's (valid) UTF-8 bytes.
    static func tabCells(utf8 line: UnsafeBufferPointer<UInt8>, span: SourceSpan) -> [TableCell] {
        var cells: [TableCell] = []
        var tabs = 0
        for b in line where b == 0x09 { tabs += 1 }
        cells.reserveCapacity(tabs + 1)
        var start = 0
        for i in 0...line.count where i == line.count || line[i] == 0x09 {
            let text = cellText(UnsafeBufferPointer(rebasing: line[start..<i]))
            cells.append(TableCell(text: text, span: span, column: cells.count))
            start = i + 1
        }
        while let last = cells.last, last.text.isEmpty { cells.removeLast() }
        return cells
    }

    /// A tab-separated cell's text: its bytes with spaces collapsed. A cell of printable
    /// ASCII without spaces (most value cells: `0`, `14`, `3.5`) is its own collapsed form
    /// and is made straight from its bytes; a one-byte one is looked up.
    @inline(__always)
    static func cellText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var plain = true
        for b in bytes where b < 0x21 || b > 0x7E { plain = false; break }
        guard plain else { return TextNormalization.collapseSpaces(utf8: bytes) }
        switch bytes.count {
        case 0: return ""
        case 1: return asciiCharacters[Int(bytes[0])]
        default: return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The one-character string of each ASCII byte, made once for ``cellText(_:)``.
    private static let asciiCharacters: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Cells of a markdown pipe row; every cell between pipes counts, blank ones too.
    static func pipeCells(_ line: String, span: SourceSpan) -> [TableCell] {
        var parts: [String]
        let opens: Bool, closes: Bool
        if pipesStandAlone(line) {
            // Every pipe is a character of its own: split at pipe bytes, and the trimmed line
            // starts (ends) with a pipe character exactly when its first (last) scalar is one.
            var line = line
            (parts, opens, closes) = line.withUTF8(splitAtPipes)
        } else {
            parts = line.split(separator: "|", omittingEmptySubsequences: false).map { TextNormalization.collapseSpaces($0) }
            let trimmedLine = line.trimmingSpaces
            opens = trimmedLine.hasPrefix("|")
            closes = trimmedLine.hasSuffix("|")
        }
        if opens, !parts.isEmpty { parts.removeFirst() }
        if closes, !parts.isEmpty { parts.removeLast() }
        return parts.enumerated().map { TableCell(text: $0.element, span: span, column: $0.offset) }
    }

    /// A line's (valid) UTF-8 split at every pipe byte, each part with its spaces collapsed;
    /// and whether its first and last non-space scalars are pipes.
    static func splitAtPipes(_ b: UnsafeBufferPointer<UInt8>) -> (parts: [String], opens: Bool, closes: Bool) {
        var parts: [String] = []
        var partStart = 0
        var firstNonSpace: UInt8? = nil, lastNonSpace: UInt8? = nil
        var i = 0
        while i < b.count {
            let space = TextNormalization.spaceLength(b, at: i)
            if space > 0 { i += space; continue }
            let c = b[i]
            if firstNonSpace == nil { firstNonSpace = c }
            lastNonSpace = c
            if c == 0x7C {
                parts.append(TextNormalization.collapseSpaces(utf8: UnsafeBufferPointer(rebasing: b[partStart..<i])))
                partStart = i + 1
            }
            i += 1
            while i < b.count && b[i] & 0xC0 == 0x80 { i += 1 }   // the rest of the scalar
        }
        parts.append(TextNormalization.collapseSpaces(utf8: UnsafeBufferPointer(rebasing: b[partStart...])))
        return (parts, firstNonSpace == 0x7C, lastNonSpace == 0x7C)
    }

    /// Whether no pipe of the line is joined with a neighbouring scalar into one character
    /// (judged conservatively, see ``TextNormalization/neverJoinsPrevious(_:)``).
    static func pipesStandAlone(_ line: String) -> Bool {
        var previous: Unicode.Scalar? = nil
        var afterPipe = false
        for c in line.unicodeScalars {
            if afterPipe && !TextNormalization.neverJoinsPrevious(c) { return false }
            afterPipe = c == "|"
            if afterPipe, let p = previous, !TextNormalization.neverJoinsNext(p) { return false }
            previous = c
        }
        return true
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
    static func startsWithPipe(bytes t: ArraySlice<UInt8>) -> Bool {
        guard t.first == UInt8(ascii: "|") else { return false }
        var rest = t.dropFirst().makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let second) = decoder.decode(&rest) else { return true }
        if TextNormalization.neverJoinsPrevious(second) { return true }
        return startsWithPipe(String(decoding: t, as: UTF8.self))
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

    /// A separator line such as `|---|---|` or `-----\t---`.
    static func isRule(_ line: String) -> Bool { isRule(bytes: line.utf8) }

    /// ``isRule(_:)`` of a line's UTF-8 bytes (every byte of a rule is ASCII).
    static func isRule(bytes: some Collection<UInt8>) -> Bool {
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
    static func isPageChrome(bytes t: ArraySlice<UInt8>) -> Bool {
        guard t.count <= 48, t.withUnsafeBufferPointer(mayBePageChrome(utf8:)) else { return false }
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
