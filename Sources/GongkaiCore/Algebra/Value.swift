/// The four column types of the query algebra; every column and expression has exactly one.
///
/// Nulls are not a type: any column may hold `null` (SQL-like three-valued semantics).
public enum DataType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 64-bit signed integers (counts, years).
    case integer
    /// Exact fixed-point decimals backed by ``Quantity`` (money, ratios).
    case decimal
    /// UTF-8 text, compared byte-wise (binary collation, as SQLite).
    case text
    /// Truth values; `false` sorts before `true`.
    case bool

    /// Whether arithmetic applies to values of this type.
    public var isNumeric: Bool { self == .integer || self == .decimal }

    /// The lowercase name used in messages and in `explain`.
    public var description: String { rawValue }
}

/// One scalar value, as read from a result row or written as a literal.
///
/// The hot loops of the engine never use `Value`; it exists for literals, results and tests.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    /// The absent value; compares unknown, propagates through arithmetic.
    case null
    /// An integer.
    case integer(Int64)
    /// An exact decimal.
    case decimal(Quantity)
    /// A text.
    case text(String)
    /// A truth value.
    case bool(Bool)

    /// The value's type, or nil for `null`.
    public var type: DataType? {
        switch self {
        case .null: nil
        case .integer: .integer
        case .decimal: .decimal
        case .text: .text
        case .bool: .bool
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The value as a decimal when it is numeric (integers widen exactly).
    public var quantity: Quantity? {
        switch self {
        case .integer(let i): Quantity(mantissa: i, scale: 0)
        case .decimal(let q): q
        default: nil
        }
    }

    /// Plain text for display: `null`, `12`, `0.5`, `true`, or the text itself.
    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let i): String(i)
        case .decimal(let q): q.description
        case .text(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// The value written as a pipeline-language literal (`"text"` quoted, others as is).
    public var literalText: String {
        switch self {
        case .text(let s):
            var out = "\""
            for ch in s {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: out.append(ch)
                }
            }
            return out + "\""
        default: return description
        }
    }
}

/// One named, typed column of a ``Schema``.
public struct Field: Hashable, Sendable {
    /// The column name (unique within a schema).
    public var name: String
    /// The column type.
    public var type: DataType
    /// Optional human description (shown by completion and `describe`).
    public var description: String?

    /// Creates a field.
    public init(_ name: String, _ type: DataType, description: String? = nil) {
        self.name = name
        self.type = type
        self.description = description
    }

    /// Creates a field (labelled form).
    public init(name: String, type: DataType, description: String? = nil) {
        self.init(name, type, description: description)
    }

    /// `name: type`, as shown in schemas and `explain`.
    public var signature: String { "\(name): \(type)" }
}

/// The ordered list of columns a table or plan produces; every plan has one before it runs.
public struct Schema: Hashable, Sendable, CustomStringConvertible {
    /// The columns, in output order.
    public var fields: [Field]

    /// Creates a schema.
    public init(_ fields: [Field]) { self.fields = fields }

    /// Creates a schema (labelled form).
    public init(fields: [Field]) { self.fields = fields }

    /// The column names, in order.
    public var names: [String] { fields.map(\.name) }

    /// The number of columns.
    public var count: Int { fields.count }

    /// The position of a column, if present.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The field with that name, if present.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }

    /// Whether a column with that name exists.
    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// The schema restricted to (and ordered as) the given names that exist.
    public func selecting(_ names: [String]) -> Schema {
        Schema(names.compactMap { field(named: $0) })
    }

    /// `(a: integer, b: text)`.
    public var description: String { "(" + fields.map(\.signature).joined(separator: ", ") + ")" }
}
