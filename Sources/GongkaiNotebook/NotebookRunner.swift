import Foundation
import GongkaiCore
import GongkaiSession

/// Runs a notebook's cells in order against a session and collects their outputs.
///
/// Parameters are bound and checked before any cell runs. A failing cell stops the run with an
/// error naming the cell number, its first line and the diagnostic — unless `keepGoing` (or
/// the cell's `#| continue-on-error: true`) renders the error in place and goes on.
public struct NotebookRunner {
    /// Runs a pipeline, returning at most the given number of rows.
    public let runQuery: (String, Int) throws -> QueryOutcome
    /// Answers a dot command in a notebook cell (`.tables`, `.schema x`, …).
    public let runCommand: (String) throws -> String

    /// Creates a runner.
    public init(runQuery: @escaping (String, Int) throws -> QueryOutcome, runCommand: @escaping (String) throws -> String) {
        self.runQuery = runQuery
        self.runCommand = runCommand
    }

    /// Runs every cell.
    public func run(_ nb: Notebook, overrides: [String] = [], keepGoing: Bool = false) throws -> NotebookRun {
        let values = try nb.binding(overrides)
        // Every cell's parameters are checked before the first one runs.
        let sources = try nb.cells.map { try Notebook.substitute($0.source, values, cell: $0) }
        var rendered: [RenderedCell] = []
        for (cell, source) in zip(nb.cells, sources) {
            var outputs: [CellOutput] = []
            do {
                outputs = try runCell(cell, source: source)
            } catch {
                let message = "cell \(cell.number) (\(cell.firstLine)):\n\(error)"
                guard keepGoing || cell.continueOnError else { throw NotebookError(message) }
                outputs = [.error(message)]
            }
            rendered.append(RenderedCell(cell: cell, source: source, outputs: outputs))
        }
        return NotebookRun(notebook: nb, parameters: nb.parameters.map { ($0.name, values[$0.name] ?? $0.value) }, cells: rendered)
    }

    func runCell(_ cell: Notebook.Cell, source: String) throws -> [CellOutput] {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        if trimmed.hasPrefix(".") {
            return try trimmed.split(separator: "\n").map { .text(try runCommand(String($0))) }
        }
        let maxRows = cell.options["maxrows"].flatMap(Int.init) ?? 200
        let outcome = try runQuery(trimmed, maxRows)
        let table = outcome.table
        var outputs: [CellOutput] = []
        if let kind = cell.options["chart"] {
            outputs.append(.chart(try chart(kind, table: table, cell: cell)))
            if cell.options["table"] == "true" { outputs.append(.table(table)) }
        } else if cell.options["output"] == "cards" {
            outputs.append(.cards(table))
        } else {
            outputs.append(.table(table))
        }
        return outputs
    }

    /// Builds a chart from `#| chart:`, `#| x:`, `#| y:` (several y columns: a series each).
    func chart(_ kind: String, table: DisplayTable, cell: Notebook.Cell) throws -> SVGChart {
        guard let k = SVGChart.Kind(rawValue: kind) else {
            throw NotebookError("unknown chart type \"\(kind)\"; use bar, grouped, stacked or line")
        }
        let numeric = table.columns.indices.filter(table.isNumericColumn)
        let xName = cell.options["x"] ?? table.columns.indices.first { !numeric.contains($0) }.map { table.columns[$0] } ?? table.columns.first ?? ""
        guard let xi = table.columns.firstIndex(of: xName) else {
            throw NotebookError("chart x column \"\(xName)\" is not in the result (\(table.columns.joined(separator: ", ")))")
        }
        let yNames = cell.options["y"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? numeric.filter { $0 != xi }.map { table.columns[$0] }
        var series: [SVGChart.Series] = []
        for y in yNames {
            guard let yi = table.columns.firstIndex(of: y) else {
                throw NotebookError("chart y column \"\(y)\" is not in the result (\(table.columns.joined(separator: ", ")))")
            }
            series.append(SVGChart.Series(name: y, values: table.rows.map { $0[yi].doubleValue }))
        }
        guard !series.isEmpty else { throw NotebookError("nothing to chart: the result has no numeric column") }
        return SVGChart(kind: k, categories: table.rows.indices.map { table.display($0, xi) }, series: series, title: cell.options["title"])
    }
}
