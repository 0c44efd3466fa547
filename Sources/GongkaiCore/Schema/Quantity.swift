/// An exact decimal number: `mantissa × 10^-scale`.
///
/// Counts are integers and money has a handful of decimals; a fixed-point pair keeps both
/// exact (no binary floating point), is cheap to parse from UTF-8 bytes, and sums exactly.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The digits, with sign.
    public var mantissa: Int64
    /// How many of the digits are after the decimal point.
    public var scale: Int

    /// Creates `mantissa × 10^-scale`.
    public init(mantissa: Int64, scale: Int = 0) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// An integer quantity.
    public init(_ value: Int) { self.init(mantissa: Int64(value), scale: 0) }

    /// Zero.
    public static let zero = Quantity(mantissa: 0)

    /// The same value with trailing zero decimals removed (`25.1000` → `25.1`).
    public var normalized: Quantity {
        var m = mantissa, s = scale
        while s < 0 { m = m &* 10; s += 1 }
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return Quantity(mantissa: m, scale: s)
    }

    /// Whether the value has no fractional part.
    public var isInteger: Bool { normalized.scale == 0 }

    /// The value as an integer, when it is one.
    public var intValue: Int? { let n = normalized; return n.scale == 0 ? Int(n.mantissa) : nil }

    /// The value as a double (for display and ratios only).
    public var doubleValue: Double {
        let n = normalized
        var d = Double(n.mantissa)
        for _ in 0..<n.scale { d /= 10 }
        return d
    }

    /// Divides by 10^n exactly (e.g. 元 → 万元 is `shifted(by: 4)`).
    public func shifted(by n: Int) -> Quantity {
        Quantity(mantissa: mantissa, scale: scale + n).normalized
    }

    private static func pow10(_ n: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<n { p &*= 10 }
        return p
    }

    private static func aligned(_ a: Quantity, _ b: Quantity) -> (Int64, Int64, Int) {
        let a = a.scale < 0 ? a.normalized : a, b = b.scale < 0 ? b.normalized : b
        let s = max(a.scale, b.scale)
        return (a.mantissa &* pow10(s - a.scale), b.mantissa &* pow10(s - b.scale), s)
    }

    /// Exact sum.
    public static func + (a: Quantity, b: Quantity) -> Quantity {
        let (x, y, s) = aligned(a, b)
        return Quantity(mantissa: x &+ y, scale: s).normalized
    }

    /// Exact difference.
    public static func - (a: Quantity, b: Quantity) -> Quantity {
        let (x, y, s) = aligned(a, b)
        return Quantity(mantissa: x &- y, scale: s).normalized
    }

    /// Numeric equality (`25.10 == 25.1`).
    public static func == (a: Quantity, b: Quantity) -> Bool {
        let (x, y, _) = aligned(a, b)
        return x == y
    }

    /// Hashes the normalised value so equal numbers hash alike.
    public func hash(into h: inout Hasher) {
        let n = normalized
        h.combine(n.mantissa)
        h.combine(n.scale)
    }

    /// Numeric order.
    public static func < (a: Quantity, b: Quantity) -> Bool {
        let (x, y, _) = aligned(a, b)
        return x < y
    }

    /// Plain decimal text without exponent, e.g. `7539.443252`, `-18`, `0`.
    public var description: String {
        let n = normalized
        return Self.decimalText(mantissa: n.mantissa, scale: n.scale)
    }

    /// The decimal text of `mantissa` × 10^−`scale` with every digit of the scale kept
    /// (`5000`, 4 → `0.5000`), written byte by byte (``DecimalDigits``): the store writes
    /// every decimal it holds as this text.
    static func decimalText(mantissa: Int64, scale: Int) -> String {
        guard scale > 0 else { return String(mantissa) }
        let whole = max(DecimalDigits.count(mantissa.magnitude) - scale, 1)
        let length = (mantissa < 0 ? 1 : 0) + whole + 1 + scale
        return String(unsafeUninitializedCapacity: length) { out in
            let left = DecimalDigits.write(mantissa.magnitude, count: scale, into: out, endingAt: length)
            out[length - scale - 1] = UInt8(ascii: ".")
            DecimalDigits.write(left, count: whole, into: out, endingAt: length - scale - 1)
            if mantissa < 0 { out[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// Parses plain decimal text (`-18`, `7539.443252`, `1,234`); nil otherwise.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses plain decimal text given as UTF-8 bytes (as ``init(_:)``, without making a string).
    public init?(utf8 bytes: some Sequence<UInt8>) {
        var m: Int64 = 0, s = 0, seenDot = false, neg = false, any = false, first = true
        for b in bytes {
            if first && (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) { neg = b == UInt8(ascii: "-"); first = false; continue }
            first = false
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (mm, o1) = m.multipliedReportingOverflow(by: 10)
                let (m2, o2) = mm.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                m = m2; any = true
                if seenDot { s += 1 }
            case UInt8(ascii: "."):
                if seenDot { return nil }
                seenDot = true
            case UInt8(ascii: ","):
                if seenDot { return nil }
            default: return nil
            }
        }
        guard any else { return nil }
        self.init(mantissa: neg ? -m : m, scale: s)
    }

    /// Encodes as a JSON number with the exact decimal digits.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let i = intValue { try c.encode(i) } else { try c.encode(doubleValue) }
    }

    /// Decodes from a JSON number.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self.init(i); return }
        let d = try c.decode(Double.self)
        self = Quantity("\(d)") ?? .zero
    }
}
