import Foundation

/// One cell as the workspace stores it: the long-form `cells` row of a report.
public struct StoredCell: Sendable, Hashable {
    /// The canonical key.
    public var key: CellKey
    /// `number`, `blank` or `na` (the `kind` column).
    public var kind: Kind
    /// The number (normalised, as the `value` column holds it), nil unless `kind` is `number`.
    public var value: Quantity?
    /// The text as printed.
    public var raw: String
    /// Where in the file, as ``SourceSpan/description`` wrote it.
    public var span: String?
    /// Why the parser could not settle the cell, or nil.
    public var uncertain: String?

    /// The three kinds of cell value, under the names the `kind` column uses.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// A number.
        case number = 0
        /// An empty cell.
        case blank = 1
        /// A not-applicable mark.
        case notApplicable = 2

        /// The `kind` column's text.
        public var name: String {
            switch self {
            case .number: return "number"
            case .blank: return "blank"
            case .notApplicable: return "na"
            }
        }

        /// The kind of a parsed cell's value.
        public init(_ value: CellValue) {
            switch value {
            case .number: self = .number
            case .blank: self = .blank
            case .notApplicable: self = .notApplicable
            }
        }

        /// The kind named `name` (`number`, `blank`, `na`); nil for anything else.
        public init?(name: String) {
            guard let k = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = k
        }
    }

    /// Creates a stored cell.
    public init(key: CellKey, kind: Kind, value: Quantity?, raw: String, span: String?, uncertain: String?) {
        self.key = key
        self.kind = kind
        self.value = value
        self.raw = raw
        self.span = span
        self.uncertain = uncertain
    }

    /// The value as a ``CellValue`` (a `number` without a value reads as blank).
    public var cellValue: CellValue {
        switch kind {
        case .number: return value.map(CellValue.number) ?? .blank
        case .blank: return .blank
        case .notApplicable: return .notApplicable
        }
    }
}

/// The byte format of one report's cells in `cell_sets.cells`.
///
/// Long form, a report's 200 cells were 200 SQLite rows: half of the ingest writer's time
/// and most of the workspace file. Packed, they are one blob of about 1 KB, written with one
/// insert. Keys are small integers (``CellStore``, table `cell_keys`), spans are listed once per report
/// (a row's cells share one), and a raw text equal to the value's digits is not repeated.
///
/// Layout (varints are LEB128; signed ones zigzag-encoded):
/// `format(1)` · `spanCount` · spans (`length`, UTF-8) · `cellCount` · cells, each
/// `keyCode` · `flags` · [`mantissa`(signed) `scale`(signed)] · [`length`, raw] · [`spanIndex`] · [`length`, uncertain],
/// where `flags` holds the kind in bits 0–1 and bits for: has value (2), raw is the value's
/// text (3), has span (4), has uncertain (5). Cells are in key order (table, row, column),
/// the order the `cells` table is read in.
enum PackedCells {
    static let format: UInt8 = 1

    private static let hasValue: UInt8 = 1 << 2
    private static let rawIsValue: UInt8 = 1 << 3
    private static let hasSpan: UInt8 = 1 << 4
    private static let hasUncertain: UInt8 = 1 << 5

    /// A report's distinct spans in order of first use, each described once (as the blob
    /// lists them: length, then UTF-8). Consecutive cells (a row's) usually share a span, so
    /// the last one is checked before hashing; the others are found in a small
    /// open-addressing table of ``PackedSpan/spanHash`` (a `Dictionary` of spans, hashed
    /// with SipHash, was a tenth of storing a report's cells).
    struct SpanList<Span: PackedSpan> {
        private var spans: [Span] = []
        /// Indexes into `spans` (-1: free), a power of two at least twice their count.
        private var slots: [Int32]
        private var last = -1
        /// The listed spans' texts, each as its length and UTF-8 bytes.
        private(set) var bytes: [UInt8] = []

        /// How many spans are listed.
        var count: Int { spans.count }

        /// An empty list with room for `capacity` distinct spans.
        init(capacity: Int = 0) {
            var size = 16
            while size < 2 * capacity { size *= 2 }
            slots = [Int32](repeating: -1, count: size)
            spans.reserveCapacity(capacity)
            bytes.reserveCapacity(capacity * 12)
        }

        /// The index of `span`, listing it when it is new.
        mutating func index(of span: Span) -> Int {
            if last >= 0, spans[last] == span { return last }
            if 2 * (spans.count + 1) > slots.count { grow() }
            var s = slot(span), mask = slots.count - 1
            while slots[s] >= 0 {
                let i = Int(slots[s])
                if spans[i] == span { last = i; return i }
                s = (s + 1) & mask
            }
            last = spans.count
            slots[s] = Int32(last)
            spans.append(span)
            span.appendListed(to: &bytes)
            return last
        }

        private func slot(_ span: Span) -> Int {
            Int(truncatingIfNeeded: (span.spanHash &* 0x9E37_79B9_7F4A_7C15) >> 32) & (slots.count - 1)
        }

        private mutating func grow() {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for (i, span) in spans.enumerated() {
                var s = slot(span)
                while slots[s] >= 0 { s = (s + 1) & mask }
                slots[s] = Int32(i)
            }
        }
    }

    /// Writes one report's blob cell by cell, in key order.
    struct Writer<Span: PackedSpan> {
        private var spans: SpanList<Span>
        private var body: [UInt8] = []
        private var count = 0

        /// A writer with room for `capacity` cells.
        init(capacity: Int) {
            spans = SpanList(capacity: capacity)
            body.reserveCapacity(capacity * 6)
        }

        /// Adds the next cell (`value` normalised).
        mutating func append(code: Int, kind: StoredCell.Kind, value: Quantity?, raw: String, span: Span?, uncertain: String?) {
            count += 1
            PackedCells.putVarint(UInt64(code), &body)
            var flags = kind.rawValue
            if value != nil { flags |= PackedCells.hasValue }
            let rawShared = value.map { PackedCells.isText(of: $0, raw) } ?? false
            if rawShared { flags |= PackedCells.rawIsValue }
            if span != nil { flags |= PackedCells.hasSpan }
            if uncertain != nil { flags |= PackedCells.hasUncertain }
            body.append(flags)
            if let q = value {
                PackedCells.putVarint(PackedCells.zigzag(q.mantissa), &body)
                PackedCells.putVarint(PackedCells.zigzag(Int64(q.scale)), &body)
            }
            if !rawShared { PackedCells.putText(raw, &body) }
            if let s = span { PackedCells.putVarint(UInt64(spans.index(of: s)), &body) }
            if let u = uncertain { PackedCells.putText(u, &body) }
        }

        /// The blob of the cells added.
        var blob: [UInt8] {
            var out: [UInt8] = [PackedCells.format]
            out.reserveCapacity(12 + spans.bytes.count + body.count)
            PackedCells.putVarint(UInt64(spans.count), &out)
            out.append(contentsOf: spans.bytes)
            PackedCells.putVarint(UInt64(count), &out)
            out.append(contentsOf: body)
            return out
        }
    }

    /// Encodes cells (already in key order) whose keys have the codes `codes`.
    static func encode(_ cells: [StoredCell], codes: [Int]) -> [UInt8] {
        var writer = Writer<String>(capacity: cells.count)
        for (c, code) in zip(cells, codes) {
            writer.append(code: code, kind: c.kind, value: c.value, raw: c.raw, span: c.span, uncertain: c.uncertain)
        }
        return writer.blob
    }

    /// Whether `raw` is `q`'s text (``Quantity/description``), compared digit by digit
    /// without making it.
    static func isText(of q: Quantity, _ raw: String) -> Bool {
        let n = q.normalized
        let sign = n.mantissa < 0 ? 1 : 0
        var m = n.mantissa.magnitude
        let whole = n.scale > 0 ? max(DecimalDigits.count(m) - n.scale, 1) : DecimalDigits.count(m)
        let length = sign + whole + (n.scale > 0 ? 1 + n.scale : 0)
        guard raw.utf8.count == length else { return false }
        var raw = raw
        return raw.withUTF8 { r in
            var k = length - 1
            func digit() -> Bool {
                defer { m /= 10; k -= 1 }
                return r[k] == UInt8(ascii: "0") + UInt8(m % 10)
            }
            if n.scale > 0 {
                for _ in 0..<n.scale where !digit() { return false }
                guard r[k] == UInt8(ascii: ".") else { return false }
                k -= 1
            }
            for _ in 0..<whole where !digit() { return false }
            return sign == 0 || r[0] == UInt8(ascii: "-")
        }
    }

    /// What ``decode(_:visit:)`` hands over for each cell, without making strings the caller
    /// may not need: texts are byte ranges of the blob.
    struct RawCell {
        var keyCode: Int
        var kind: StoredCell.Kind
        var value: Quantity?
        /// The raw text's bytes, or nil when it is the value's text (`value!.description`).
        var raw: UnsafeBufferPointer<UInt8>?
        /// Index into the report's span list.
        var spanIndex: Int?
        var uncertain: UnsafeBufferPointer<UInt8>?
    }

    /// A malformed blob.
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "the packed cells of a report are malformed" }
    }

    /// Decodes one blob: `spans` gets the report's span texts, then `visit` each cell.
    static func decode(_ blob: UnsafeBufferPointer<UInt8>, spans: ([UnsafeBufferPointer<UInt8>]) throws -> Void,
                       visit: (RawCell) throws -> Void) throws {
        var r = Reader(bytes: blob)
        guard try r.byte() == format else { throw Malformed() }
        let spanCount = try r.count()
        var spanTexts: [UnsafeBufferPointer<UInt8>] = []
        spanTexts.reserveCapacity(spanCount)
        for _ in 0..<spanCount { spanTexts.append(try r.text()) }
        try spans(spanTexts)
        let n = try r.count()
        for _ in 0..<n {
            let code = try r.count()
            let flags = try r.byte()
            guard let kind = StoredCell.Kind(rawValue: flags & 3) else { throw Malformed() }
            var cell = RawCell(keyCode: code, kind: kind)
            if flags & hasValue != 0 {
                let m = unzigzag(try r.varint())
                let s = unzigzag(try r.varint())
                guard let scale = Int(exactly: s) else { throw Malformed() }
                cell.value = Quantity(mantissa: m, scale: scale)
            }
            if flags & rawIsValue == 0 { cell.raw = try r.text() } else if cell.value == nil { throw Malformed() }
            if flags & hasSpan != 0 {
                let i = try r.count()
                guard i < spanCount else { throw Malformed() }
                cell.spanIndex = i
            }
            if flags & hasUncertain != 0 { cell.uncertain = try r.text() }
            try visit(cell)
        }
        guard r.atEnd else { throw Malformed() }
    }

    /// Decodes one blob into cells, with `keys` mapping key codes to keys.
    static func cells(_ blob: [UInt8], keys: (Int) throws -> CellKey) throws -> [StoredCell] {
        try blob.withUnsafeBufferPointer { p in
            var spanTexts: [String] = []
            var out: [StoredCell] = []
            try decode(p, spans: { spanTexts = $0.map { String(decoding: $0, as: UTF8.self) } }) { c in
                out.append(StoredCell(key: try keys(c.keyCode), kind: c.kind, value: c.value,
                                      raw: c.raw.map { String(decoding: $0, as: UTF8.self) } ?? c.value!.description,
                                      span: c.spanIndex.map { spanTexts[$0] },
                                      uncertain: c.uncertain.map { String(decoding: $0, as: UTF8.self) }))
            }
            return out
        }
    }

    // MARK: - Bytes

    private static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    private static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    static func putVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func putText(_ s: String, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            putVarint(UInt64(u.count), &out)
            out.append(contentsOf: u)
        }
    }

    /// A cursor over a blob; every read checks the bounds.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        var atEnd: Bool { at == bytes.count }

        mutating func byte() throws -> UInt8 {
            guard at < bytes.count else { throw Malformed() }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func varint() throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw Malformed() }
                v |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return v }
                shift += 7
            }
        }

        /// A varint used as a count, length or index: bounded by the blob's size.
        mutating func count() throws -> Int {
            let v = try varint()
            guard v <= UInt64(bytes.count) * 8 + 1_000_000 else { throw Malformed() }
            return Int(v)
        }

        mutating func text() throws -> UnsafeBufferPointer<UInt8> {
            let n = try count()
            guard n <= bytes.count - at else { throw Malformed() }
            defer { at += n }
            return UnsafeBufferPointer(rebasing: bytes[at..<(at + n)])
        }
    }
}

extension PackedCells.RawCell {
    init(keyCode: Int, kind: StoredCell.Kind) {
        self.keyCode = keyCode
        self.kind = kind
    }
}
