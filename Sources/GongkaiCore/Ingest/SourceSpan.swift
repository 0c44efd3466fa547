/// Where a piece of a report came from, so every number can be traced back to the file.
///
/// Lines are 1-based and inclusive; bytes are a half-open range into the file as read
/// (for HTML/DOCX the byte range points into the decoded markup, for PDF into the
/// `pdftotext` output). Either may be absent when a reader cannot tell.
///
/// Stored as five 32-bit numbers, with `Int32.min` for an absent one: a span is copied into
/// every token, table cell, row, paragraph and parsed cell, and five optional `Int`s made it
/// 58 bytes (21 now). Lines, pages and offsets of files under 2 GiB fit: the parser refuses
/// files over 64 MB by default and over ``largestSource`` whatever its limit (a decoded
/// file may be half as large again). Setting a value outside `Int32`'s range, or `Int32.min`
/// itself, traps rather than storing a wrong number; decoding one fails.
public struct SourceSpan: Sendable, Hashable {
    /// ``line``.
    private var first: Int32
    /// ``endLine``.
    private var last: Int32
    /// ``byteStart``, or ``absent``.
    private var start: Int32
    /// ``byteEnd``, or ``absent``.
    private var end: Int32
    /// ``page``, or ``absent``.
    private var sheet: Int32

    /// The largest file the parser reads (1 GiB): its decoded text's offsets fit a span.
    public static let largestSource = 1 << 30

    /// What an absent byte offset or page is stored as.
    private static let absent = Int32.min

    /// First line (1-based) the piece occupies.
    public var line: Int {
        get { Int(first) }
        set { first = Self.stored(newValue) }
    }

    /// Last line (1-based, inclusive).
    public var endLine: Int {
        get { Int(last) }
        set { last = Self.stored(newValue) }
    }

    /// Byte offset of the first byte, when known.
    public var byteStart: Int? {
        get { Self.value(start) }
        set { start = Self.stored(newValue) }
    }

    /// Byte offset one past the last byte, when known.
    public var byteEnd: Int? {
        get { Self.value(end) }
        set { end = Self.stored(newValue) }
    }

    /// PDF page (1-based), when the source is paginated.
    public var page: Int? {
        get { Self.value(sheet) }
        set { sheet = Self.stored(newValue) }
    }

    /// Creates a span covering `line...endLine` and optionally a byte range.
    public init(line: Int, endLine: Int? = nil, byteStart: Int? = nil, byteEnd: Int? = nil, page: Int? = nil) {
        first = Self.stored(line)
        last = Self.stored(endLine ?? line)
        start = Self.stored(byteStart)
        end = Self.stored(byteEnd)
        sheet = Self.stored(page)
    }

    /// A number as stored; traps when it does not fit (see the type's note).
    @inline(__always)
    private static func stored(_ v: Int) -> Int32 {
        precondition(v > Int(absent) && v <= Int(Int32.max), "a source span number must fit in 32 bits")
        return Int32(truncatingIfNeeded: v)
    }

    /// An optional number as stored.
    @inline(__always)
    private static func stored(_ v: Int?) -> Int32 {
        guard let v else { return absent }
        return stored(v)
    }

    /// A stored optional number.
    @inline(__always)
    private static func value(_ v: Int32) -> Int? {
        v == absent ? nil : Int(v)
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

/// The coding of a span is what the compiler made for it when it was stored as five `Int`s:
/// keys `line`, `endLine`, `byteStart`, `byteEnd` and `page`, the optional ones left out when
/// absent.
extension SourceSpan: Codable {
    private enum CodingKeys: String, CodingKey {
        case line, endLine, byteStart, byteEnd, page
    }

    /// Decodes the keys above (`endLine` is required, as it was). A number that does not fit
    /// a span (see ``SourceSpan``) is an error here, not a trap.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func checked(_ v: Int, _ key: CodingKeys) throws -> Int {
            guard v > Int(Self.absent) && v <= Int(Int32.max) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(v) does not fit in a source span")
            }
            return v
        }
        func required(_ key: CodingKeys) throws -> Int { try checked(c.decode(Int.self, forKey: key), key) }
        func optional(_ key: CodingKeys) throws -> Int? {
            guard let v = try c.decodeIfPresent(Int.self, forKey: key) else { return nil }
            return try checked(v, key)
        }
        self.init(line: try required(.line), endLine: try required(.endLine),
                  byteStart: try optional(.byteStart), byteEnd: try optional(.byteEnd), page: try optional(.page))
    }

    /// Encodes the keys above, in that order.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line, forKey: .line)
        try c.encode(endLine, forKey: .endLine)
        try c.encodeIfPresent(byteStart, forKey: .byteStart)
        try c.encodeIfPresent(byteEnd, forKey: .byteEnd)
        try c.encodeIfPresent(page, forKey: .page)
    }
}
