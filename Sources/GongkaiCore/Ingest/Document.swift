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
