/// What a report prints in a cell: a number, nothing, or a not-applicable mark.
///
/// Blank and zero are different facts and stay different.
public enum CellValue: Sendable, Hashable {
    /// A number (counts are integers; money is in 万元).
    case number(Quantity)
    /// The report leaves the cell empty.
    case blank
    /// The report prints a not-applicable mark (`/`, `—`, `-`, `无`).
    case notApplicable

    /// The number, when there is one.
    public var quantity: Quantity? {
        if case .number(let q) = self { return q }
        return nil
    }

    /// The value used in identity sums: blank and not-applicable count as 0.
    public var sumValue: Quantity { quantity ?? .zero }
}

/// One canonical cell of a parsed report: its value, the text it was read from and where.
public struct Cell: Sendable {
    /// The canonical key.
    public var key: CellKey
    /// The value.
    public var value: CellValue
    /// The text exactly as printed (for a digit run: the digits this cell took).
    public var raw: String
    /// Where the text is in the source file, when known.
    public var span: SourceSpan?

    /// Creates a cell.
    public init(key: CellKey, value: CellValue, raw: String, span: SourceSpan?) {
        self.key = key
        self.value = value
        self.raw = raw
        self.span = span
    }

    /// Whether `cells[i]` has the key `keys[k]` (``CellKey/equal(_:_:)``: no copies).
    @inline(__always)
    static func hasKey(_ keys: UnsafeBufferPointer<CellKey>, _ k: Int, of cells: UnsafeBufferPointer<Cell>, _ i: Int) -> Bool {
        let cellKey = (UnsafeRawPointer(cells.baseAddress! + i) + keyOffset).assumingMemoryBound(to: CellKey.self)
        return CellKey.equal(keys.baseAddress! + k, cellKey)
    }

    /// Where ``key`` lies in a cell's memory.
    private static let keyOffset = MemoryLayout<Cell>.offset(of: \Cell.key)!
}

/// A cell the parser could not settle from the file alone, with the reason and the
/// alternatives it considered. The cell still carries the most plausible reading.
public struct Uncertainty: Sendable, Hashable {
    /// The cell.
    public var key: CellKey
    /// Why it is uncertain.
    public var reason: String
    /// Other readings that fit equally well (values as text).
    public var alternatives: [String]

    /// Creates an uncertainty note.
    public init(key: CellKey, reason: String, alternatives: [String] = []) {
        self.key = key
        self.reason = reason
        self.alternatives = alternatives
    }
}
