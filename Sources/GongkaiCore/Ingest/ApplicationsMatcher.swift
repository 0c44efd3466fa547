import Foundation

/// Section 三: assigns printed rows to the canonical rows and reads their seven cells.
///
/// Rows are assigned by an order-preserving alignment: the template's rows come in a fixed
/// order, each printed row scores for the rows its label names (the keyword nearest the
/// values counts most), and rows whose labels were lost take the places the order leaves
/// them. Rows printed as one run of digits are split by ``DigitRunSolver`` under identity 3;
/// when several splits remain, identities 1 and 2 across the whole table choose among them.
struct ApplicationsMatcher {
    let generation: Generation
    static let width = 7

    /// Reads section 三 from its rows (their labels are ranges of `labels`, their values of
    /// `tokens`).
    func match(_ printed: consuming [TemplateMatcher.Row], labels: [UInt8], tokens: [ValueToken], into out: inout TemplateMatcher.Output) {
        let keys = Self.rowNames(generation)
        // The rows are filtered in place: moved, not copied.
        var rows = printed
        rows.removeAll { !isRowLike($0, tokens: tokens) }
        let assignment = Self.alignments.value(for: rows, labels: labels, generation: generation) { align(rows, labels: labels, keys: keys) }

        // Candidate readings of every assigned row, one row's after another's (a slot holds
        // its row's range: no array per row, and a slot is cheap to copy).
        var all: [Candidate] = []
        all.reserveCapacity(rows.count)
        var slots: [(keyIndex: Int, row: Int, candidates: Range<Int>, unsolved: Bool)] = []
        slots.reserveCapacity(rows.count)
        for (i, k) in assignment.enumerated() {
            guard let k else { continue }
            let start = all.count
            let unsolved = candidates(rows[i], tokens: tokens, into: &all)
            slots.append((k, i, start..<all.count, unsolved))
        }
        let rowCellKeys = Self.cellKeys(generation)

        // Choose one candidate per row: identities 1 and 2 decide among ambiguous rows.
        // (Most tables leave no choice: then nothing is gathered for the identities.)
        let choice = slots.contains(where: { $0.candidates.count > 1 })
            ? resolve(slots.map { Array(all[$0.candidates]) }, rowKeys: slots.map { keys[$0.keyIndex] })
            : (picks: [Int](repeating: 0, count: slots.count), ambiguous: [])
        for s in slots.indices {
            let slot = slots[s]
            let cellKeys = rowCellKeys[slot.keyIndex]
            guard !slot.candidates.isEmpty else {
                out.storeBlank(cellKeys, at: rows[slot.row].span)
                out.flag(cellKeys, "cannot read the row's values: \(tokens[rows[slot.row].values].map(\.raw).joined(separator: " "))")
                continue
            }
            let pick = slot.candidates.lowerBound + choice.picks[s]
            out.store(cellKeys, all[pick].cells, at: all[pick].place)
            if slot.unsolved {
                out.flag(cellKeys, "no split of the digit run \(DigitRunSolver.joined(tokens[rows[slot.row].values])) satisfies identity 3; cells as printed")
            }
            if choice.ambiguous.contains(s) {
                let c = all[pick], options = all[slot.candidates]
                let alts = options.enumerated().filter { $0.offset != choice.picks[s] }.map { $0.element.cells.map(\.raw).joined(separator: "|") }
                let differing = (0..<Self.width).filter { col in options.contains { $0.raw(col) != c.raw(col) } }
                out.flag(differing.map { cellKeys[$0] }, "digit run \(DigitRunSolver.joined(tokens[rows[slot.row].values])) splits several ways that satisfy the identities", alternatives: alts)
            }
        }
    }

    /// A row worth aligning: enough values (or digits) for seven cells.
    func isRowLike(_ r: TemplateMatcher.Row, tokens: [ValueToken]) -> Bool {
        if r.grid && r.values.count >= Self.width - 1 { return true }
        if r.values.count >= Self.width { return true }
        return DigitRunSolver.joinedCount(tokens[r.values]) >= Self.width
    }

    /// ``Template/applicationRows(_:)``, made once per generation (it joins arrays of names).
    static func rowNames(_ g: Generation) -> [String] { g == .v2019 ? rowNames2019 : rowNames2021 }
    private static let rowNames2019 = Template.applicationRows(.v2019)
    private static let rowNames2021 = Template.applicationRows(.v2021)

    /// The cell keys of each row of ``Template/applicationRows(_:)`` (made once, not per report).
    static func cellKeys(_ g: Generation) -> [RowKeys] { g == .v2019 ? cellKeys2019 : cellKeys2021 }
    private static let cellKeys2019 = makeCellKeys(.v2019)
    private static let cellKeys2021 = makeCellKeys(.v2021)
    private static func makeCellKeys(_ g: Generation) -> [RowKeys] {
        Template.applicationRows(g).map { row in RowKeys(Template.applicantColumns.map { CellKey(.applications, row, $0) }, generation: g) }
    }

    /// For each name of ``RowLabels/applicationBytes``, its index in
    /// ``Template/applicationRows(_:)`` (nil for rows the generation does not have).
    static func keyIndexOfLabelRow(_ g: Generation) -> [Int?] { g == .v2019 ? keyIndex2019 : keyIndex2021 }
    private static let keyIndex2019 = makeKeyIndex(.v2019)
    private static let keyIndex2021 = makeKeyIndex(.v2021)
    private static func makeKeyIndex(_ g: Generation) -> [Int?] {
        let keys = Template.applicationRows(g)
        return RowLabels.applicationBytes.names.map { keys.firstIndex(of: $0) }
    }

    // MARK: Alignment

    /// Alignments already made: ``align(_:labels:keys:)`` depends only on the generation and the
    /// labels of the rows aligned, and almost every report prints the standard labels.
    static let alignments = LabelSequenceCache<[Int?]>(capacity: 256)

    /// Assigns rows (their labels are ranges of `labels`) to template rows (indices into
    /// `keys`), preserving order.
    func align(_ rows: [TemplateMatcher.Row], labels: [UInt8], keys: [String]) -> [Int?] {
        let n = rows.count, m = keys.count
        guard n > 0 else { return [] }
        // The template's keys index label rows through a table made once per generation.
        let index = keys == Self.rowNames(generation)
            ? Self.keyIndexOfLabelRow(generation)
            : RowLabels.applicationBytes.names.map { keys.firstIndex(of: $0) }
        // score[i * m + k]: how well row i's label fits key k.
        var score = [Int](repeating: 0, count: n * m)
        for i in rows.indices {
            let hits = labels.withUnsafeBufferPointer { RowLabels.hitRows(in: UnsafeBufferPointer(rebasing: $0[rows[i].label]), compiled: RowLabels.applicationBytes) }
                .compactMap { index[$0.row] }
            guard let last = hits.last else { continue }
            for k in 0..<m { score[i * m + k] = -5 }
            for h in hits { score[i * m + h] = 4 }
            score[i * m + last] = 10
        }
        let gap = 1, drop = 8
        let negInf = Int.min / 4
        // dp[i][k+1]: best score after i rows with the last assigned key k (0 = none yet).
        // Row-major in one array each (cell (i, j) at i * w + j): no nested copy-on-write checks.
        let w = m + 1
        var dp = [Int](repeating: negInf, count: (n + 1) * w)
        var back = [(Int, Bool)](repeating: (0, false), count: (n + 1) * w)
        dp[0] = 0
        // The table is filled through buffer pointers: its indices are in range by
        // construction, and checking each one costs more than the arithmetic it guards.
        score.withUnsafeBufferPointer { score in
            dp.withUnsafeMutableBufferPointer { dp in
                back.withUnsafeMutableBufferPointer { back in
                    for i in 0..<n {
                        let row = i * w, next = row + w
                        // State t after row i comes from assigning row i to key t - 1 after
                        // any state last < t (worth dp[last] - gap * (t - 1 - last) + score),
                        // or from dropping row i in state t. The best assignment keeps a
                        // running maximum of dp[last] + gap * last; ties go to the smallest
                        // last, and a drop wins only when strictly better (the order a scan
                        // over every (last, k) pair would settle them in).
                        var bestAssign = negInf, bestLast = 0
                        for t in 0...m {
                            var value = negInf, from = (0, false)
                            if t > 0 {
                                let last = t - 1
                                if dp[row + last] > negInf, dp[row + last] + gap * last > bestAssign {
                                    bestAssign = dp[row + last] + gap * last
                                    bestLast = last
                                }
                                if bestAssign > negInf {
                                    value = bestAssign - gap * (t - 1) + score[i * m + t - 1]
                                    from = (bestLast, true)
                                }
                            }
                            if dp[row + t] > negInf, dp[row + t] - drop > value {
                                value = dp[row + t] - drop
                                from = (t, false)
                            }
                            if value > negInf { dp[next + t] = value; back[next + t] = from }
                        }
                    }
                }
            }
        }
        var best = 0, bestV = negInf
        for last in 0...m where dp[n * w + last] > negInf {
            let v = dp[n * w + last] - gap * (m - last)
            if v > bestV { bestV = v; best = last }
        }
        var out = [Int?](repeating: nil, count: n)
        var last = best
        for i in stride(from: n, to: 0, by: -1) {
            let (prev, assigned) = back[i * w + last]
            if assigned { out[i - 1] = last - 1 }
            last = prev
        }
        return out
    }

    // MARK: Readings

    /// One way to read a row's seven cells.
    struct Candidate {
        /// Each cell's text as printed (for a split: the digits it took), its reading, and
        /// its place; a row read as printed keeps its own tokens (a slice of the stream's).
        var cells: ArraySlice<ValueToken>
        /// Where every cell is, when the cells do not say: the row's place, for the cells of
        /// a split (kept once for every row printing the run, so without a place).
        var place: SourceSpan? = nil
        /// Lower is more typical (used only to order equally valid splits).
        var cost: Int

        /// The printed text of column `col` (``cells`` is a slice: its indices need not start at 0).
        func raw(_ col: Int) -> String { cells[cells.startIndex + col].raw }
    }

    static func identity3(_ v: [Quantity]) -> Bool {
        v[0..<6].reduce(Quantity.zero, +) == v[6]
    }

    /// ``identity3(_:)`` of seven cells' numbers (``number(_:)``), read where the cells lie:
    /// no array of numbers is made per row.
    static func identity3(cells: ArraySlice<ValueToken>) -> Bool {
        cells.withUnsafeBufferPointer { b in
            var sum = Quantity.zero
            for i in 0..<6 { sum = sum + number(b[i]) }
            return sum == number(b[6])
        }
    }

    /// A cell's number as the identities count it: blank and not applicable as zero.
    static func number(_ cell: ValueToken) -> Quantity {
        if case .number(let q, _)? = cell.reading { return q }
        return .zero
    }

    /// Appends the readings of a row to `all`: its cells as printed, or the splits of its
    /// digit run. Whether the row has none (unsolved).
    func candidates(_ r: TemplateMatcher.Row, tokens: [ValueToken], into all: inout [Candidate]) -> Bool {
        let values = tokens[r.values]
        if let cells = RowValues.cells(values, width: Self.width).flatMap(RowValues.read) {
            let c = Candidate(cells: cells, cost: 0)
            if r.grid || Self.identity3(cells: cells) {
                all.append(c)
                return false
            }
            if !solve(values, at: r.span, into: &all) { all.append(c) }
            return false
        }
        let start = all.count
        if r.grid || !solve(values, at: r.span, into: &all) { all.append(contentsOf: missingCell(values, at: r.span)) }
        return all.count == start
    }

    /// A row printed with one cell fewer than the template has (a cell lost in extraction):
    /// for each place the lost cell could take, identity 3 gives its value. Readings that
    /// agree collapse into one, so a row of zeros reads as zeros whatever cell was lost.
    func missingCell(_ values: ArraySlice<ValueToken>, at span: SourceSpan) -> [Candidate] {
        guard values.count == Self.width - 1, values.allSatisfy({ Self.isCanonical($0.raw) }),
              let read = RowValues.read(values) else { return [] }
        let q = read.compactMap { t -> Quantity? in
            if case .number(let v, _)? = t.reading { return v }
            return nil
        }
        guard q.count == read.count else { return [] }
        var out: [Candidate] = []
        var seen = Set<[Quantity]>()
        for p in 0..<Self.width {
            var v = q
            if p == Self.width - 1 {
                v.append(q.reduce(.zero, +))
            } else {
                let total = q[q.count - 1]
                let others = q.dropLast().reduce(Quantity.zero, +)
                let missing = total - others
                guard missing >= .zero else { continue }
                v.insert(missing, at: p)
            }
            guard !seen.contains(v) else { continue }
            seen.insert(v)
            var cells = Array(values)
            cells.insert(ValueToken(raw: "", span: span), at: p)
            for j in cells.indices { cells[j].reading = .number(v[j], .none) }
            out.append(Candidate(cells: cells[...], cost: 10 + p))
        }
        return out
    }

    /// Appends the splits of the row's digit run to `all`, each at the row's place (straight
    /// from the kept splits: no array per row); whether there are any. A run with a sign or
    /// a decimal point is not split.
    func solve(_ values: ArraySlice<ValueToken>, at span: SourceSpan, into all: inout [Candidate]) -> Bool {
        let splits = Self.splitCache.value(for: values, cells: Self.width) { run in
            run.contains(UInt8(ascii: ".")) || run.contains(UInt8(ascii: "-")) ? [] : Self.splits(of: run)
        }
        for s in splits { all.append(Candidate(cells: s.cells[...], place: span, cost: s.cost)) }
        return !splits.isEmpty
    }

    /// Splits of section 三's digit runs already made, by the run: ``splits(of:)`` depends
    /// only on the run's bytes.
    static let splitCache = DigitRunCache<[Split]>(capacity: 1024)

    /// One split of a run: what every row printing the run reads.
    struct Split: Sendable {
        /// Each cell's digits and their reading (no place: rows printing the run have their own).
        let cells: [ValueToken]
        /// ``ApplicationsMatcher/cost(_:)`` of the cells' digits.
        let cost: Int
    }

    /// The splits of a run of bare digits into the seven cells under identity 3, most typical
    /// first (the same for every row printing that run).
    static func splits(of run: [UInt8]) -> [Split] {
        // The values of each accepted split, in the order the splits are kept: a run of bare
        // digits, so each is the number its text parses to.
        var values: [[Quantity]] = []
        let res = DigitRunSolver.split(kept: run, count: width, maxDigits: 7, lastIsSum: true) { v in
            guard identity3(v) else { return false }
            values.append(v)
            return true
        }
        return zip(res.splits, values).map { texts, v in
            Split(cells: zip(texts, v).map { ValueToken(raw: $0, span: nil, reading: .number($1, .none)) }, cost: cost(texts))
        }.sorted { $0.cost < $1.cost }
    }

    /// A number printed as one cell would be: no leading zeros.
    static func isCanonical(_ raw: String) -> Bool {
        let n = TextNormalization.label(raw)
        return !(n.count > 1 && n.hasPrefix("0") && !n.hasPrefix("0."))
    }

    /// Typical rows have most applicants in the natural-person column and few organisations.
    static func cost(_ texts: [String]) -> Int {
        var c = 0
        for t in texts[1...5] where t != "0" { c += 1 + 2 * (t.count - 1) }
        return c
    }

    // MARK: Joint resolution

    /// Picks one candidate per row, maximising the number of column identities (1 and 2)
    /// that hold. Rows whose choice the identities leave open are reported ambiguous.
    func resolve(_ cands: [[Candidate]], rowKeys: [String]) -> (picks: [Int], ambiguous: Set<Int>) {
        var picks = cands.map { _ in 0 }
        let open = cands.indices.filter { cands[$0].count > 1 }
        guard !open.isEmpty else { return (picks, []) }
        let outcome = Set(Template.outcomeRows(generation))

        func satisfied(_ p: [Int]) -> Int {
            var col = [String: [Quantity]]()
            for (s, key) in rowKeys.enumerated() where !cands[s].isEmpty {
                col[key] = cands[s][p[s]].cells.map(Self.number)
            }
            var ok = 0
            for c in 0..<Self.width {
                func v(_ k: String) -> Quantity? { col[k]?[c] }
                if let a = v("new_received"), let b = v("carried_over"), let t = v("total_processed"), let f = v("carried_forward"), a + b == t + f { ok += 1 }
                if let t = v("total_processed") {
                    let sum = col.filter { outcome.contains($0.key) }.reduce(Quantity.zero) { $0 + $1.value[c] }
                    if sum == t { ok += 1 }
                }
            }
            return ok
        }

        // Enumerate combinations of the open rows (bounded).
        var best = -1
        var solutions: [[Int]] = []
        var current = picks
        var evaluated = 0
        func walk(_ j: Int) {
            if evaluated > 50_000 { return }
            if j == open.count {
                evaluated += 1
                let s = satisfied(current)
                if s > best { best = s; solutions = [current] } else if s == best { solutions.append(current) }
                return
            }
            for c in cands[open[j]].indices {
                current[open[j]] = c
                walk(j + 1)
            }
        }
        walk(0)
        guard let first = solutions.first else { return (picks, Set(open)) }
        picks = first
        var ambiguous = Set<Int>()
        for s in open where solutions.contains(where: { $0[s] != first[s] }) { ambiguous.insert(s) }
        if evaluated > 50_000 { ambiguous.formUnion(open) }
        return (picks, ambiguous)
    }
}
