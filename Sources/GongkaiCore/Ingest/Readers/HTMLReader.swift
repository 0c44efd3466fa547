#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns report web pages (hand-written, crawled or Word-exported, often broken HTML) into a
/// ``Document``, because many agencies publish their annual report only as a page.
///
/// Behaviour:
/// - Encoding: a BOM wins, then bytes that are valid UTF-8, then the declared charset;
///   GBK/GB2312/GB18030 and undeclared non-UTF-8 bytes are decoded as GB18030 with glibc
///   `iconv`; UTF-16 with a BOM (or recognisably without one).
/// - Spans: byte offsets point into the original file when it is UTF-8 (a BOM is counted),
///   and into the decoded UTF-8 text when the file was transcoded (GBK, UTF-16). Lines are
///   1-based, counted by LF, and the same in both.
/// - The first `<title>` becomes the first paragraph. `script`, `style`, `noscript`, `template`,
///   `iframe`, `xmp`, `noembed`, `noframes` content and comments are dropped.
/// - Paragraphs split at block elements and `<br>`; `<pre>` splits at line breaks. Inside a
///   cell, `<br>` and block boundaries join text with nothing (`本年新<br/>制作数量` →
///   `本年新制作数量`). Whitespace (including `&nbsp;` and U+3000) collapses to one space and is
///   trimmed, so a cell holding only `&nbsp;` or `<o:p></o:p>` is blank. A line break between
///   two CJK characters vanishes (CSS segment-break rule).
/// - Tables: grid columns come from an occupancy grid exactly like a browser's (`colspan`
///   clamped to 1...100, `rowspan` to 0...1000, 0 meaning "to the end of the row group", invalid
///   values read as 1); spans are clipped at `thead`/`tbody`/`tfoot` boundaries; rows without
///   cells are dropped and row spans recounted over the remaining rows.
/// - Nested tables are emitted as separate ``Table`` blocks right after the table that contains
///   them (so a report table inside a layout table is still a table); the containing cell keeps
///   only its own text. Beyond 200 levels, nested tables are flattened into the cell's text.
/// - Text inside a table but outside any cell (and `<caption>`) becomes paragraphs placed
///   before the table, as browsers do.
/// - Errors: `.empty` for an empty file or one without text; `.binary` for NUL bytes, mostly
///   control bytes, PDF/ZIP signatures, or bytes that decode as neither UTF-8 nor GB18030.
public struct HTMLReader: DocumentReader {
    /// Creates a reader; there is nothing to configure, so one value serves every file and thread.
    public init() {}

    /// Reads a whole HTML file's bytes (`source` names it in messages); the ``DocumentReader`` entry point.
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        let name = source.isEmpty ? "the HTML input" : source
        let (decoded, _) = try TextEncoding.decodeMarkup(data, what: name)
        let blocks: [Block]
        switch decoded {
        case .original(let start): // validated UTF-8
            blocks = data.withUnsafeBufferPointer { buf in var p = HTMLParser(buf, start: start, validUTF8: true); return p.run() }
        case .transcoded(let bytes):
            let valid = TextEncoding.isValidUTF8(bytes)
            blocks = bytes.withUnsafeBufferPointer { buf in var p = HTMLParser(buf, start: 0, validUTF8: valid); return p.run() }
        }
        guard Document.anyText(in: blocks) else { throw IngestError(.empty, "\(name) contains no text") }
        return Document(source: source, format: .html, blocks: blocks)
    }
}

/// One open `<table>` while it is being read.
struct HTMLTableBuilder {
    /// Whether the page is valid UTF-8 (see ``TextAccumulator/take(validInput:)``).
    let validUTF8: Bool
    var assembler = TableAssembler()
    let start: Int
    let startLine: Int
    var rowOpen = false
    var rowCells: [TableCell] = []
    var rowStart = 0, rowStartLine = 0
    /// Per grid column: the group row index up to which a cell from above covers it.
    var occupiedUntil: [Int] = []
    var nextColumn = 0
    var cellOpen = false
    var cell = TextAccumulator()
    var cellStart = 0, cellStartLine = 0, cellColumn = 0, cellColumnSpan = 1, cellRowSpan = 1
    var inCaption = false
    /// Caption text, or text that sits in the table outside any cell.
    var side = TextAccumulator()
    /// Blocks that go before the table (caption, stray text) and after it (nested tables).
    var before: [Block] = []
    var after: [Block] = []

    init(start: Int, line: Int, validUTF8: Bool) {
        self.validUTF8 = validUTF8
        self.start = start
        self.startLine = line
    }

    mutating func openRow(start: Int, line: Int) {
        rowOpen = true
        rowStart = start
        rowStartLine = line
        nextColumn = 0
    }

    mutating func closeRow(end: Int, endLine: Int) {
        guard rowOpen else { return }
        let span = SourceSpan(line: rowStartLine, endLine: max(rowStartLine, endLine), byteStart: rowStart, byteEnd: end)
        assembler.add(cells: &rowCells, span: span)
        rowOpen = false
        nextColumn = 0
    }

    mutating func endGroup() {
        assembler.endGroup()
        occupiedUntil.removeAll(keepingCapacity: true)
    }

    /// Places a cell in the occupancy grid, exactly like a browser's table model.
    mutating func openCell(start: Int, line: Int, columnSpan: Int, rowSpan: Int) {
        let row = assembler.groupRowCount
        let column = occupiedUntil.withUnsafeBufferPointer { occupied in
            var column = nextColumn
            while column < occupied.count && occupied[column] > row { column += 1 }
            return column
        }
        // A cell of one row covers nothing below it: later rows look only at grid columns
        // covered past their own row, and this row looks only right of the cell.
        if rowSpan != 1 { markCovered(from: column, count: columnSpan, until: rowSpan == 0 ? Int.max : row + rowSpan) }
        nextColumn = column + columnSpan
        cellOpen = true
        cellStart = start
        cellStartLine = line
        cellColumn = column
        cellColumnSpan = columnSpan
        cellRowSpan = rowSpan
    }

    /// Marks `count` grid columns from `column` as covered up to group row `until` (a cell
    /// spanning rows), growing the grid as needed.
    private mutating func markCovered(from column: Int, count: Int, until: Int) {
        let markEnd = min(column + count, HTMLParser.maxGridColumns)
        if markEnd > occupiedUntil.count {
            occupiedUntil.append(contentsOf: repeatElement(0, count: markEnd - occupiedUntil.count))
        }
        guard column < markEnd else { return }
        occupiedUntil.withUnsafeMutableBufferPointer { occupied in
            for k in column..<markEnd where occupied[k] < until { occupied[k] = until }
        }
    }

    mutating func closeCell(end: Int, endLine: Int) {
        guard cellOpen else { return }
        let span = SourceSpan(line: cellStartLine, endLine: max(cellStartLine, endLine), byteStart: cellStart, byteEnd: end)
        rowCells.append(TableCell(text: cell.take(validInput: validUTF8), span: span, column: cellColumn,
                                  columnSpan: cellColumnSpan, rowSpan: cellRowSpan))
        cellOpen = false
    }

    mutating func flushSide() {
        if side.hasText {
            let span = side.span
            before.append(.paragraph(Paragraph(text: side.take(validInput: validUTF8), span: span)))
        } else {
            _ = side.take()
        }
    }

    mutating func endCaption(end: Int, endLine: Int) {
        guard inCaption else { return }
        inCaption = false
        if side.hasText {
            let span = SourceSpan(line: side.openLine, endLine: max(side.openLine, endLine), byteStart: side.openStart, byteEnd: end)
            before.append(.paragraph(Paragraph(text: side.take(validInput: validUTF8), span: span)))
        } else {
            _ = side.take()
        }
    }

    /// Closes whatever is open before a new row, cell, caption or row group starts, where the
    /// previous token ends (`end`, its last byte's line found in `lines` only when something
    /// closes). Inlined, with each part called only when open: at most cells nothing is.
    @inline(__always)
    mutating func closeOpen(end: Int, lines: inout LineCounter, row: Bool) {
        guard inCaption || cellOpen || (row && rowOpen) else { return }
        let endLine = lines.line(at: end - 1)
        if inCaption { endCaption(end: end, endLine: endLine) }
        if cellOpen { closeCell(end: end, endLine: endLine) }
        if row && rowOpen { closeRow(end: end, endLine: endLine) }
    }
}

/// The tree-less HTML parser: a state machine over tokens that builds blocks directly.
struct HTMLParser {
    static let maxTableDepth = 200
    static let maxColumnSpan = 100
    static let maxRowSpan = 1000
    static let maxGridColumns = 10_000

    let buf: UnsafeBufferPointer<UInt8>
    /// Whether `buf` is valid UTF-8, so that the text taken from it is too and its strings
    /// are made without validating them again.
    let validUTF8: Bool
    var tokenizer: HTMLTokenizer
    let attributes: TagAttributes
    var lines: LineCounter
    var blocks: [Block] = []
    var para = TextAccumulator()
    var title = TextAccumulator()
    var inTitle = false
    var titleDone = false
    var titleBlock: Paragraph?
    /// The innermost open table (an empty placeholder when ``tableDepth`` is 0), held apart
    /// from the tables around it so that the work on it at every cell tag and text run costs
    /// no array access (a bounds and a uniqueness check per mutation) and no optional's check.
    var table: HTMLTableBuilder
    /// How many tables are open: ``table`` and ``outerTables``.
    var tableDepth = 0
    /// The open tables around ``table``, outermost first.
    var outerTables: [HTMLTableBuilder] = []
    var ignoredTables = 0
    var preDepth = 0
    /// One past the previous token's last byte (tokens are never empty), or where the input
    /// starts before the first token.
    var prevEnd = 0
    /// The tag being handled: its first byte and one past its last.
    var tagStart = 0, tagEnd = 0

    init(_ buf: UnsafeBufferPointer<UInt8>, start: Int, validUTF8: Bool) {
        self.buf = buf
        self.validUTF8 = validUTF8
        self.tokenizer = HTMLTokenizer(buf, start: start)
        self.attributes = TagAttributes(buf: buf)
        self.lines = LineCounter(buf)
        self.table = HTMLTableBuilder(start: 0, line: 0, validUTF8: validUTF8)
        self.prevEnd = start
    }

    // Line numbers are worked out only where a span records one (most tokens record none),
    // from the byte offsets of the current tag and the previous token; ``LineCounter`` answers
    // in order of increasing offsets as the handlers ask them.

    /// The line of the current tag's first byte.
    var line: Int { mutating get { lines.line(at: tagStart) } }
    /// The line of the current tag's last byte.
    var endLine: Int { mutating get { lines.line(at: tagEnd - 1) } }
    /// The line of the previous token's last byte (where an element closed implicitly ends;
    /// line 1 before the first token).
    var prevEndLine: Int { mutating get { lines.line(at: prevEnd - 1) } }

    /// Parses everything and returns the blocks. Never inlined into its caller: the tokenizer's
    /// `next()` is inlined here, which the compiler declines in a caller grown too large.
    @inline(never)
    mutating func run() -> [Block] {
        while let t = tokenizer.next() {
            switch t.kind {
            case .text, .cdata:
                text(t)
            case .startTag, .endTag:
                // Inline elements (`span`, `font`, `o:p`, ...) change nothing outside a title, and
                // a block element inside a cell only joins the cell's text: both are settled here,
                // without the tag handlers.
                if !inTitle && (t.tag == .other || t.tag.isBlock && tableDepth > 0 && table.cellOpen) {
                    if t.tag != .other { table.cell.boundary() }
                } else {
                    tagStart = t.start
                    tagEnd = t.end
                    if t.kind == .startTag { startTag(t) } else { endTag(t) }
                }
            }
            prevEnd = t.end
        }
        if inTitle { endTitle(end: prevEnd, endLine: prevEndLine) }
        while tableDepth > 0 { closeTable(end: prevEnd, endLine: prevEndLine) }
        flushParagraph()
        if let t = titleBlock { blocks.insert(.paragraph(t), at: 0) }
        return blocks
    }

    // MARK: Text

    private mutating func text(_ t: HTMLToken) {
        if inTitle {
            _ = title.append(buf, from: t.start, to: t.end, entities: true)
            return
        }
        if tableDepth > 0 {
            if table.cellOpen {
                _ = table.cell.append(buf, from: t.start, to: t.end, entities: true)
            } else {
                let first = table.side.append(buf, from: t.start, to: t.end, entities: true)
                if first >= 0 {
                    if table.side.start < 0 { table.side.begin(at: first, line: lines.line(at: first)) }
                    table.side.extend(to: t.end, line: lines.line(at: t.end - 1))
                }
            }
            return
        }
        guard preDepth > 0 else {
            appendParagraph(from: t.start, to: t.end)
            return
        }
        // Inside <pre>: every line is a paragraph.
        var s = t.start
        while s < t.end {
            let nl = min(tokenizer.find(0x0A, from: s), t.end)
            appendParagraph(from: s, to: nl)
            if nl < t.end { flushParagraph() }
            s = nl + 1
        }
    }

    private mutating func appendParagraph(from: Int, to: Int) {
        let first = para.append(buf, from: from, to: to, entities: true)
        guard first >= 0 else { return }
        if para.start < 0 { para.begin(at: first, line: lines.line(at: first)) }
        para.extend(to: to, line: lines.line(at: max(first, to - 1)))
    }

    private mutating func flushParagraph() {
        if para.hasText {
            let span = para.span
            blocks.append(.paragraph(Paragraph(text: para.take(validInput: validUTF8), span: span)))
        } else {
            _ = para.take()
        }
    }

    /// A block element starts (`open`) or ends, or a `<br>`: splits paragraphs; inside a cell
    /// or caption the pieces join with nothing.
    private mutating func boundary(_ t: HTMLToken, open: Bool, extend: Bool = true) {
        if tableDepth > 0 {
            if table.cellOpen {
                table.cell.boundary()
            } else if table.inCaption {
                table.side.boundary()
            } else {
                table.flushSide()
                if open { table.side.openStart = t.start; table.side.openLine = line }
            }
            return
        }
        if open {
            flushParagraph()
            para.openStart = t.start
            para.openLine = line
        } else {
            if extend && para.hasText { para.extend(to: t.end, line: endLine) }
            flushParagraph()
        }
    }

    // MARK: Tags

    private mutating func startTag(_ t: HTMLToken) {
        // A tag inside <title> means its end tag is missing: the title ends here.
        if inTitle { endTitle(end: prevEnd, endLine: prevEndLine) }
        switch t.tag {
        case .title:
            if !titleDone && !inTitle && tableDepth == 0 {
                inTitle = true
                title.openStart = t.start
                title.openLine = line
            } else {
                boundary(t, open: true)
            }
        case .table:
            openTable(t, line: line)
        case .tr, .td, .th, .thead, .tbody, .tfoot, .caption:
            guard ignoredTables == 0, tableDepth > 0 else {
                boundary(t, open: true)
                return
            }
            switch t.tag {
            case .tr:
                table.closeOpen(end: prevEnd, lines: &lines, row: true)
                table.flushSide()
                table.openRow(start: t.start, line: line)
            case .td, .th:
                table.closeOpen(end: prevEnd, lines: &lines, row: false)
                if !table.rowOpen {
                    table.flushSide()
                    table.openRow(start: t.start, line: line)
                }
                let (colspan, rowspan) = attributes.spanAttributes(of: t)
                table.openCell(start: t.start, line: line,
                                columnSpan: min(max(colspan ?? 1, 1), HTMLParser.maxColumnSpan),
                                rowSpan: min(max(rowspan ?? 1, 0), HTMLParser.maxRowSpan))
            case .caption:
                table.closeOpen(end: prevEnd, lines: &lines, row: true)
                table.flushSide()
                table.inCaption = true
                table.side.openStart = t.start
                table.side.openLine = line
            default: // row groups
                table.closeOpen(end: prevEnd, lines: &lines, row: true)
                table.endGroup()
            }
        case .colgroup, .col, .meta:
            break
        case .br:
            boundary(t, open: false, extend: false)
        case .pre, .listing:
            boundary(t, open: true)
            preDepth += 1
        default:
            if t.tag.isBlock { boundary(t, open: true) }
        }
    }

    private mutating func endTag(_ t: HTMLToken) {
        if inTitle && t.tag != .title { endTitle(end: prevEnd, endLine: prevEndLine) }
        switch t.tag {
        case .title:
            if inTitle { endTitle(end: t.end, endLine: endLine) } else { boundary(t, open: false) }
        case .table:
            if ignoredTables > 0 {
                ignoredTables -= 1
                if tableDepth > 0 { table.cell.boundary() }
            } else if tableDepth > 0 {
                closeTable(end: t.end, endLine: endLine)
            } else {
                boundary(t, open: false)
            }
        case .tr, .td, .th, .thead, .tbody, .tfoot, .caption:
            guard ignoredTables == 0, tableDepth > 0 else {
                boundary(t, open: false)
                return
            }
            switch t.tag {
            case .td, .th:
                table.closeCell(end: t.end, endLine: endLine)
            case .tr:
                table.closeOpen(end: prevEnd, lines: &lines, row: false)
                table.closeRow(end: t.end, endLine: endLine)
            case .caption:
                table.endCaption(end: t.end, endLine: endLine)
            default:
                table.closeOpen(end: prevEnd, lines: &lines, row: true)
                table.endGroup()
            }
        case .br: // browsers read </br> as <br>
            boundary(t, open: false, extend: false)
        case .pre, .listing:
            boundary(t, open: false)
            preDepth = max(0, preDepth - 1)
        default:
            if t.tag.isBlock { boundary(t, open: false) }
        }
    }

    private mutating func endTitle(end: Int, endLine: Int) {
        inTitle = false
        titleDone = true
        if title.hasText {
            let span = SourceSpan(line: title.openLine, endLine: endLine, byteStart: title.openStart, byteEnd: end)
            titleBlock = Paragraph(text: title.take(validInput: validUTF8), span: span)
        } else {
            _ = title.take()
        }
    }

    // MARK: Tables

    private mutating func openTable(_ t: HTMLToken, line: Int) {
        if tableDepth >= HTMLParser.maxTableDepth || ignoredTables > 0 {
            ignoredTables += 1 // too deep: flatten into the current cell
            if tableDepth > 0 { table.cell.boundary() }
            return
        }
        if tableDepth > 0 && !table.cellOpen {
            // <table> in a table but outside a cell: browsers close the open table first.
            closeTable(end: prevEnd, endLine: prevEndLine)
        }
        if tableDepth == 0 {
            flushParagraph()
        } else {
            table.cell.boundary()
            outerTables.append(table)
        }
        table = HTMLTableBuilder(start: t.start, line: line, validUTF8: validUTF8)
        tableDepth += 1
    }

    private mutating func closeTable(end: Int, endLine: Int) {
        guard tableDepth > 0 else { return }
        var tb = table
        tableDepth -= 1
        table = outerTables.popLast() ?? HTMLTableBuilder(start: 0, line: 0, validUTF8: validUTF8)
        tb.closeOpen(end: prevEnd, lines: &lines, row: true)
        tb.flushSide()
        let rows = tb.assembler.finish()
        var out = tb.before
        if !rows.isEmpty {
            let span = SourceSpan(line: tb.startLine, endLine: max(tb.startLine, endLine), byteStart: tb.start, byteEnd: end)
            out.append(.table(Table(rows: rows, span: span)))
        }
        out.append(contentsOf: tb.after)
        if tableDepth > 0 {
            table.after.append(contentsOf: out)
            table.cell.boundary()
        } else {
            blocks.append(contentsOf: out)
        }
    }
}

/// Maps byte offsets to 1-based line numbers (counting LF), in amortised linear time when the
/// offsets asked for mostly increase.
///
/// It keeps the current line's bounds, so an offset on the same line (most questions: the
/// reader asks at every token) costs two comparisons; moving on finds the next LF with `memchr`.
struct LineCounter {
    let buf: UnsafeBufferPointer<UInt8>
    private var line = 1
    /// Offset of the LF before the current line (-1 on the first line).
    private var lineStart = -1
    /// Offset of the LF that ends the current line (`buf.count` on the last line).
    private var lineEnd: Int

    init(_ buf: UnsafeBufferPointer<UInt8>) {
        self.buf = buf
        lineEnd = buf.count
        lineEnd = nextLF(from: 0)
    }

    /// Offset of the first LF at or after `from`, or `buf.count`.
    private func nextLF(from: Int) -> Int {
        guard from < buf.count, let base = buf.baseAddress,
              let p = memchr(base + from, 0x0A, buf.count - from) else { return buf.count }
        return UnsafeRawPointer(p) - UnsafeRawPointer(base)
    }

    /// The line that contains byte `offset`; inlined for the common case of the current line.
    @inline(__always)
    mutating func line(at offset: Int) -> Int {
        if offset > lineStart && offset <= lineEnd { return line } // in range, so clamped already
        return move(to: min(max(offset, 0), buf.count))
    }

    /// Makes the line holding byte `o` (0...`buf.count`) current and returns it.
    private mutating func move(to o: Int) -> Int {
        while o > lineEnd {
            line += 1
            lineStart = lineEnd
            lineEnd = nextLF(from: lineEnd + 1)
        }
        while o <= lineStart {
            line -= 1
            lineEnd = lineStart
            lineStart -= 1
            while lineStart >= 0 && buf[lineStart] != 0x0A { lineStart -= 1 }
        }
        return line
    }
}
