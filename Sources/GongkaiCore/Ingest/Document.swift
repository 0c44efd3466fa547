/// Where a piece of a report came from, so every number can be traced back to the file.
///
/// Lines are 1-based and inclusive; bytes are a half-open range into the file as read
/// (for HTML/DOCX the byte range points into the decoded markup, for PDF into the
/// `pdftotext` output). Either may be absent when a reader cannot tell.
public struct SourceSpan: Sendable, Hashable, Codable {
    /// First line (1-based) the piece occupies.
    public var line: Int
    /// Last line (1-based, inclusive).
    public var endLine: Int
    /// Byte offset of the first byte, when known.
    public var byteStart: Int?
    /// Byte offset one past the last byte, when known.
    public var byteEnd: Int?
    /// PDF page (1-based), when the source is paginated.
    public var page: Int?

    /// Creates a span covering `line...endLine` and optionally a byte range.
    public init(line: Int, endLine: Int? = nil, byteStart: Int? = nil, byteEnd: Int? = nil, page: Int? = nil) {
        self.line = line
        self.endLine = endLine ?? line
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.page = page
    }

    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        var s = SourceSpan(line: min(line, other.line), endLine: max(endLine, other.endLine), page: page ?? other.page)
        switch (byteStart, other.byteStart) {
        case let (a?, b?): s.byteStart = min(a, b)
        case let (a, b): s.byteStart = a ?? b
        }
        switch (byteEnd, other.byteEnd) {
        case let (a?, b?): s.byteEnd = max(a, b)
        case let (a, b): s.byteEnd = a ?? b
        }
        return s
    }

    /// Human-readable form, e.g. `L12` or `L12-14 B300-420` (`p3 L12` with a page).
    ///
    /// Written byte by byte: the store writes a report's distinct spans in this form, and
    /// string interpolation made that a sixtieth of an ingest's CPU.
    public var description: String {
        String(unsafeUninitializedCapacity: Self.longestText) { write(into: $0) }
    }

    /// The most bytes ``description`` can take (107).
    static let longestText = 128

    /// Writes ``description``'s UTF-8 into `out` (at least ``longestText`` bytes); the
    /// number of bytes written.
    func write(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        func put(_ c: Unicode.Scalar) { out[n] = UInt8(ascii: c); n += 1 }
        func put(_ v: Int) {
            if v < 0 { put("-") }
            let digits = DecimalDigits.count(UInt64(v.magnitude))
            DecimalDigits.write(UInt64(v.magnitude), count: digits, into: out, endingAt: n + digits)
            n += digits
        }
        if let p = page { put("p"); put(p); put(" ") }
        put("L"); put(line)
        if line != endLine { put("-"); put(endLine) }
        if let a = byteStart, let b = byteEnd { put(" "); put("B"); put(a); put("-"); put(b) }
        return n
    }
}

/// The file formats Gongkai reads. Each has one reader producing a ``Document``.
public enum DocumentFormat: String, Sendable, Codable, CaseIterable {
    /// Plain text: pdftotext output, crawled page text, markdown/OCR with pipe tables.
    case text
    /// An HTML page or fragment (including Word-exported HTML).
    case html
    /// A PDF, read through poppler's `pdftotext`.
    case pdf
    /// A Word document (Office Open XML).
    case docx
}

/// One model for every input format: an ordered list of paragraphs and tables.
///
/// Readers only have to produce a `Document`; the template matcher works once, on this
/// model, for all formats.
public struct Document: Sendable {
    /// The path as the user gave it.
    public var source: String
    /// The format the reader recognised.
    public var format: DocumentFormat
    /// Paragraphs and tables in reading order.
    public var blocks: [Block]

    /// Creates a document.
    public init(source: String, format: DocumentFormat, blocks: [Block]) {
        self.source = source
        self.format = format
        self.blocks = blocks
    }
}

/// A paragraph or a table, in reading order.
public enum Block: Sendable {
    /// Running text (a line of a text file, a `<p>` of HTML, a `w:p` of DOCX).
    case paragraph(Paragraph)
    /// A table as a grid of cells.
    case table(Table)
}

/// Running text with its span.
public struct Paragraph: Sendable {
    /// The text, with markup removed and entities decoded.
    public var text: String
    /// Where it came from.
    public var span: SourceSpan

    /// Creates a paragraph.
    public init(text: String, span: SourceSpan) {
        self.text = text
        self.span = span
    }
}

/// A table as rows of cells.
///
/// A row lists only the cells that *start* in that row (HTML semantics): a cell with
/// `rowSpan > 1` appears once, in its first row. ``TableCell/column`` is the grid column the
/// cell starts in, computed by the reader with row and column spans taken into account, so
/// consumers can use either the positional view (cells in order) or the grid view.
public struct Table: Sendable {
    /// The rows, top to bottom.
    public var rows: [TableRow]
    /// Where the whole table came from.
    public var span: SourceSpan

    /// Creates a table.
    public init(rows: [TableRow], span: SourceSpan) {
        self.rows = rows
        self.span = span
    }
}

/// One row of a ``Table``.
public struct TableRow: Sendable {
    /// Cells starting in this row, left to right. A blank cell is present with empty text.
    public var cells: [TableCell]
    /// Where the row came from.
    public var span: SourceSpan

    /// Creates a row.
    public init(cells: [TableCell], span: SourceSpan) {
        self.cells = cells
        self.span = span
    }
}

/// One cell of a table: its text (blank cells have empty text) and its place in the grid.
public struct TableCell: Sendable {
    /// The cell's text with markup removed; line breaks inside the cell are removed.
    public var text: String
    /// Where it came from.
    public var span: SourceSpan
    /// The grid column (0-based) the cell starts in.
    public var column: Int
    /// How many grid columns it covers.
    public var columnSpan: Int
    /// How many rows it covers.
    public var rowSpan: Int

    /// Creates a cell.
    public init(text: String, span: SourceSpan, column: Int, columnSpan: Int = 1, rowSpan: Int = 1) {
        self.text = text
        self.span = span
        self.column = column
        self.columnSpan = columnSpan
        self.rowSpan = rowSpan
    }
}

/// Why a file could not be turned into a report. Every case names what went wrong in words
/// a user can act on.
public struct IngestError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A short machine-readable category.
    public enum Kind: String, Sendable {
        case unreadable, empty, binary, unsupported, tooLarge, toolMissing, malformed, notAReport
    }
    /// The category.
    public var kind: Kind
    /// The explanation shown to the user.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// A format reader: bytes of one file in, a ``Document`` out.
public protocol DocumentReader: Sendable {
    /// Reads `data` (the whole file) that came from `source`.
    func read(_ data: [UInt8], source: String) throws(IngestError) -> Document
}
