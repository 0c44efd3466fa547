/// Rebuilds one table from the positioned text of a table region.
///
/// Blank cells print nothing, so the grid has to come from positions:
/// 1. **Columns** — segments (runs of words on one line) are placed narrowest first; a segment
///    overlapping no column starts one, overlapping one widens it, overlapping several spans them.
///    Header cells take part, so a column that is blank in every data row still exists. Two
///    neighbouring columns are merged when nothing in them is ever printed side by side and a
///    segment crosses both, or neither holds numbers (a wrapped label's centred last line), or one
///    holds only numbers and the other only text (a left-aligned header over right-aligned numbers).
/// 2. **Cells** — segments stacked at line spacing in the same columns are one cell (a wrapped
///    label), unless the lower one starts a new item (`2.…`, `（三）…`, `第…项`), is closer than
///    rows of numbers are ever stacked, or values beside them show two rows.
/// 3. **Rows** — cells overlapping vertically form a row; a cell overlapping two cells of another
///    column is a row-spanning group label and is placed in the first row of the rows it labels
///    (found from its vertical centring, as word processors print it).
/// 4. **Blanks** — label columns are where rows with values start their text; every value column
///    not covered by a cell (or a row span from above) gets an empty cell, so each data row has
///    one cell per value column, in visual order.
struct PDFTableBuilder {
    let lines: [PDFLine]
    /// The smallest row gap measured in the document's tables (one table style per document), for
    /// tables with too few values to show their own.
    var fallbackRowGap: Double?

    struct Column { var lo: Double; var hi: Double }

    struct Chunk {
        var segments: [PDFSegment]
        var first: Int
        var last: Int
        var page: Int
        var yMin: Double
        var yMax: Double
        var xMin: Double
        var xMax: Double
        var text: String
        var band = -1
        var rowSpan = 1
        var spanner = false
        var height: Double { segments.map(\.height).max() ?? 1 }
        var lastIsNumber: Bool { segments.last!.isNumber }
        var isValue: Bool { first == last && PDFText.isValue(text) }
        var centerY: Double { (yMin + yMax) / 2 }
        var lineRange: (Int, Int) { (segments.map(\.line).min()!, segments.map(\.line).max()!) }
    }

    struct Band {
        var page: Int
        var yMin: Double
        var yMax: Double
        var occupied: Set<Int>
    }

    func table() -> Table? {
        let segs = lines.flatMap(\.segments)
        guard !segs.isEmpty else { return nil }
        let cols = columns(segs)
        guard !cols.isEmpty else { return nil }
        var chunks = buildChunks(segs, segs.map { Self.range($0, cols) })
        var bands = buildBands(&chunks)
        guard !bands.isEmpty else { return nil }
        // Label columns: where rows with values start their text.
        var firstValue = min(1, cols.count)
        let dataBands = Set(chunks.filter { PDFText.isValue($0.text) }.map(\.band))
        if !dataBands.isEmpty {
            let labels = chunks.filter { dataBands.contains($0.band) && !PDFText.isValue($0.text) }.map(\.first)
            firstValue = (labels.max() ?? -1) + 1
        }
        assignRowSpans(&chunks, bands)
        placeGroupLabels(&chunks, &bands, labelColumns: firstValue)
        widenHeaderCells(&chunks, bands, cols, firstValue: firstValue)
        return emit(chunks, bands, columnCount: cols.count, firstValue: firstValue)
    }

    /// The smallest gap between numbers stacked in one column of this table, if any.
    func rowGap() -> Double? {
        let segs = lines.flatMap(\.segments)
        let cols = columns(segs)
        guard !cols.isEmpty else { return nil }
        let ranges = segs.map { Self.range($0, cols) }
        let values = segs.indices.filter { segs[$0].isValue }.sorted { segs[$0].yMin < segs[$1].yMin }
        return smallestRowGap(segs, ranges, values)
    }

    // MARK: Geometry

    @inline(__always)
    static func overlap(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Double { min(a1, b1) - max(a0, b0) }

    /// Horizontal overlap large enough to count (1 pt, less for very narrow text).
    @inline(__always)
    static func overlapsX(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Bool {
        overlap(a0, a1, b0, b1) >= min(1.0, 0.3 * min(a1 - a0, b1 - b0))
    }

    /// Vertical overlap of at least `fraction` of the smaller height.
    @inline(__always)
    static func overlapsY(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double, _ fraction: Double) -> Bool {
        overlap(a0, a1, b0, b1) >= fraction * max(min(a1 - a0, b1 - b0), 0.1)
    }

    /// The columns a segment covers (the nearest one when it falls in a gutter).
    static func range(_ s: PDFSegment, _ cols: [Column]) -> (Int, Int) {
        let hits = cols.indices.filter { overlapsX(cols[$0].lo, cols[$0].hi, s.xMin, s.xMax) }
        if let f = hits.first, let l = hits.last { return (f, l) }
        let mid = (s.xMin + s.xMax) / 2
        let nearest = cols.indices.min { abs((cols[$0].lo + cols[$0].hi) / 2 - mid) < abs((cols[$1].lo + cols[$1].hi) / 2 - mid) }!
        return (nearest, nearest)
    }

    // MARK: 1. Columns

    func columns(_ segs: [PDFSegment]) -> [Column] {
        var cols: [Column] = []
        for s in segs.sorted(by: { ($0.width, $0.xMin) < ($1.width, $1.xMin) }) {
            let hits = cols.indices.filter { Self.overlapsX(cols[$0].lo, cols[$0].hi, s.xMin, s.xMax) }
            if hits.isEmpty {
                cols.append(Column(lo: s.xMin, hi: s.xMax))
            } else if hits.count == 1 {
                cols[hits[0]].lo = min(cols[hits[0]].lo, s.xMin)
                cols[hits[0]].hi = max(cols[hits[0]].hi, s.xMax)
            }
        }
        cols.sort { $0.lo < $1.lo }
        var merging = true
        while merging, cols.count > 1 {
            merging = false
            let r = segs.map { Self.range($0, cols) }
            for i in 0..<(cols.count - 1) where shouldMerge(i, segs, r) {
                cols[i] = Column(lo: min(cols[i].lo, cols[i + 1].lo), hi: max(cols[i].hi, cols[i + 1].hi))
                cols.remove(at: i + 1)
                merging = true
                break
            }
        }
        return cols
    }

    /// Whether columns `i` and `i + 1` are really one.
    func shouldMerge(_ i: Int, _ segs: [PDFSegment], _ r: [(Int, Int)]) -> Bool {
        let left = segs.indices.filter { r[$0].1 == i }
        let right = segs.indices.filter { r[$0].0 == i + 1 }
        for a in left {
            for b in right where segs[a].page == segs[b].page && segs[a].xMax <= segs[b].xMin + 1
                && Self.overlapsY(segs[a].yMin, segs[a].yMax, segs[b].yMin, segs[b].yMax, 0.25) {
                return false  // printed side by side: two columns
            }
        }
        // Never side by side: one column whose cells are aligned differently, when a cell crosses
        // both, neither holds numbers (a label's centred last line), or one holds only numbers and
        // the other only text (a left-aligned header over right-aligned numbers). Two columns that
        // each have numbers, or numbers and a header of their own, stay apart.
        if segs.indices.contains(where: { r[$0].0 <= i && r[$0].1 >= i + 1 }) { return true }
        func only(_ c: Int) -> [PDFSegment] { segs.indices.filter { r[$0] == (c, c) }.map { segs[$0] } }
        let a = only(i), b = only(i + 1)
        let numA = a.contains(where: \.isValue), numB = b.contains(where: \.isValue)
        if !numA && !numB { return true }
        if numA && !numB { return a.allSatisfy(\.isValue) }
        if numB && !numA { return b.allSatisfy(\.isValue) }
        return false
    }

    // MARK: 2. Cells

    func buildChunks(_ segs: [PDFSegment], _ ranges: [(Int, Int)]) -> [Chunk] {
        let order = segs.indices.sorted { (segs[$0].page, segs[$0].yMin, segs[$0].xMin) < (segs[$1].page, segs[$1].yMin, segs[$1].xMin) }
        var chunks: [Chunk] = []
        var values: [Int] = segs.indices.filter { segs[$0].isValue }
        values.sort { segs[$0].yMin < segs[$1].yMin }
        let own = smallestRowGap(segs, ranges, values)
        let rowGap = own.map { min($0, fallbackRowGap ?? $0) } ?? fallbackRowGap
        let firstValue = values.filter { ranges[$0].0 == ranges[$0].1 }.map { ranges[$0].0 }.min() ?? Int.max
        let valueColumnText = segs.indices.filter { ranges[$0].0 >= firstValue }
        for si in order {
            let s = segs[si], (f, l) = ranges[si]
            var best: Int?
            var bestGap = Double.infinity
            // A new item (`2.…`, `（三）…`) starts a new cell.
            if !s.isNumber && !PDFText.startsItem(s.text) {
                for ci in chunks.indices.reversed() {
                    if chunks[ci].page != s.page { break }  // chunks are in page order
                    if chunks[ci].lastIsNumber { continue }
                    let c = chunks[ci], tail = c.segments.last!
                    let nested = (f >= c.first && l <= c.last) || (c.first >= f && c.last <= l)
                    guard nested, Self.overlap(tail.xMin, tail.xMax, s.xMin, s.xMax) > 0 else { continue }
                    let h = max(s.height, tail.height)
                    let gap = s.yMin - c.yMax
                    // Closer than rows of values ever are (tight tables), and at most half a line.
                    let limit = min(0.5 * h, (rowGap ?? .infinity) - 0.15 * h)
                    guard gap <= limit, gap >= -0.4 * h, abs(gap) < bestGap else { continue }
                    guard !anchoredApart(c, s, lo: min(f, c.first), hi: max(l, c.last), segs, ranges, valueColumnText) else { continue }
                    best = ci
                    bestGap = abs(gap)
                }
            }
            if let b = best {
                var c = chunks[b]
                c.segments.append(s)
                c.text = PDFText.join(c.text, s.text)
                c.first = min(c.first, f)
                c.last = max(c.last, l)
                c.yMin = min(c.yMin, s.yMin)
                c.yMax = max(c.yMax, s.yMax)
                c.xMin = min(c.xMin, s.xMin)
                c.xMax = max(c.xMax, s.xMax)
                chunks[b] = c
            } else {
                chunks.append(Chunk(segments: [s], first: f, last: l, page: s.page, yMin: s.yMin, yMax: s.yMax, xMin: s.xMin, xMax: s.xMax, text: s.text))
            }
        }
        return chunks
    }

    /// The smallest vertical gap between two numbers stacked in one column: rows are never
    /// closer than that, so wrapped lines of one cell are told apart in tightly spaced tables.
    func smallestRowGap(_ segs: [PDFSegment], _ ranges: [(Int, Int)], _ values: [Int]) -> Double? {
        var best: Double?
        for (n, a) in values.enumerated() {
            for b in values[(n + 1)...] where segs[b].page == segs[a].page && ranges[b] == ranges[a] && segs[b].yMin >= segs[a].yMax - 0.5 * segs[a].height {
                let gap = segs[b].yMin - segs[a].yMax
                if best == nil || gap < best! { best = gap }
                break
            }
        }
        return best
    }

    /// Whether the cell so far and the next line sit level with different things in the value
    /// columns, one of them a value: then they are two rows of a tightly spaced table, not one
    /// cell (`信息内容` over `行政许可 13`).
    func anchoredApart(_ c: Chunk, _ s: PDFSegment, lo: Int, hi: Int, _ segs: [PDFSegment], _ ranges: [(Int, Int)], _ candidates: [Int]) -> Bool {
        var chunkAny = false, chunkValue = false, segAny = false, segValue = false
        for v in candidates where segs[v].page == s.page && (ranges[v].1 < lo || ranges[v].0 > hi) {
            let x = segs[v]
            let a = Self.overlapsY(x.yMin, x.yMax, c.yMin, c.yMax, 0.25)
            let b = Self.overlapsY(x.yMin, x.yMax, s.yMin, s.yMax, 0.25)
            if a && !b { chunkAny = true; if x.isValue { chunkValue = true } }
            if b && !a { segAny = true; if x.isValue { segValue = true } }
        }
        return (chunkValue && segAny) || (segValue && chunkAny)
    }

    // MARK: 3. Rows

    /// Sweeps cells top to bottom into bands (rows); row-spanning cells are left out of the sweep
    /// and placed in the first band they overlap.
    func buildBands(_ chunks: inout [Chunk]) -> [Band] {
        let byPage = Dictionary(grouping: chunks.indices, by: { chunks[$0].page })
        for i in chunks.indices { chunks[i].spanner = isSpanner(i, chunks, byPage[chunks[i].page] ?? []) }
        let order = chunks.indices.filter { !chunks[$0].spanner }
            .sorted { (chunks[$0].page, chunks[$0].yMin, chunks[$0].first) < (chunks[$1].page, chunks[$1].yMin, chunks[$1].first) }
        var bands: [Band] = []
        for i in order {
            let c = chunks[i]
            if var b = bands.last, b.page == c.page, Self.overlapsY(b.yMin, b.yMax, c.yMin, c.yMax, 0.15),
               !(c.first...c.last).contains(where: b.occupied.contains) {
                b.yMin = min(b.yMin, c.yMin)
                b.yMax = max(b.yMax, c.yMax)
                b.occupied.formUnion(c.first...c.last)
                bands[bands.count - 1] = b
            } else {
                bands.append(Band(page: c.page, yMin: c.yMin, yMax: c.yMax, occupied: Set(c.first...c.last)))
            }
            chunks[i].band = bands.count - 1
        }
        for i in chunks.indices where chunks[i].spanner {
            let c = chunks[i]
            let hit = bands.indices.first { bands[$0].page == c.page && Self.overlapsY(bands[$0].yMin, bands[$0].yMax, c.yMin, c.yMax, 0.15) }
            let below = bands.indices.first { bands[$0].page == c.page && bands[$0].yMin >= c.yMin }
            chunks[i].band = hit ?? below ?? bands.indices.last { bands[$0].page <= c.page } ?? 0
        }
        return bands
    }

    /// A cell overlapping two separate cells of some other column spans rows.
    func isSpanner(_ i: Int, _ chunks: [Chunk], _ samePage: [Int]) -> Bool {
        let x = chunks[i]
        var byColumn: [Int: [Int]] = [:]
        for j in samePage where j != i && Self.overlapsY(x.yMin, x.yMax, chunks[j].yMin, chunks[j].yMax, 0.15) {
            let c = chunks[j]
            for k in c.first...c.last where k < x.first || k > x.last { byColumn[k, default: []].append(j) }
        }
        for (_, js) in byColumn where js.count >= 2 {
            for a in js {
                for b in js where chunks[a].yMax <= chunks[b].yMin + 0.5 { return true }
            }
        }
        return false
    }

    /// How many rows each cell covers: the following bands it overlaps substantially and whose
    /// columns under it are free.
    func assignRowSpans(_ chunks: inout [Chunk], _ bands: [Band]) {
        for i in chunks.indices {
            let c = chunks[i]
            var span = 1
            var k = c.band + 1
            while k < bands.count, bands[k].page == c.page,
                  Self.overlap(bands[k].yMin, bands[k].yMax, c.yMin, c.yMax) >= 0.3 * c.segments[0].height,
                  !(c.first...c.last).contains(where: bands[k].occupied.contains) {
                span += 1
                k += 1
            }
            chunks[i].rowSpan = span
        }
    }

    /// Group labels (cells in a label column left of the last one) belong to the first row of the
    /// rows they label: the run of rows, free in that column, on which they are vertically
    /// centred, or, when not centred, the rows from their own down to the next label.
    func placeGroupLabels(_ chunks: inout [Chunk], _ bands: inout [Band], labelColumns: Int) {
        let lastLabel = labelColumns - 1
        guard lastLabel >= 1 else { return }
        // Row extents from the cells right of the group columns (the rows' own labels and values).
        var core = bands.map { ($0.yMin, $0.yMax) }
        var seen = Set<Int>()
        for c in chunks where c.last >= lastLabel && !c.spanner {
            let old = core[c.band]
            core[c.band] = seen.insert(c.band).inserted ? (c.yMin, c.yMax) : (min(old.0, c.yMin), max(old.1, c.yMax))
        }
        for col in 0..<lastLabel {
            let group = chunks.indices.filter { chunks[$0].first == col && chunks[$0].last < lastLabel }.sorted { chunks[$0].band < chunks[$1].band }
            var nextFree = 0
            for (gi, g) in group.enumerated() {
                func taken(_ k: Int) -> Bool {
                    chunks.indices.contains { j in
                        j != g && chunks[j].band <= k && k < chunks[j].band + chunks[j].rowSpan && chunks[j].first <= col && col <= chunks[j].last
                    }
                }
                let c = chunks[g]
                let i0 = c.band, j0 = c.band + c.rowSpan - 1
                var lo = i0
                while lo - 1 >= nextFree, bands[lo - 1].page == c.page, !taken(lo - 1) { lo -= 1 }
                let limit = gi + 1 < group.count ? max(chunks[group[gi + 1]].band - 1, j0) : bands.count - 1
                var hi = j0
                while hi + 1 <= limit, !taken(hi + 1) { hi += 1 }
                // The widest run of free rows on which the label is centred.
                var best: (a: Int, b: Int, d: Double)?
                let tolerance = 0.5 * c.segments[0].height
                for a in lo...i0 where bands[a].page == c.page {
                    for b in j0...hi where bands[b].page == c.page {
                        let d = abs((core[a].0 + core[b].1) / 2 - c.centerY)
                        guard d <= tolerance else { continue }
                        if best == nil || b - a > best!.b - best!.a || (b - a == best!.b - best!.a && d < best!.d) { best = (a, b, d) }
                    }
                }
                if let best {
                    moveOccupancy(&bands, chunks[g], to: best.a)
                    chunks[g].band = best.a
                    chunks[g].rowSpan = best.b - best.a + 1
                } else {
                    chunks[g].rowSpan = hi - i0 + 1
                }
                nextFree = chunks[g].band + chunks[g].rowSpan
            }
        }
    }

    private func moveOccupancy(_ bands: inout [Band], _ c: Chunk, to band: Int) {
        guard band != c.band else { return }
        bands[c.band].occupied.subtract(c.first...c.last)
        bands[band].occupied.formUnion(c.first...c.last)
    }

    /// Header cells that span columns (`法人或其他组织`, `行政复议`) widen over the free columns
    /// they are centred on or start at, as merged header cells are printed.
    func widenHeaderCells(_ chunks: inout [Chunk], _ bands: [Band], _ cols: [Column], firstValue: Int) {
        let firstData = chunks.filter(\.isValue).map(\.band).min() ?? bands.count
        for band in 0..<firstData {
            var covered = Set<Int>()
            for c in chunks where c.band <= band && band < c.band + c.rowSpan { covered.formUnion(c.first...c.last) }
            for i in chunks.indices.sorted(by: { chunks[$0].first < chunks[$1].first }) where chunks[i].band == band {
                let c = chunks[i]
                guard c.last > c.first, c.first >= firstValue || firstValue == 0 else { continue }
                let h = c.segments[0].height
                var l = c.first, r = c.last
                while l - 1 >= max(firstValue, 0), !covered.contains(l - 1) { l -= 1 }
                while r + 1 < cols.count, !covered.contains(r + 1) { r += 1 }
                var best: (Int, Int)?
                if abs(c.xMin - cols[c.first].lo) <= 0.5 * h {
                    best = (c.first, r)  // printed at the left of a merged cell
                } else {
                    for a in l...c.first {
                        for b in c.last...r {
                            let centre = (cols[a].lo + cols[b].hi) / 2
                            let centred = abs(centre - (c.xMin + c.xMax) / 2) <= max(0.5 * h, 0.03 * (cols[b].hi - cols[a].lo))
                            if centred, best == nil || b - a > best!.1 - best!.0 { best = (a, b) }
                        }
                    }
                }
                if let (a, b) = best {
                    covered.formUnion(a...b)
                    chunks[i].first = a
                    chunks[i].last = b
                }
            }
        }
    }

    // MARK: 4. Output

    func emit(_ chunks: [Chunk], _ bands: [Band], columnCount: Int, firstValue: Int) -> Table? {
        var rows: [TableRow] = []
        for (b, band) in bands.enumerated() {
            let starting = chunks.filter { $0.band == b }.sorted { $0.first < $1.first }
            var covered = Set<Int>()
            for c in chunks where c.band <= b && b < c.band + c.rowSpan { covered.formUnion(c.first...c.last) }
            if starting.isEmpty { continue }
            // The row's own lines: its one-row cells (group labels spanning rows reach further).
            let own = starting.contains { $0.rowSpan == 1 } ? starting.filter { $0.rowSpan == 1 } : starting
            var lo = Int.max, hi = Int.min
            for c in own { lo = min(lo, c.lineRange.0); hi = max(hi, c.lineRange.1) }
            let rowSpan = SourceSpan(line: lo, endLine: hi, page: band.page)
            var cells = starting.map {
                TableCell(text: $0.text, span: SourceSpan(line: $0.lineRange.0, endLine: $0.lineRange.1, page: $0.page),
                          column: $0.first, columnSpan: $0.last - $0.first + 1, rowSpan: $0.rowSpan)
            }
            for k in firstValue..<max(columnCount, firstValue) where !covered.contains(k) {
                cells.append(TableCell(text: "", span: rowSpan, column: k))
            }
            cells.sort { $0.column < $1.column }
            rows.append(TableRow(cells: cells, span: rowSpan))
        }
        guard var span = rows.first?.span else { return nil }
        for r in rows.dropFirst() { span = span.union(r.span) }
        return Table(rows: rows, span: span)
    }
}
