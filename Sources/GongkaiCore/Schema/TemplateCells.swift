/// A report's cells by their place in the generation's template: which of `report.cells`
/// holds each template key, and which cells the template lacks.
///
/// Made once per report where its cells are looked up by key many times (the writer's
/// tables, the plugin view). A parsed report lists its cells in template order, so each
/// cell is placed by comparing its key with the next template key, without hashing.
struct TemplateCells {
    /// The generation whose template positions these are.
    let generation: Generation
    /// For each template position, the index in the report's cells of the cell there
    /// (-1: none); for a repeated key, the last.
    private var indexAt: [Int32]
    /// Cells whose keys the template lacks, by key (the last for a repeated key).
    private(set) var others: [CellKey: Int] = [:]

    init(_ cells: [Cell], generation g: Generation) {
        generation = g
        let keys = Template.keys(g)
        var indexAt = [Int32](repeating: -1, count: keys.count)
        var others: [CellKey: Int] = [:]
        cells.withUnsafeBufferPointer { cells in
            keys.withUnsafeBufferPointer { keys in
                var next = 0
                for i in cells.indices {
                    let p = next < keys.count && Cell.hasKey(keys, next, of: cells, i) ? next : Template.position(of: cells[i].key, in: g)
                    if let p {
                        indexAt[p] = Int32(i)
                        next = p + 1
                    } else {
                        others[cells[i].key] = i
                    }
                }
            }
        }
        self.indexAt = indexAt
        self.others = others
    }

    /// The index of the cell at template position `p`, nil when the report has none there.
    func index(atPosition p: Int) -> Int? {
        indexAt[p] >= 0 ? Int(indexAt[p]) : nil
    }

    /// The index of the cell with `key`, nil when the report has none.
    func index(of key: CellKey) -> Int? {
        if let p = Template.position(of: key, in: generation) { return index(atPosition: p) }
        return others[key]
    }
}
