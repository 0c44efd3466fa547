import GongkaiCore

/// A query's result as front ends need it.
public struct QueryOutcome: Sendable {
    /// The rows (at most the requested number), and the total count.
    public var table: DisplayTable
    /// Seconds spent compiling and running.
    public var seconds: Double
}

/// A diagnostic-bearing error from compiling or running a query, already rendered for people
/// (line:column, the source line, a caret, did-you-mean help).
public struct QueryFailure: Error, Sendable, CustomStringConvertible {
    /// The rendered diagnostics.
    public let rendered: String
    /// Creates a failure.
    public init(_ rendered: String) { self.rendered = rendered }
    /// The rendered diagnostics.
    public var description: String { rendered }
}
