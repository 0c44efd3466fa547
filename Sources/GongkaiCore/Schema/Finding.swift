/// A fact about a report worth an analyst's attention: an identity that fails, a blank cell in
/// a numeric row, a narrative total that disagrees with the table.
public struct Finding: Sendable, Hashable, Codable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Informational (e.g. a blank cell counted as 0).
        case info
        /// Soft rules: narrative vs table, cross-year identities.
        case warning
        /// A hard identity of the template fails as printed.
        case error

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        /// Orders by seriousness.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// The rule's stable identifier, e.g. `identity1`, `identity3`, `blank_cell`, `text_vs_table`.
    public var rule: String
    /// How serious.
    public var severity: Severity
    /// One sentence for the user.
    public var message: String
    /// The cells involved.
    public var cells: [String]
    /// What the report prints (the left side of the identity), as text.
    public var printed: String?
    /// What the identity expects, as text.
    public var expected: String?

    /// Creates a finding.
    public init(rule: String, severity: Severity, message: String, cells: [String] = [], printed: String? = nil, expected: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.cells = cells
        self.printed = printed
        self.expected = expected
    }

    /// Whether this is a failed identity of the template (rules `identity1`…`identity4`).
    public var isIdentityFailure: Bool { rule.hasPrefix("identity") && severity == .error }
}
