import GongkaiCore

/// What running a cell produced.
public enum CellOutput: Sendable {
    /// A result table.
    case table(DisplayTable)
    /// A single-row result shown as metric cards.
    case cards(DisplayTable)
    /// A chart (and the table it was drawn from).
    case chart(SVGChart)
    /// Plain text (dot commands, explain).
    case text(String)
    /// An error rendered in place (`--keep-going` or `#| continue-on-error: true`).
    case error(String)
}

/// A cell with its outputs, ready to render.
public struct RenderedCell: Sendable {
    /// The cell.
    public var cell: Notebook.Cell
    /// The source after parameter substitution.
    public var source: String
    /// Outputs in order.
    public var outputs: [CellOutput]
}

/// A finished run: the notebook, parameter values and every cell's outputs.
public struct NotebookRun: Sendable {
    /// The notebook.
    public var notebook: Notebook
    /// Parameter values used.
    public var parameters: [(name: String, value: Notebook.ParameterValue)]
    /// Cells in order, with outputs.
    public var cells: [RenderedCell]
}
