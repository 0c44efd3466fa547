import Foundation

/// Turns Word reports (Office Open XML, `.docx`) into a ``Document``, because agencies often
/// publish the file the report was written in, whose merged cells are explicit.
///
/// Behaviour:
/// - The main part is `word/document.xml` (or the `officeDocument` target named in
///   `_rels/.rels`), read with a small byte scanner; only text inside `w:t` counts.
/// - `w:p` → paragraph; runs join with nothing; `w:tab` → space; `w:br`/`w:cr` → nothing;
///   `w:noBreakHyphen` → `-`. Deleted text (`w:delText`, `w:moveFrom`) and field codes
///   (`w:instrText`) are skipped. Paragraphs in a text box join their anchor paragraph with a
///   space; several paragraphs in one cell join with nothing.
/// - `w:tbl` → table: `w:gridSpan` → column span; `w:vMerge` restart/continue → the
///   continuation cell is not emitted and the starting cell's row span grows (continuation text,
///   if any, is appended to it); legacy `w:hMerge` likewise widens the cell on its left;
///   `w:gridBefore` shifts a row's first column. Rows left without cells are dropped.
/// - Nested tables are emitted as separate tables after the containing table (as in
///   ``HTMLReader``); beyond 200 levels they are flattened into the cell's text. `w:sdt` and
///   other wrappers are transparent; of an `mc:AlternateContent` only the first branch
///   (`mc:Choice`, else `mc:Fallback`) is read.
/// - Spans: `line`/`endLine` are 1-based ordinals of block elements in the body (body-level
///   paragraphs, empty ones included, and table rows, in order); bytes are offsets into
///   `word/document.xml`.
/// - The ZIP directory is read with bounds checks here and entries are inflated by
///   ZIPFoundation's `Data.decompress` (its `Archive` traps or hangs on some damaged files).
/// - Errors: `.empty` (0 bytes, or no text); `.malformed` "not a DOCX file: …" for anything
///   that is not a ZIP with a readable `word/document.xml` (CRC-32 checked); `.tooLarge` past
///   ``maxDocumentPartSize``.
/// - Not read: headers, footers, footnotes, comments (other parts of the package).
public struct DocxReader: DocumentReader {
    /// The largest `word/document.xml` accepted (uncompressed), so a zip bomb cannot exhaust memory.
    public static let maxDocumentPartSize = 512 << 20

    /// Creates a reader; there is nothing to configure, so one value serves every file and thread.
    public init() {}

    /// Reads a whole `.docx` file's bytes (`source` names it in messages); the ``DocumentReader`` entry point.
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        let name = source.isEmpty ? "the DOCX input" : source
        if data.isEmpty { throw IngestError(.empty, "\(name) is empty (0 bytes)") }
        let xml = try DocxReader.mainPart(data, name: name)
        let blocks = xml.withUnsafeBufferPointer { DocxParser($0).run() }
        guard Document.anyText(in: blocks) else { throw IngestError(.empty, "\(name) contains no text") }
        return Document(source: source, format: .docx, blocks: blocks)
    }

    /// Unzips the main document part.
    static func mainPart(_ data: [UInt8], name: String) throws(IngestError) -> [UInt8] {
        guard data.count >= 22, data[0] == 0x50, data[1] == 0x4B else {
            throw IngestError(.malformed, "not a DOCX file: \(name) is not a ZIP archive")
        }
        let zip = try ZipDirectory(data, name: name)
        var path = "word/document.xml"
        if zip.entry(path) == nil, let rels = zip.entry("_rels/.rels"),
           let relsBytes = try? zip.contents(of: rels, limit: 1 << 20),
           let target = officeDocumentTarget(relsBytes) {
            path = target
        }
        guard let entry = zip.entry(path) else {
            throw IngestError(.malformed, "not a DOCX file: \(name) has no word/document.xml")
        }
        var xml = try zip.contents(of: entry, limit: maxDocumentPartSize)
        // Word writes UTF-8; the XML standard also allows UTF-16 with a byte-order mark.
        if xml.count >= 2 && ((xml[0] == 0xFF && xml[1] == 0xFE) || (xml[0] == 0xFE && xml[1] == 0xFF)) {
            xml = TextEncoding.decodeUTF16(xml, from: 2, littleEndian: xml[0] == 0xFF)
        }
        return xml
    }

    /// The target of the `officeDocument` relationship in `_rels/.rels`, without a leading `/`.
    static func officeDocumentTarget(_ rels: [UInt8]) -> String? {
        let text = String(decoding: rels, as: UTF8.self)
        for piece in text.components(separatedBy: "<Relationship ").dropFirst()
        where piece.contains("relationships/officeDocument\"") {
            guard let r = piece.range(of: "Target=\"") else { continue }
            let rest = piece[r.upperBound...]
            guard let q = rest.firstIndex(of: "\"") else { continue }
            var target = String(rest[..<q])
            while target.hasPrefix("/") { target.removeFirst() }
            return target
        }
        return nil
    }
}

/// Elements of WordprocessingML (and markup compatibility) that the DOCX reader acts on.
enum DocxTag: UInt8 {
    case other, p, r, t, tab, ptab, br, cr, tbl, tr, tc, gridSpan, vMerge, hMerge, gridBefore
    case delText, instrText, moveFrom, noBreakHyphen, alternateContent, choice, fallback

    private static let word: NameTable<DocxTag> = {
        let all: [(String, DocxTag)] = [
            ("p", .p), ("r", .r), ("t", .t), ("tab", .tab), ("ptab", .ptab), ("br", .br), ("cr", .cr),
            ("tbl", .tbl), ("tr", .tr), ("tc", .tc), ("gridSpan", .gridSpan), ("vMerge", .vMerge),
            ("hMerge", .hMerge), ("gridBefore", .gridBefore), ("delText", .delText),
            ("instrText", .instrText), ("moveFrom", .moveFrom), ("noBreakHyphen", .noBreakHyphen),
        ]
        return NameTable(all.map { (NameKey($0.0), $0.1) })
    }()
    private static let compatibility = NameTable<DocxTag>([
        (NameKey("AlternateContent"), .alternateContent), (NameKey("Choice"), .choice), (NameKey("Fallback"), .fallback),
    ])

    static func lookup(local key: NameKey?, word isWord: Bool) -> DocxTag {
        guard let key else { return .other }
        return (isWord ? word[key] : compatibility[key]) ?? .other
    }
}

/// One open `w:tbl`.
final class DocxTableBuilder {
    struct Origin { var row: Int; var cell: Int; var lastRow: Int }
    var assembler = TableAssembler()
    let start: Int
    let firstOrdinal: Int
    var rowOpen = false
    var rowCells: [TableCell] = []
    var rowStart = 0, rowOrdinal = 0
    var nextColumn = 0
    var cellOpen = false
    var cell = TextAccumulator()
    var cellParagraphs = 0
    var cellStart = 0, cellColumn = 0, cellGridSpan = 1
    var vMerge: UInt8 = 0 // 0 none, 1 restart, 2 continue
    var hMergeContinue = false
    var origins: [Int: Origin] = [:]
    var after: [Block] = []

    init(start: Int, firstOrdinal: Int) {
        self.start = start
        self.firstOrdinal = firstOrdinal
    }
}

/// Walks `word/document.xml` and builds blocks.
final class DocxParser {
    static let wordNamespaces = ["http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                 "http://purl.oclc.org/ooxml/wordprocessingml/main"]
    static let compatibilityNamespace = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    private static let valName = Array("w:val".utf8)

    let buf: UnsafeBufferPointer<UInt8>
    var tokenizer: HTMLTokenizer
    let attributes: TagAttributes
    var wordPrefix: [UInt8] = Array("w".utf8)
    var compatibilityPrefix: [UInt8] = Array("mc".utf8)
    var valAttribute: [UInt8] = DocxParser.valName
    var sawRoot = false
    var stack: [DocxTag] = []
    var skipDepth = 0
    var alternateTaken: [Bool] = []
    var inText = false
    var ordinal = 0
    var blocks: [Block] = []
    var para = TextAccumulator()
    var paraDepth = 0
    var paraStart = 0, paraOrdinal = 0
    var afterParagraph: [Block] = []
    var tables: [DocxTableBuilder] = []
    /// Tables nested deeper than ``maxTableDepth`` that are being read as text of the
    /// deepest kept cell.
    var ignoredTables = 0

    /// The deepest table nesting kept as tables; deeper tables are flattened into the text of
    /// the cell that holds them (as ``HTMLParser/maxTableDepth``), so a hostile file cannot
    /// make the reader copy every nested table up every level.
    static let maxTableDepth = 200

    init(_ buf: UnsafeBufferPointer<UInt8>) {
        self.buf = buf
        self.tokenizer = HTMLTokenizer(buf, xml: true)
        self.attributes = TagAttributes(buf: buf)
    }

    func run() -> [Block] {
        while let t = tokenizer.next() {
            switch t.kind {
            case .text, .cdata:
                if inText && skipDepth == 0 {
                    if t.kind == .cdata {
                        _ = withSink { $0.append(buf, from: t.attrStart, to: t.attrEnd, entities: false) }
                    } else {
                        _ = withSink { $0.append(buf, from: t.start, to: t.end, entities: true) }
                    }
                }
            case .startTag:
                if !sawRoot { sawRoot = true; readNamespaces(t) }
                let tag = classify(t)
                if skipDepth > 0 {
                    if !t.selfClosing { stack.append(tag) }
                    continue
                }
                let parent = stack.last ?? .other
                if !t.selfClosing { stack.append(tag) }
                start(tag, t, parent: parent)
            case .endTag:
                let tag = stack.popLast() ?? .other
                if skipDepth > 0 {
                    if stack.count < skipDepth { skipDepth = 0 }
                    continue
                }
                end(tag, t)
            }
        }
        while let tb = tables.last { closeTable(tb, end: buf.count) }
        while paraDepth > 0 { closeParagraph(end: buf.count) }
        return blocks
    }

    // MARK: Names

    private func readNamespaces(_ t: HTMLToken) {
        var i = t.attrStart
        let prefix = Array("xmlns:".utf8)
        while i + prefix.count < t.attrEnd {
            var match = true
            for k in 0..<prefix.count where buf[i + k] != prefix[k] { match = false; break }
            if !match { i += 1; continue }
            let ns = i + prefix.count
            var e = ns
            while e < t.attrEnd && buf[e] != 0x3D && !isHTMLSpace(buf[e]) { e += 1 }
            let name = Array(buf[ns..<e])
            var q = e
            while q < t.attrEnd && buf[q] != 0x22 && buf[q] != 0x27 { q += 1 }
            guard q < t.attrEnd else { break }
            let quote = buf[q]
            var v = q + 1
            while v < t.attrEnd && buf[v] != quote { v += 1 }
            let uri = String(decoding: buf[(q + 1)..<v], as: UTF8.self)
            if DocxParser.wordNamespaces.contains(uri) {
                wordPrefix = name
                valAttribute = (name + Array(":val".utf8)).map { asciiLower($0) }
            } else if uri == DocxParser.compatibilityNamespace {
                compatibilityPrefix = name
            }
            i = v + 1
        }
    }

    private func classify(_ t: HTMLToken) -> DocxTag {
        var colon = t.nameStart
        while colon < t.nameEnd && buf[colon] != 0x3A { colon += 1 }
        guard colon < t.nameEnd else { return .other }
        let plen = colon - t.nameStart
        let local = NameKey(buf, colon + 1, t.nameEnd)
        if plen == wordPrefix.count && prefixMatches(t.nameStart, wordPrefix) {
            return DocxTag.lookup(local: local, word: true)
        }
        if plen == compatibilityPrefix.count && prefixMatches(t.nameStart, compatibilityPrefix) {
            return DocxTag.lookup(local: local, word: false)
        }
        return .other
    }

    private func prefixMatches(_ at: Int, _ prefix: [UInt8]) -> Bool {
        for k in 0..<prefix.count where buf[at + k] != prefix[k] { return false }
        return true
    }

    private func value(_ t: HTMLToken) -> Range<Int>? {
        attributes.attribute(valAttribute, of: t)
    }

    // MARK: Text

    /// Runs `body` on the accumulator that currently receives text.
    private func withSink<R>(_ body: (inout TextAccumulator) -> R) -> R? {
        if let tb = tables.last {
            return tb.cellOpen ? body(&tb.cell) : nil
        }
        return body(&para)
    }

    private func skip() { skipDepth = stack.count }

    // MARK: Elements

    private func start(_ tag: DocxTag, _ t: HTMLToken, parent: DocxTag) {
        if ignoredTables > 0 || (tag == .tbl && tables.count >= Self.maxTableDepth) {
            if flattened(tag, depth: t.selfClosing ? 0 : 1) { return }
        }
        switch tag {
        case .t:
            inText = !t.selfClosing
        case .delText, .instrText, .moveFrom:
            if !t.selfClosing { skip() }
        case .tab:
            if parent == .r { _ = withSink { $0.append(scalar: 0x20) } }
        case .ptab:
            _ = withSink { $0.append(scalar: 0x20) }
        case .noBreakHyphen:
            _ = withSink { $0.append(scalar: 0x2D) }
        case .alternateContent:
            if !t.selfClosing { alternateTaken.append(false) }
        case .choice, .fallback:
            guard !t.selfClosing, parent == .alternateContent, !alternateTaken.isEmpty else { return }
            if alternateTaken[alternateTaken.count - 1] { skip() } else { alternateTaken[alternateTaken.count - 1] = true }
        case .p:
            openParagraph(t)
            if t.selfClosing { closeParagraph(end: t.end) }
        case .tbl:
            openTable(t)
            if t.selfClosing, let tb = tables.last { closeTable(tb, end: t.end) }
        case .tr:
            guard let tb = tables.last else { return }
            closeCell(tb, end: t.start)
            closeRow(tb, end: t.start)
            ordinal += 1
            tb.rowOpen = true
            tb.rowStart = t.start
            tb.rowOrdinal = ordinal
            tb.nextColumn = 0
            if t.selfClosing { closeRow(tb, end: t.end) }
        case .tc:
            guard let tb = tables.last else { return }
            closeCell(tb, end: t.start)
            if !tb.rowOpen {
                ordinal += 1
                tb.rowOpen = true
                tb.rowStart = t.start
                tb.rowOrdinal = ordinal
            }
            tb.cellOpen = true
            tb.cellParagraphs = 0
            tb.cellStart = t.start
            tb.cellColumn = tb.nextColumn
            tb.cellGridSpan = 1
            tb.vMerge = 0
            tb.hMergeContinue = false
            if t.selfClosing { closeCell(tb, end: t.end) }
        case .gridSpan:
            guard let tb = tables.last, tb.cellOpen, let n = integer(t) else { return }
            tb.cellGridSpan = min(max(n, 1), 1000)
        case .vMerge, .hMerge:
            guard let tb = tables.last, tb.cellOpen else { return }
            let restart = value(t).map { equals($0, "restart") } ?? false
            if tag == .vMerge { tb.vMerge = restart ? 1 : 2 } else { tb.hMergeContinue = !restart }
        case .gridBefore:
            guard let tb = tables.last, tb.rowOpen, tb.rowCells.isEmpty, !tb.cellOpen, let n = integer(t) else { return }
            tb.nextColumn = min(max(n, 0), 1000)
        default:
            break
        }
    }

    /// Inside a table nested too deep: its own table, row and cell elements only separate
    /// text in the deepest kept cell. Returns whether the element was handled here.
    /// `depth` is +1 for a table's start tag, -1 for its end tag, 0 for an empty one.
    private func flattened(_ tag: DocxTag, depth: Int) -> Bool {
        switch tag {
        case .tbl:
            ignoredTables = max(0, ignoredTables + depth)
        case .tr, .tc, .gridSpan, .vMerge, .hMerge, .gridBefore:
            break
        default:
            return false
        }
        if let tb = tables.last, tb.cellOpen { tb.cell.boundary() }
        return true
    }

    private func end(_ tag: DocxTag, _ t: HTMLToken) {
        if ignoredTables > 0, flattened(tag, depth: -1) { return }
        switch tag {
        case .t: inText = false
        case .alternateContent: _ = alternateTaken.popLast()
        case .p: closeParagraph(end: t.end)
        case .tbl: if let tb = tables.last { closeTable(tb, end: t.end) }
        case .tr: if let tb = tables.last { closeCell(tb, end: t.start); closeRow(tb, end: t.end) }
        case .tc: if let tb = tables.last { closeCell(tb, end: t.end) }
        default: break
        }
    }

    private func equals(_ r: Range<Int>, _ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard r.count == bytes.count else { return false }
        for k in 0..<bytes.count where buf[r.lowerBound + k] != bytes[k] { return false }
        return true
    }

    private func integer(_ t: HTMLToken) -> Int? {
        attributes.integerAttribute(valAttribute, of: t)
    }

    // MARK: Paragraphs

    private func openParagraph(_ t: HTMLToken) {
        if let tb = tables.last {
            if tb.cellOpen {
                if tb.cellParagraphs > 0 { tb.cell.boundary() }
                tb.cellParagraphs += 1
            }
            return
        }
        if paraDepth == 0 {
            ordinal += 1
            paraOrdinal = ordinal
            paraStart = t.start
        } else {
            para.boundary(space: true) // a text-box paragraph inside a paragraph
        }
        paraDepth += 1
    }

    private func closeParagraph(end: Int) {
        if let tb = tables.last {
            if tb.cellOpen { tb.cell.boundary() }
            return
        }
        guard paraDepth > 0 else { return }
        paraDepth -= 1
        if paraDepth > 0 { para.boundary(space: true); return }
        if para.hasText {
            let span = SourceSpan(line: paraOrdinal, endLine: paraOrdinal, byteStart: paraStart, byteEnd: end)
            blocks.append(.paragraph(Paragraph(text: para.take(), span: span)))
        } else {
            _ = para.take()
        }
        blocks.append(contentsOf: afterParagraph)
        afterParagraph.removeAll()
    }

    // MARK: Tables

    private func openTable(_ t: HTMLToken) {
        if let tb = tables.last, tb.cellOpen { tb.cell.boundary() }
        tables.append(DocxTableBuilder(start: t.start, firstOrdinal: ordinal + 1))
    }

    private func closeTable(_ tb: DocxTableBuilder, end: Int) {
        closeCell(tb, end: end)
        closeRow(tb, end: end)
        tables.removeLast()
        let rows = tb.assembler.finish()
        var out: [Block] = []
        if !rows.isEmpty {
            let span = SourceSpan(line: tb.firstOrdinal, endLine: max(tb.firstOrdinal, ordinal), byteStart: tb.start, byteEnd: end)
            out.append(.table(Table(rows: rows, span: span)))
        }
        out.append(contentsOf: tb.after)
        if let parent = tables.last {
            parent.after.append(contentsOf: out)
            if parent.cellOpen { parent.cell.boundary() }
        } else if paraDepth > 0 {
            afterParagraph.append(contentsOf: out) // a table in a text box
        } else {
            blocks.append(contentsOf: out)
        }
    }

    private func closeRow(_ tb: DocxTableBuilder, end: Int) {
        guard tb.rowOpen else { return }
        let row = tb.assembler.groupRowCount
        let span = SourceSpan(line: tb.rowOrdinal, endLine: tb.rowOrdinal, byteStart: tb.rowStart, byteEnd: end)
        tb.assembler.add(cells: &tb.rowCells, span: span)
        tb.rowOpen = false
        tb.nextColumn = 0
        // A vertical merge ends where a row does not continue it.
        tb.origins = tb.origins.filter { $0.value.lastRow >= row }
    }

    private func closeCell(_ tb: DocxTableBuilder, end: Int) {
        guard tb.cellOpen else { return }
        tb.cellOpen = false
        let text = tb.cell.take()
        let row = tb.assembler.groupRowCount
        let column = tb.cellColumn
        let gridSpan = tb.cellGridSpan
        tb.nextColumn = column + gridSpan
        let span = SourceSpan(line: tb.rowOrdinal, endLine: tb.rowOrdinal, byteStart: tb.cellStart, byteEnd: end)
        if tb.vMerge == 2, let origin = tb.origins[column], origin.row < row {
            tb.assembler.updateCell(row: origin.row, cell: origin.cell) { c in
                c.rowSpan += 1
                c.text += text
                c.span = c.span.union(span)
            }
            tb.origins[column]?.lastRow = row
            return
        }
        if tb.hMergeContinue, !tb.rowCells.isEmpty {
            let last = tb.rowCells.count - 1
            tb.rowCells[last].columnSpan += gridSpan
            tb.rowCells[last].text += text
            tb.rowCells[last].span = tb.rowCells[last].span.union(span)
            return
        }
        if !tb.origins.isEmpty { // a plain cell ends the vertical merges it covers
            let covered = column..<(column + gridSpan)
            tb.origins = tb.origins.filter { !covered.contains($0.key) }
        }
        if tb.vMerge != 0 { // restart (or a continuation with nothing to continue)
            tb.origins[column] = DocxTableBuilder.Origin(row: row, cell: tb.rowCells.count, lastRow: row)
        }
        tb.rowCells.append(TableCell(text: text, span: span, column: column, columnSpan: gridSpan, rowSpan: 1))
    }
}
