/// The two template generations of the annual report, fixed by the State Council's
/// disclosure office. Recognised from the labels a report prints, never from its year.
public enum Generation: String, Sendable, Codable, CaseIterable, Comparable {
    /// 国办公开办函〔2019〕60号: used for report years 2019 and 2020.
    case v2019 = "2019"
    /// 国办公开办函〔2021〕30号: used from report year 2021.
    case v2021 = "2021"

    /// Orders generations chronologically.
    public static func < (a: Generation, b: Generation) -> Bool { a.rawValue < b.rawValue }
}

/// The three standard tables of a report.
public enum ReportTable: String, Sendable, Codable, CaseIterable {
    /// Section 二, 主动公开政府信息情况.
    case proactive
    /// Section 三, 收到和处理政府信息公开申请情况.
    case applications
    /// Section 四, 行政复议、行政诉讼情况.
    case reviews
}

/// A canonical cell name, `table.row.column` (e.g. `applications.granted.natural_person`).
///
/// These keys are the contract between the parser, the store, the query language, the
/// plugins and the JSON export.
public struct CellKey: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The table the cell belongs to.
    public var table: ReportTable { didSet { digest = Self.digest(table, row, column) } }
    /// The row key, e.g. `granted`.
    public var row: String { didSet { digest = Self.digest(table, row, column) } }
    /// The column key, e.g. `natural_person`.
    public var column: String { didSet { digest = Self.digest(table, row, column) } }

    /// The hash of the three parts, computed whenever they are set. Parsing and checking a
    /// report look keys up in dictionaries hundreds of times; with the digest each look-up
    /// hashes one integer instead of two strings, and unequal keys rarely compare strings.
    private var digest: Int

    /// Creates a key from its parts.
    public init(_ table: ReportTable, _ row: String, _ column: String) {
        self.table = table
        self.row = row
        self.column = column
        digest = Self.digest(table, row, column)
    }

    private static func digest(_ table: ReportTable, _ row: String, _ column: String) -> Int {
        var h = Hasher()
        h.combine(table)
        h.combine(row)
        h.combine(column)
        return h.finalize()
    }

    /// Hashes the digest (equal keys have equal digests).
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// `a.pointee == b.pointee`, reading the keys where they lie: `==` on keys held in
    /// arrays copies them, retaining and releasing four strings, which was most of the cost
    /// of placing a parsed report's 200 cells by template position.
    @inline(__always)
    static func equal(_ a: UnsafePointer<CellKey>, _ b: UnsafePointer<CellKey>) -> Bool {
        a.pointee.digest == b.pointee.digest && a.pointee.table == b.pointee.table
            && a.pointee.row == b.pointee.row && a.pointee.column == b.pointee.column
    }

    /// Equal when table, row and column are.
    public static func == (a: CellKey, b: CellKey) -> Bool {
        a.digest == b.digest && a.table == b.table && a.row == b.row && a.column == b.column
    }

    /// Parses `table.row.column`; nil when the text is not of that shape.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let t = ReportTable(rawValue: String(parts[0])) else { return nil }
        self.init(t, String(parts[1]), String(parts[2]))
    }

    /// The dotted form.
    public var description: String { "\(table.rawValue).\(row).\(column)" }

    /// Orders keys by their dotted text.
    public static func < (a: CellKey, b: CellKey) -> Bool { a.description < b.description }

    /// Encodes as the dotted string.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes from the dotted string.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let k = CellKey(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a cell key: \(s)")
        }
        self = k
    }
}
