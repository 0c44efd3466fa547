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
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
