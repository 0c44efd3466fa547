import Foundation
import GongkaiCore

/// A query's result as front ends need it.
public struct QueryOutcome: Sendable {
    /// The rows (at most the requested number), and the total count.
    public var table: DisplayTable
    /// Seconds spent compiling and running.
    public var seconds: Double

    /// Creates an outcome (for front ends and harnesses that run pipelines their own way).
    public init(table: DisplayTable, seconds: Double) {
        self.table = table
        self.seconds = seconds
    }
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

extension Session {
    /// Compiles, optimises and runs a pipeline; at most `maxRows` rows are kept for display
    /// (the total is counted). `isCancelled` is polled between batches (Ctrl-C in the REPL).
    public func query(_ text: String, maxRows: Int = .max, isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> QueryOutcome {
        let start = Date()
        let plan: LogicalPlan
        switch Query.compile(text, catalog: catalog) {
        case .failure(let d): throw QueryFailure(d.rendered)
        case .success(let p): plan = p
        }
        let result: ResultTable
        do {
            result = try Executor(catalog: catalog, isCancelled: isCancelled).run(Optimizer.default.optimize(plan))
        } catch let e as QueryError {
            throw QueryFailure("error: \(e)")
        }
        let shown = min(maxRows, result.rowCount)
        let rows = (0..<shown).map { i in result.columns.map { Self.cell($0[i]) } }
        return QueryOutcome(table: DisplayTable(columns: result.schema.names, rows: rows, totalRows: result.rowCount),
                            seconds: Date().timeIntervalSince(start))
    }

    /// The plan before and after optimisation.
    public func explain(_ text: String) throws -> String {
        switch Query.compile(text, catalog: catalog) {
        case .failure(let d): throw QueryFailure(d.rendered)
        case .success(let p): return GongkaiCore.explain(p)
        }
    }

    /// A result value as a display cell.
    static func cell(_ v: Value) -> DisplayTable.Cell {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .decimal(let q): return .decimal(q.description)
        case .text(let t): return .text(t)
        case .bool(let b): return .bool(b)
        }
    }
}
