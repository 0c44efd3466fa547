/// A value crossing the plugin boundary: what a plugin table cell or a report cell holds.
public enum PluginValue: Sendable, Hashable, CustomStringConvertible {
    /// No value (SQL NULL).
    case null
    /// A 64-bit integer.
    case integer(Int64)
    /// An exact decimal, `mantissa × 10^-scale`.
    case decimal(mantissa: Int64, scale: Int)
    /// Text.
    case text(String)
    /// A boolean.
    case bool(Bool)

    /// The value as a double, for ratios (nil for null and text).
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .decimal(let m, let s):
            var d = Double(m)
            for _ in 0..<max(0, s) { d /= 10 }
            return d
        case .bool(let b): return b ? 1 : 0
        case .null, .text: return nil
        }
    }

    /// Plain text of the value (`null` for null).
    public var description: String {
        switch self {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .decimal(let m, let s):
            guard s > 0 else { return String(m) }
            let neg = m < 0
            var digits = String(m.magnitude)
            if digits.count <= s { digits = String(repeating: "0", count: s - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -s)
            return (neg ? "-" : "") + digits[..<cut] + "." + digits[cut...]
        case .text(let t): return t
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// Column types of plugin tables.
public enum PluginColumnType: String, Sendable {
    /// 64-bit integer.
    case integer
    /// Exact decimal.
    case decimal
    /// Text.
    case text
    /// Boolean.
    case bool
}

/// A column a plugin table declares.
public struct PluginColumn: Sendable {
    /// snake_case name.
    public var name: String
    /// Its type.
    public var type: PluginColumnType
    /// What it holds, for `.schema`.
    public var description: String

    /// Declares a column.
    public init(_ name: String, _ type: PluginColumnType, _ description: String = "") {
        self.name = name
        self.type = type
        self.description = description
    }
}
