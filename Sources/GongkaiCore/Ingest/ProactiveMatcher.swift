import Foundation

/// Section 二: finds each row by its label (in any order) and reads its cells.
///
/// Rows printed as a run of digits (`行政许可3960181`) have no identity to lean on, so the
/// splits are ranked by how typical they are — an unchanged item count (`本年增/减` = 0),
/// documents in force at least as many as issued, a plausible amount per procurement project,
/// numbers the narrative states — and the cells are flagged uncertain when the best two are
/// close.
struct ProactiveMatcher {
    let generation: Generation
    /// Numbers the narrative states next to 规范性文件 (e.g. 制发行政规范性文件62件).
    let narrativeNumbers: Set<Int>

    /// Reads section 二 from its rows (their labels are ranges of `labels`, their values of
    /// `tokens`).
    func match(_ rows: [TemplateMatcher.Row], labels: [UInt8], tokens: [ValueToken], into out: inout TemplateMatcher.Output) {
        let plans = Self.plans(generation)
        let assigned = Self.assignments.value(for: rows, labels: labels, generation: generation) { assign(rows, labels: labels) }
        for (i, s) in assigned.enumerated() {
            if let s { read(tokens[rows[i].values], at: rows[i].span, plan: plans[s], into: &out) }
        }
    }

    /// What reading a row of ``Template/proactiveRows(_:)`` needs: its cells' keys and what
    /// makes a split of it typical (made once per generation, not per report).
    struct RowPlan {
        let keys: RowKeys
        let rule: SplitRule
    }

    /// The plan of each row of ``Template/proactiveRows(_:)``.
    static func plans(_ g: Generation) -> [RowPlan] { g == .v2019 ? plans2019 : plans2021 }
    private static let plans2019 = makePlans(.v2019)
    private static let plans2021 = makePlans(.v2021)
    private static func makePlans(_ g: Generation) -> [RowPlan] {
        zip(Template.proactiveRows(g), cellKeys(g)).map { RowPlan(keys: $1, rule: SplitRule($0)) }
    }

    /// Assignments already made: ``assign(_:labels:)`` depends only on the generation and
    /// the rows' labels, and almost every report prints the standard labels.
    static let assignments = LabelSequenceCache<[Int?]>(capacity: 256)

    /// For each row, the index in ``Template/proactiveRows(_:)`` of the template row it
    /// prints, or nil: the first row whose label ends with a row's keyword is that row.
    func assign(_ rows: [TemplateMatcher.Row], labels: [UInt8]) -> [Int?] {
        let specOfLabelRow = Self.specIndexOfLabelRow(generation)
        // Rows are told apart by their index in the template (no row names hashed or compared).
        var done = [Bool](repeating: false, count: Template.proactiveRows(generation).count)
        var assigned = [Int?](repeating: nil, count: rows.count)
        for i in rows.indices {
            let hits = labels.withUnsafeBufferPointer { RowLabels.hitRows(in: UnsafeBufferPointer(rebasing: $0[rows[i].label]), compiled: RowLabels.proactiveBytes) }
            guard let last = hits.last, let s = specOfLabelRow[last.row], !done[s] else { continue }
            // The label must end the text before the values (headers may precede it).
            guard rows[i].label.count - last.end <= 24 else { continue }
            done[s] = true
            assigned[i] = s
        }
        return assigned
    }

    /// For each name of ``RowLabels/proactiveBytes``, its index in
    /// ``Template/proactiveRows(_:)`` (nil for rows the generation does not have; made once).
    static func specIndexOfLabelRow(_ g: Generation) -> [Int?] { g == .v2019 ? specIndex2019 : specIndex2021 }
    private static let specIndex2019 = makeSpecIndex(.v2019)
    private static let specIndex2021 = makeSpecIndex(.v2021)
    private static func makeSpecIndex(_ g: Generation) -> [Int?] {
        let specs = Template.proactiveRows(g)
        return RowLabels.proactiveBytes.names.map { name in specs.firstIndex { $0.row == name } }
    }

    /// The cell keys of each row of ``Template/proactiveRows(_:)`` (made once, not per report).
    static func cellKeys(_ g: Generation) -> [RowKeys] { g == .v2019 ? cellKeys2019 : cellKeys2021 }
    private static let cellKeys2019 = makeCellKeys(.v2019)
    private static let cellKeys2021 = makeCellKeys(.v2021)
    private static func makeCellKeys(_ g: Generation) -> [RowKeys] {
        Template.proactiveRows(g).map { spec in RowKeys(spec.columns.map { CellKey(.proactive, spec.row, $0) }, generation: g) }
    }

    /// Reads a row's values (printed at `span`) into the cells of `plan`'s row.
    func read(_ values: ArraySlice<ValueToken>, at span: SourceSpan, plan: RowPlan, into out: inout TemplateMatcher.Output) {
        let keys = plan.keys, width = keys.count
        if let cells = RowValues.cells(values, width: width).flatMap(RowValues.read) {
            out.store(keys, cells)
            return
        }
        let unit = Self.unit(after: values)
        let (ranked, truncated) = rank(values, rule: plan.rule, unit: unit)
        guard let best = ranked.first else {
            out.storeBlank(keys, at: span)
            out.flag(keys, "cannot read the row's values: \(values.map(\.raw).joined(separator: " "))")
            return
        }
        // The unit printed after the run belongs to the last cell (a split has `width` cells).
        let cells = best.texts.indices.map { i in
            let t = best.texts[i], last = i == width - 1
            let raw = last && unit != .none ? t + (unit == .yuan ? "元" : "万元") : t
            return ValueToken(raw: raw, span: nil, reading: .number(best.values[i], last ? unit : .none))
        }
        out.store(keys, cells[...], at: span)
        if !Self.isConfident(ranked) || truncated {
            let alts = ranked.dropFirst().prefix(4).map { $0.texts.joined(separator: "|") }
            let differing = (0..<width).filter { c in ranked.prefix(2).contains { $0.texts[c] != best.texts[c] } }
            out.flag(differing.map { keys[$0] }, "digit run \(DigitRunSolver.joined(values)) has several plausible splits", alternatives: Array(alts))
        }
    }

    /// The unit printed at the end of a row's values: 万元 or 元 ending the last one's normal
    /// form. A text ending in an ASCII scalar (digits, nearly always) ends in no character of
    /// either: that character's last scalar would be ASCII too, so no comparison is needed.
    static func unit(after values: ArraySlice<ValueToken>) -> CellText.Unit {
        guard let last = values.last else { return .none }
        let n = TextNormalization.label(last.raw)
        if let b = n.utf8.last, b < 0x80 { return .none }
        return n.hasSuffix("万元") ? .wanYuan : n.hasSuffix("元") ? .yuan : .none
    }

    /// One split of a row's digit run: each cell's digits, how typical the split is
    /// (``plausibility(_:rule:unit:)``), and each cell's number (what its digits read as).
    typealias RankedSplit = (texts: [String], score: Double, values: [Quantity])

    /// Every split of a digit run into a row's cells, in the order the search finds them,
    /// with each cell's number, and whether the search was cut short.
    struct RunSplits: Sendable {
        var texts: [[String]]
        var values: [[Quantity]]
        var truncated: Bool
    }

    /// Splits already made, by the run and the number of cells: they depend on nothing else.
    static let splitCache = DigitRunCache<RunSplits>(capacity: 1024)

    /// The splits of the digit run of a row's values (``DigitRunSolver/joinedBytes(_:)``),
    /// most plausible first, and whether the search was cut short. Each split's numbers are
    /// the ones the search worked out, not parsed again from its texts.
    func rank(_ tokens: ArraySlice<ValueToken>, rule: SplitRule, unit: CellText.Unit) -> ([RankedSplit], Bool) {
        let splits = Self.splitCache.value(for: tokens, cells: rule.width) { run in
            var values: [[Quantity]] = []
            let result = DigitRunSolver.split(kept: run, count: rule.width, maxDigits: 12) { v in
                values.append(v)
                return true
            }
            return RunSplits(texts: result.splits, values: values, truncated: result.truncated)
        }
        var ranked: [RankedSplit] = []
        ranked.reserveCapacity(splits.texts.count)
        for k in splits.texts.indices {
            ranked.append((texts: splits.texts[k], score: plausibility(splits.values[k], rule: rule, unit: unit), values: splits.values[k]))
        }
        if ranked.count > 1 { ranked.sort { $0.score > $1.score } }
        return (ranked, splits.truncated)
    }

    /// ``rank(_:rule:unit:)`` of a run given as text, for a template row (the synthetic
    /// renderer's question: is a run it prints read back as meant?).
    func rank(_ run: String, spec: Template.ProactiveRow, unit: CellText.Unit) -> ([RankedSplit], Bool) {
        rank([ValueToken(raw: run, span: nil)][...], rule: SplitRule(spec), unit: unit)
    }

    /// Whether the best split clearly beats the second (by at least one point).
    static func isConfident(_ ranked: [RankedSplit]) -> Bool {
        ranked.count < 2 || ranked[0].score - ranked[1].score >= 1.0
    }

    /// What makes a split of a row typical, told from the row's columns once per row (not
    /// by comparing column names for every split).
    struct SplitRule {
        /// Which relations between the cells are typical.
        enum Kind { case madePublished, itemsChange, issuedInForce, projectsAmount, other }
        /// The row's kind, by its columns.
        let kind: Kind
        /// How many cells a split has.
        let width: Int
        /// Whether the cells tend to be of similar size (not so for a count beside an amount).
        let similarSizes: Bool

        /// The rule of a template row.
        init(_ spec: Template.ProactiveRow) {
            switch spec.columns {
            case ["made", "published", "total_public"]: kind = .madePublished
            case ["prior_items", "change", "decisions"], ["prior_items", "change"]: kind = .itemsChange
            case ["issued", "repealed", "in_force"]: kind = .issuedInForce
            case ["projects", "amount"]: kind = .projectsAmount
            default: kind = .other
            }
            width = spec.columns.count
            similarSizes = spec.row != "procurement"
        }
    }

    /// How typical a split is for this row (higher is better).
    func plausibility(_ v: [Quantity], rule: SplitRule, unit: CellText.Unit) -> Double {
        guard v.count == rule.width else { return -.infinity }
        var s = 0.0
        if rule.similarSizes {
            var mx = Int.min, mn = Int.max
            for q in v {
                let length = DecimalDigits.count(q.mantissa.magnitude) - q.scale
                mx = max(mx, length)
                mn = min(mn, length)
            }
            if !v.isEmpty { s -= 0.5 * Double(mx - mn) }
        }
        switch rule.kind {
        case .madePublished:
            if v[1] <= v[2] { s += 2 }
            if v[0] == v[1] { s += 2 }
        case .itemsChange:
            if v[1] == .zero { s += 4 }
            if abs(v[1].doubleValue) <= v[0].doubleValue { s += 2 }
        case .issuedInForce:
            if v[2] >= v[0] { s += 3 }
            if v[1] <= v[0] { s += 1.5 }
            if v[1] <= v[2] { s += 1 }
            if let i = v[0].intValue, narrativeNumbers.contains(i) { s += 4 }
        case .projectsAmount:
            let projects = v[0].doubleValue
            let yuan = v[1].doubleValue * (unit == .yuan ? 1 : 10_000)
            if projects == 0 { s += yuan == 0 ? 2 : -5 }
            else if yuan > 0 { s -= abs(log10(yuan / projects) - 5.5) }
            else { s -= 3 }
        case .other:
            break
        }
        return s
    }
}

/// Section 四: the fifteen cells of the review and litigation row.
struct ReviewsMatcher {
    static let width = 15

    static func identity4(_ v: [Quantity]) -> Bool {
        stride(from: 0, to: 15, by: 5).allSatisfy { g in v[g..<(g + 4)].reduce(Quantity.zero, +) == v[g + 4] }
    }

    /// The fifteen keys of each generation (made once, not per report).
    static func cellKeys(_ g: Generation) -> RowKeys { g == .v2019 ? cellKeys2019 : cellKeys2021 }
    private static let cellKeys2019 = makeCellKeys(.v2019)
    private static let cellKeys2021 = makeCellKeys(.v2021)
    private static func makeCellKeys(_ g: Generation) -> RowKeys {
        RowKeys(Template.reviewRows.flatMap { r in Template.reviewColumns.map { CellKey(.reviews, r, $0) } }, generation: g)
    }

    /// Reads section 四 from its rows (their values are ranges of `allTokens`).
    func match(_ rows: [TemplateMatcher.Row], tokens allTokens: [ValueToken], into out: inout TemplateMatcher.Output) {
        let keys = Self.cellKeys(out.generation)
        // A table row with exactly fifteen cells.
        for r in rows.reversed() where r.grid {
            if let cells = RowValues.cells(allTokens[r.values], width: Self.width).flatMap(RowValues.read) {
                out.store(keys, cells)
                return
            }
        }
        let tokens = rows.flatMap { allTokens[$0.values] }
        guard !tokens.isEmpty else { return }
        let span = rows.first!.span.union(rows.last!.span)
        // Separate numbers: fifteen of them, or a window of fifteen satisfying identity 4.
        if tokens.count >= Self.width, let read = RowValues.read(tokens[...]) {
            let values = read.map { t -> Quantity in
                if case .number(let q, _)? = t.reading { return q }
                return .zero
            }
            for start in stride(from: tokens.count - Self.width, through: 0, by: -1) {
                let w = Array(values[start..<(start + Self.width)])
                if Self.identity4(w) || tokens.count == Self.width {
                    out.store(keys, read[start..<(start + Self.width)])
                    if !Self.identity4(w) && tokens.count != Self.width {
                        out.flag(keys, "fifteen values do not satisfy identity 4")
                    }
                    return
                }
            }
        }
        // A run of digits: split under identity 4.
        let splits = Self.splitCache.value(for: tokens, cells: Self.width, compute: Self.splits)
        guard let best = splits.bestCells else {
            out.storeBlank(keys, at: span)
            out.flag(keys, "cannot split the review/litigation values \(DigitRunSolver.joined(tokens)) into fifteen cells satisfying identity 4")
            return
        }
        out.store(keys, best[...], at: span)
        let ranked = splits.ranked
        if ranked.count > 1 || splits.truncated {
            let differing = (0..<Self.width).filter { c in ranked.contains { $0[c] != ranked[0][c] } }
            out.flag(differing.map { keys[$0] }, "digit run \(DigitRunSolver.joined(tokens)) splits several ways that satisfy identity 4",
                     alternatives: ranked.dropFirst().prefix(4).map { $0.joined(separator: "|") })
        }
    }

    /// The splits of a digit run under identity 4, most typical first.
    struct RunSplits: Sendable {
        /// Each split's cells' digits, fewest multi-digit cells first (``cost(_:)``).
        var ranked: [[String]]
        /// Whether the search was cut short.
        var truncated: Bool
        /// The cells of the first split, read; nil when there is none.
        var bestCells: [ValueToken]?
    }

    /// The splits of section 四's digit runs already made, by the run: they depend on
    /// nothing else.
    static let splitCache = DigitRunCache<RunSplits>(capacity: 256)

    /// The splits of a run (its bytes) into the fifteen cells under identity 4.
    static func splits(of run: [UInt8]) -> RunSplits {
        let res = DigitRunSolver.split(kept: run, count: width, maxDigits: 6, accept: identity4)
        let ranked = res.splits.sorted { cost($0) < cost($1) }
        let best = ranked.first.map { $0.map { ValueToken(raw: $0, span: nil, reading: .number(Quantity($0) ?? .zero, .none)) } }
        return RunSplits(ranked: ranked, truncated: res.truncated, bestCells: best)
    }

    /// Fewer multi-digit cells is more typical.
    static func cost(_ texts: [String]) -> Int { texts.reduce(0) { $0 + $1.count - 1 } }
}
