/// Who published a report, for which year, and where.
public struct ReportMetadata: Sendable, Hashable {
    /// The publishing body, e.g. 中卫市沙坡头区统计局.
    public var agency: String?
    /// The year the report covers (from the title or statistics period, not the publishing date).
    public var year: Int?
    /// Province / city / county, where the text or agency name tells.
    public var region: Region
    /// The report's title as printed, when found.
    public var title: String?

    /// Creates metadata.
    public init(agency: String? = nil, year: Int? = nil, region: Region = Region(), title: String? = nil) {
        self.agency = agency
        self.year = year
        self.region = region
        self.title = title
    }
}

/// A parsed annual report: metadata, every canonical cell of its generation, what could not
/// be settled, the findings of the checks, and the narrative text for analysis plugins.
public struct Report: Sendable {
    /// The path as given.
    public var source: String
    /// The input format.
    public var format: DocumentFormat
    /// The template generation, from the labels.
    public var generation: Generation
    /// Agency, year, region.
    public var metadata: ReportMetadata
    /// Every canonical key of the generation, in template order.
    public var cells: [Cell]
    /// Cells the parser could not settle.
    public var uncertain: [Uncertainty]
    /// Results of the checks.
    public var findings: [Finding]
    /// The narrative paragraphs (outside the three tables), in order, with spans.
    public var narrative: [Paragraph]

    /// Creates a report.
    public init(source: String, format: DocumentFormat, generation: Generation, metadata: ReportMetadata,
                cells: [Cell], uncertain: [Uncertainty] = [], findings: [Finding] = [], narrative: [Paragraph] = []) {
        self.source = source
        self.format = format
        self.generation = generation
        self.metadata = metadata
        self.cells = cells
        self.uncertain = uncertain
        self.findings = findings
        self.narrative = narrative
    }

    /// The cell for a key, if the generation has it.
    public subscript(key: CellKey) -> Cell? {
        cells.first { $0.key == key }
    }

    /// The value of `table.row.column`, if the generation has it.
    public func value(_ table: ReportTable, _ row: String, _ column: String) -> CellValue? {
        self[CellKey(table, row, column)]?.value
    }

    /// Whether any identity of the template fails as printed.
    public var hasFailedIdentity: Bool { findings.contains { $0.isIdentityFailure } }
}
