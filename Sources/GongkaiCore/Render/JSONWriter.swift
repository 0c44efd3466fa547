/// A small streaming JSON writer with stable key order and exact decimals.
///
/// Foundation's encoder sorts keys alphabetically at best and prints money through `Double`;
/// the JSON export promises the canonical key order and the digits as printed.
public struct JSONWriter {
    /// The text written so far.
    public private(set) var output = ""
    private var needComma: [Bool] = [false]

    /// Creates an empty writer.
    public init() {}

    private mutating func separator() {
        if needComma[needComma.count - 1] { output += "," }
        needComma[needComma.count - 1] = true
    }

    /// Opens an object (as a value, or under `key` inside an object).
    public mutating func beginObject(_ key: String? = nil) {
        separator()
        if let key { output += Self.quote(key) + ":" }
        output += "{"
        needComma.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() { needComma.removeLast(); output += "}" }

    /// Opens an array.
    public mutating func beginArray(_ key: String? = nil) {
        separator()
        if let key { output += Self.quote(key) + ":" }
        output += "["
        needComma.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() { needComma.removeLast(); output += "]" }

    /// Writes a raw JSON value (already encoded), under `key` when in an object.
    public mutating func raw(_ key: String?, _ json: String) {
        separator()
        if let key { output += Self.quote(key) + ":" }
        output += json
    }

    /// Writes a string or null.
    public mutating func string(_ key: String?, _ value: String?) { raw(key, value.map(Self.quote) ?? "null") }
    /// Writes an integer or null.
    public mutating func int(_ key: String?, _ value: Int?) { raw(key, value.map(String.init) ?? "null") }
    /// Writes an exact decimal.
    public mutating func number(_ key: String?, _ value: Quantity) { raw(key, value.description) }

    /// JSON string literal for `s`, escaping quotes, backslashes and control characters.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(s.utf8.count + 2)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hex(b >> 4)); out.append(hex(b & 0xF))
            case 0xE2:
                // U+2028 / U+2029 break JavaScript string literals.
                let b1 = it.next(), b2 = it.next()
                if b1 == 0x80, let b2, b2 == 0xA8 || b2 == 0xA9 {
                    out += Array((b2 == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                } else {
                    out.append(b)
                    if let b1 { out.append(b1) }
                    if let b2 { out.append(b2) }
                }
            default: out.append(b)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 + n : 0x61 + n - 10 }
}
