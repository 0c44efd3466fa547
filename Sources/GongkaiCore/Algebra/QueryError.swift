/// A half-open range of UTF-8 byte offsets into query source text.
///
/// Diagnostics turn it into `line:column` and a caret line; plans built in code carry none.
public struct QuerySpan: Hashable, Sendable, CustomStringConvertible {
    /// Offset of the first byte.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int

    /// Creates a span; `end` is clamped to be at least `start`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func union(_ other: QuerySpan) -> QuerySpan {
        QuerySpan(start: min(start, other.start), end: max(end, other.end))
    }

    /// `start..<end`.
    public var description: String { "\(start)..<\(end)" }
}

/// Every failure of planning, optimizing, compiling or executing a query, as a value.
///
/// Nothing in the algebra or engine traps on bad input: overflow, type errors, unknown names
/// and cancellation all surface as a `QueryError`.
public struct QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The family of failure, for callers that react differently (e.g. cancellation).
    public enum Kind: String, Hashable, Sendable {
        /// A table name the catalog does not know.
        case unknownTable
        /// A column name the input schema does not have.
        case unknownColumn
        /// A function name the language does not know.
        case unknownFunction
        /// Operand or argument types that do not fit.
        case type
        /// A plan that is structurally wrong (duplicate names, misplaced aggregates, …).
        case invalidPlan
        /// Integer or decimal arithmetic that does not fit in 64 bits.
        case overflow
        /// A construct the target (e.g. the SQL compiler) cannot express.
        case unsupported
        /// The caller asked to stop.
        case cancelled
        /// The catalog failed to load data.
        case catalog
    }

    /// The family of failure.
    public var kind: Kind
    /// A one-line message.
    public var message: String
    /// Where in the query source the error is, when known.
    public var span: QuerySpan?
    /// An optional suggestion (`did you mean "received"?`).
    public var help: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, span: QuerySpan? = nil, help: String? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.help = help
    }

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" + (help.map { " (help: \($0))" } ?? "") }

    /// An overflow error for an operation.
    static func overflow(_ what: String) -> QueryError { QueryError(.overflow, "\(what) overflows 64-bit arithmetic") }
}
