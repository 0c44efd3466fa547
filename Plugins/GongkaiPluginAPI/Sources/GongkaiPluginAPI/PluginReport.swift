/// A parsed report as plugins see it: metadata, every canonical cell, and the narrative.
///
/// Cells are keyed by the canonical keys of the schema (`applications.granted.natural_person`);
/// a blank cell is `.null`, a not-applicable mark is `.text("na")`, money is in 万元.
public struct PluginReport: Sendable {
    /// Where the narrative text of a paragraph came from.
    public struct Span: Sendable, Hashable {
        /// First line (1-based).
        public var line: Int
        /// Last line (1-based, inclusive).
        public var endLine: Int
        /// Creates a span.
        public init(line: Int, endLine: Int) {
            self.line = line
            self.endLine = endLine
        }
    }

    /// A narrative paragraph.
    public struct Paragraph: Sendable {
        /// The text.
        public var text: String
        /// Where it is in the file.
        public var span: Span
        /// Creates a paragraph.
        public init(text: String, span: Span) {
            self.text = text
            self.span = span
        }
    }

    /// The file the report came from.
    public var source: String
    /// Template generation, "2019" or "2021".
    public var generation: String
    /// Report year.
    public var year: Int?
    /// Publishing body.
    public var agency: String?
    /// Province / city / county.
    public var province: String?, city: String?, county: String?
    /// Every canonical cell of the generation.
    public var cells: [String: PluginValue]
    /// The narrative paragraphs, in order.
    public var narrative: [Paragraph]
    /// What pair tables prepared from this report (``PluginTable/prepare``), by table name:
    /// set by the host before the view is shared. A plugin reading it checks that the view
    /// still holds what the value was made from (a changed copy keeps the values).
    public var prepared: [String: any Sendable] = [:]

    /// Creates a report view.
    public init(source: String, generation: String, year: Int?, agency: String?, province: String?, city: String?, county: String?,
                cells: [String: PluginValue], narrative: [Paragraph]) {
        self.source = source
        self.generation = generation
        self.year = year
        self.agency = agency
        self.province = province
        self.city = city
        self.county = county
        self.cells = cells
        self.narrative = narrative
    }

    /// The value of a canonical key (`.null` when absent).
    public subscript(_ key: String) -> PluginValue { cells[key] ?? .null }

    /// The whole narrative as one text, paragraphs separated by newlines.
    public var narrativeText: String { narrative.map(\.text).joined(separator: "\n") }
}
