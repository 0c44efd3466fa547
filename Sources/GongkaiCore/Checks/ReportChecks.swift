/// The checks a single report gets: identities 1–4 of the template with evidence, blank cells
/// inside numeric rows, and narrative totals against the table.
public enum ReportChecks {
    /// All findings for a report.
    public static func run(_ report: Report, claims: [NarrativeFacts.Claim]? = nil) -> [Finding] {
        run(TemplateValues(report), claims: claims ?? NarrativeFacts.claims(report.narrative))
    }

    /// All findings for a report the parser just made, whose cells are every key of its
    /// template in template order (``TemplateMatcher``'s output): they are taken by position,
    /// not compared with the keys one by one.
    static func run(matched cells: [Cell], generation: Generation, claims: [NarrativeFacts.Claim]) -> [Finding] {
        run(TemplateValues(templateOrdered: cells, generation: generation), claims: claims)
    }

    private static func run(_ cells: TemplateValues, claims: [NarrativeFacts.Claim]) -> [Finding] {
        var out = identities(cells)
        appendBlanks(cells, to: &out)
        out += textVsTable(cells, claims: claims)
        return out
    }

    /// A report's values by position in ``Template/keys(_:)``: the checks look cells up by
    /// positions worked out once per generation, not by hashing keys per report.
    ///
    /// The values are read where they lie, in a cell per template position: a report the
    /// parser made is shared whole (copying its values out was a fifth of the checks' cost).
    struct TemplateValues {
        let generation: Generation
        /// A cell per template position; a blank one where the report has no such cell.
        private let cells: [Cell]
        /// Which positions the report has no cell at (empty when it has every one).
        private let missing: [Bool]

        init(_ report: Report) {
            if Self.inTemplateOrder(report) {
                self.init(templateOrdered: report)
                return
            }
            var cells = [CellKey: CellValue](minimumCapacity: report.cells.count)
            for c in report.cells { cells[c.key] = c.value }
            self.init(cells, generation: report.generation)
        }

        /// The values of a report whose cells are every key of its template, in order.
        init(templateOrdered report: Report) {
            self.init(templateOrdered: report.cells, generation: report.generation)
        }

        /// The values of cells that are every key of generation `g`'s template, in order.
        init(templateOrdered cells: [Cell], generation g: Generation) {
            assert(Self.inTemplateOrder(cells, generation: g), "the cells are not in template order")
            self.init(generation: g, cells: cells, missing: [])
        }

        /// The cells as given: what the other initialisers work out.
        private init(generation: Generation, cells: [Cell], missing: [Bool]) {
            self.generation = generation
            self.cells = cells
            self.missing = missing
        }

        /// Whether the report's cells are exactly its template's keys, in order.
        static func inTemplateOrder(_ report: Report) -> Bool {
            inTemplateOrder(report.cells, generation: report.generation)
        }

        /// Whether the cells are exactly generation `g`'s template keys, in order.
        static func inTemplateOrder(_ cells: [Cell], generation g: Generation) -> Bool {
            let keys = Template.keys(g)
            return cells.count == keys.count && cells.withUnsafeBufferPointer { cells in
                keys.withUnsafeBufferPointer { keys in keys.indices.allSatisfy { Cell.hasKey(keys, $0, of: cells, $0) } }
            }
        }

        init(_ values: [CellKey: CellValue], generation g: Generation) {
            let keys = Template.keys(g)
            self.init(generation: g,
                      cells: keys.map { Cell(key: $0, value: values[$0] ?? .blank, raw: "", span: nil) },
                      missing: keys.map { values[$0] == nil })
        }

        /// The value at template position `p`; nil where the report has no such cell.
        func value(at p: Int) -> CellValue? {
            missing.isEmpty || !missing[p] ? cells[p].value : nil
        }

        /// Calls `body` with the values' cells (one per template position). A missing cell is
        /// blank there: for sums, blank and absent are alike.
        func withCells<R>(_ body: (UnsafeBufferPointer<Cell>) -> R) -> R {
            cells.withUnsafeBufferPointer(body)
        }

        /// How many of the values at `positions` are blank and how many are numbers (read
        /// in place: ``value(at:)`` copies each).
        func counts(_ positions: [Int]) -> (blanks: Int, numbers: Int) {
            var blanks = 0, numbers = 0
            cells.withUnsafeBufferPointer { cells in
                for p in positions where missing.isEmpty || !missing[p] {
                    precondition(p >= 0 && p < cells.count)
                    switch (cells.baseAddress! + p).pointee.value {
                    case .blank: blanks += 1
                    case .number: numbers += 1
                    case .notApplicable: break
                    }
                }
            }
            return (blanks, numbers)
        }

        /// The names (of `names`, by template position) of the `count` blank values at
        /// `positions`, in their order.
        func blankNames(_ positions: [Int], count: Int, names: [String]) -> [String] {
            var out: [String] = []
            out.reserveCapacity(count)
            for p in positions where value(at: p) == .blank { out.append(names[p]) }
            return out
        }

        /// Calls `body` with every template position's value as identity sums read it.
        func withWholeValues<R>(_ body: (UnsafeBufferPointer<WholeValue>) -> R) -> R {
            precondition(cells.count == Template.keys(generation).count)
            return withUnsafeTemporaryAllocation(of: WholeValue.self, capacity: cells.count) { values in
                cells.withUnsafeBufferPointer { cells in
                    for i in cells.indices {
                        let v: WholeValue
                        switch (cells.baseAddress! + i).pointee.value {
                        case .number(let q) where q.scale == 0: v = WholeValue(integer: q.mantissa, kind: WholeValue.integerKind)
                        case .number: v = WholeValue(integer: 0, kind: WholeValue.decimalKind)
                        case .blank, .notApplicable: v = WholeValue(integer: 0, kind: 0)
                        }
                        values.initializeElement(at: i, to: v)
                    }
                }
                return body(UnsafeBufferPointer(values))
            }
        }

        /// The value of a template key.
        subscript(key: CellKey) -> CellValue? {
            Self.positions(generation)[key].flatMap { value(at: $0) }
        }

        /// Each key's position in ``Template/keys(_:)`` (made once).
        static func positions(_ g: Generation) -> [CellKey: Int] { g == .v2019 ? positions2019 : positions2021 }
        private static let positions2019 = makePositions(.v2019)
        private static let positions2021 = makePositions(.v2021)
        private static func makePositions(_ g: Generation) -> [CellKey: Int] {
            Dictionary(uniqueKeysWithValues: Template.keys(g).enumerated().map { ($0.element, $0.offset) })
        }

        /// The position of a key every generation has in its template.
        static func position(_ key: CellKey, _ g: Generation) -> Int {
            guard let p = positions(g)[key] else { preconditionFailure("\(key) is not a key of the \(g) template") }
            return p
        }
    }

    static func term(_ value: CellValue?) -> (Quantity, printed: Bool) {
        if case .number(let q) = value ?? .blank { return (q, true) }
        return (.zero, false)
    }

    static func describe(_ positions: [Int], _ cells: TemplateValues) -> String {
        positions.map { p -> String in
            switch cells.value(at: p) ?? .blank {
            case .number(let q): return q.description
            case .blank: return "blank"
            case .notApplicable: return "na"
            }
        }.joined(separator: " + ")
    }

    /// Identities 1–4; an identity whose cells are all blank is not checked.
    public static func identities(_ cells: [CellKey: CellValue], generation g: Generation) -> [Finding] {
        identities(TemplateValues(cells, generation: g))
    }

    static func identities(_ cells: TemplateValues) -> [Finding] {
        var out: [Finding] = []
        let checks = identityChecks(cells.generation)
        cells.withWholeValues { values in
            for c in checks {
                // Integers, nearly always, are summed and compared as such; quantities are
                // added only for an identity that fails or has a decimal.
                let l = wholeSum(c.lhsAt, values), r = wholeSum(c.rhsAt, values)
                if l.kinds & WholeValue.decimalKind == 0 && r.kinds & WholeValue.decimalKind == 0
                    && (l.sum == r.sum || l.kinds | r.kinds == 0) { continue }
                if let f = failure(c, cells) { out.append(f) }
            }
        }
        return out
    }

    /// The finding of identity `c`, its sides added as quantities; nil when it holds.
    static func failure(_ c: IdentityCheck, _ cells: TemplateValues) -> Finding? {
        let (ls, lhsPrinted) = cells.withCells { sum(c.lhsAt, $0) }, (rs, rhsPrinted) = cells.withCells { sum(c.rhsAt, $0) }
        guard lhsPrinted || rhsPrinted, ls != rs else { return nil }
        let name = { (k: CellKey) in c.byColumn ? k.column : k.row }
        return Finding(
            rule: c.rule, severity: .error,
            message: "\(c.scope): \(c.lhs.map(name).joined(separator: " + ")) = \(ls) but \(c.rhs.map(name).joined(separator: " + ")) = \(rs)",
            cells: (c.lhs + c.rhs).map(\.description),
            printed: "\(describe(c.lhsAt, cells)) = \(ls)", expected: "\(describe(c.rhsAt, cells)) = \(rs)")
    }

    /// A value as the identity sums read it first: identities add some 370 values per report,
    /// most of them several times, so each is read out of its cell once, into a dense list.
    struct WholeValue {
        /// The value when it is an integer; 0 otherwise.
        var integer: Int64
        /// ``integerKind`` or ``decimalKind`` for a number; 0 for blank and not applicable.
        var kind: UInt64

        /// The kind of an integer.
        static let integerKind: UInt64 = 1
        /// The kind of a number with decimals (added as a quantity instead).
        static let decimalKind: UInt64 = 2
    }

    /// The integer sum of the values at `positions` and the union of their kinds.
    static func wholeSum(_ positions: [Int], _ values: UnsafeBufferPointer<WholeValue>) -> (sum: Int64, kinds: UInt64) {
        var total: Int64 = 0, kinds: UInt64 = 0
        for p in positions {
            // Positions are template positions, and there are as many values (checked when
            // the list is made).
            let v = values.baseAddress! + p
            total &+= v.pointee.integer
            kinds |= v.pointee.kind
        }
        return (total, kinds)
    }

    /// The sum of the values at `positions` (blank and na count as 0) and whether any is a
    /// number. Integers, nearly every value, are added as such; the others as quantities.
    static func sum(_ positions: [Int], _ cells: TemplateValues) -> (Quantity, printed: Bool) {
        cells.withCells { sum(positions, $0) }
    }

    /// ``sum(_:_:)`` over cells read in place: a subscript would copy each cell (its key and
    /// text retained and released) to read its value.
    static func sum(_ positions: [Int], _ cells: UnsafeBufferPointer<Cell>) -> (Quantity, printed: Bool) {
        var printed = false, whole: Int64 = 0, fractional: Quantity?
        for p in positions {
            precondition(p >= 0 && p < cells.count)
            guard case .number(let q) = (cells.baseAddress! + p).pointee.value else { continue }
            printed = true
            if q.scale == 0 { whole &+= q.mantissa } else { fractional = (fractional ?? .zero) + q }
        }
        let total = Quantity(mantissa: whole)
        return (fractional.map { $0 + total } ?? total, printed)
    }

    /// One identity to check: its rule, where it applies and the cells of both sides.
    struct IdentityCheck: Sendable {
        var rule: String
        var scope: String
        var lhs: [CellKey]
        var rhs: [CellKey]
        var byColumn = false
        /// Positions of ``lhs`` and ``rhs`` in the generation's ``Template/keys(_:)``.
        var lhsAt: [Int] = [], rhsAt: [Int] = []
    }

    /// The identity checks of a generation, in the order they are reported (built once).
    static func identityChecks(_ g: Generation) -> [IdentityCheck] { g == .v2019 ? identityChecks2019 : identityChecks2021 }
    private static let identityChecks2019 = makeIdentityChecks(.v2019)
    private static let identityChecks2021 = makeIdentityChecks(.v2021)

    private static func makeIdentityChecks(_ g: Generation) -> [IdentityCheck] {
        var out: [IdentityCheck] = []
        for col in Template.applicantColumns {
            let k = { (row: String) in CellKey(.applications, row, col) }
            out.append(IdentityCheck(rule: "identity1", scope: "column \(col)", lhs: [k("new_received"), k("carried_over")], rhs: [k("total_processed"), k("carried_forward")]))
            out.append(IdentityCheck(rule: "identity2", scope: "column \(col)", lhs: [k("total_processed")], rhs: Template.outcomeRows(g).map(k)))
        }
        for row in Template.applicationRows(g) {
            let k = { (col: String) in CellKey(.applications, row, col) }
            out.append(IdentityCheck(rule: "identity3", scope: "row \(row)", lhs: [k("total")], rhs: Template.applicantColumns.dropLast().map(k), byColumn: true))
        }
        for row in Template.reviewRows {
            let k = { (col: String) in CellKey(.reviews, row, col) }
            out.append(IdentityCheck(rule: "identity4", scope: "row \(row)", lhs: [k("total")], rhs: Template.reviewColumns.dropLast().map(k), byColumn: true))
        }
        for i in out.indices {
            out[i].lhsAt = out[i].lhs.map { TemplateValues.position($0, g) }
            out[i].rhsAt = out[i].rhs.map { TemplateValues.position($0, g) }
        }
        return out
    }

    /// Blank cells in a row whose other cells are numbers (they count as 0 in the identities).
    public static func blanks(_ cells: [CellKey: CellValue], generation g: Generation) -> [Finding] {
        blanks(TemplateValues(cells, generation: g))
    }

    static func blanks(_ cells: TemplateValues) -> [Finding] {
        var out: [Finding] = []
        appendBlanks(cells, to: &out)
        return out
    }

    /// Appends ``blanks(_:)``'s findings to `out`: added to the identities' findings in place,
    /// not made as a list of their own and copied over.
    static func appendBlanks(_ cells: TemplateValues, to out: inout [Finding]) {
        let rows = cells.generation == .v2019 ? blankRows2019 : blankRows2021
        // The cells' dotted names, made once per template (``Template/keyNames(_:)``).
        let names = Template.keyNames(cells.generation)
        var reserved = false
        for r in rows.indices {
            // Counted first: most rows have no blank, and need no list of them.
            let (blanks, numbers) = cells.counts(rows[r].at)
            guard blanks > 0, blanks < rows[r].at.count, numbers > 0 else { continue }
            if !reserved {
                // Room for a finding per row left: the list grew a few times per report.
                out.reserveCapacity(out.count + rows.count - r)
                reserved = true
            }
            out.append(Finding(rule: "blank_cell", severity: .info, message: rows[r].messages[blanks],
                               cells: cells.blankNames(rows[r].at, count: blanks, names: names)))
        }
    }

    /// A numeric row of a generation, made once: its keys' template positions, and its
    /// blank-cell messages (interpolating the message's parts per finding cost more than the
    /// rest of the check).
    struct BlankRow {
        /// The positions in ``Template/keys(_:)`` of the row's keys, in column order.
        let at: [Int]
        /// The finding's message for each number of blank cells (the index), e.g.
        /// `2 blank cell(s) in row applications.granted, counted as 0`: made once, not per finding.
        let messages: [String]
    }

    /// The numeric rows of a generation (built once).
    private static let blankRows2019 = makeBlankRows(.v2019)
    private static let blankRows2021 = makeBlankRows(.v2021)

    private static func makeBlankRows(_ g: Generation) -> [BlankRow] {
        var rows: [[CellKey]] = Template.applicationRows(g).map { r in Template.applicantColumns.map { CellKey(.applications, r, $0) } }
        rows += Template.reviewRows.map { r in Template.reviewColumns.map { CellKey(.reviews, r, $0) } }
        rows += Template.proactiveRows(g).map { r in r.columns.map { CellKey(.proactive, r.row, $0) } }
        return rows.map { keys in
            BlankRow(at: keys.map { TemplateValues.position($0, g) },
                     messages: keys.indices.map { "\($0) blank cell(s) in row \(keys[0].table.rawValue).\(keys[0].row), counted as 0" })
        }
    }

    /// The topics of the narrative claims ``textVsTable(_:claims:)`` checks: it reads the
    /// first claim of each (``NarrativeFacts/firstClaims(normalized:topics:)``).
    static let narrativeTopics = ["applications_received", "admin_reviews"]

    /// The table cells the narrative topics are checked against (made once: making a key
    /// hashes its parts).
    private static let newReceivedTotal = CellKey(.applications, "new_received", "total")
    private static let carriedOverTotal = CellKey(.applications, "carried_over", "total")
    private static let adminReviewTotal = CellKey(.reviews, "admin_review", "total")

    /// Narrative totals against the table (soft: 收到申请N件 sometimes counts carried-over ones too).
    public static func textVsTable(_ cells: [CellKey: CellValue], claims: [NarrativeFacts.Claim]) -> [Finding] {
        textVsTable(claims: claims) { cells[$0] }
    }

    static func textVsTable(_ cells: TemplateValues, claims: [NarrativeFacts.Claim]) -> [Finding] {
        textVsTable(claims: claims) { cells[$0] }
    }

    private static func textVsTable(claims: [NarrativeFacts.Claim], _ cell: (CellKey) -> CellValue?) -> [Finding] {
        func term(_ key: CellKey) -> (Quantity, printed: Bool) { Self.term(cell(key)) }
        var out: [Finding] = []
        var seen: [String] = []   // a topic or two: no hashing
        for claim in claims {
            let tableKeys: [CellKey]
            var accepted: [Quantity] = []
            switch claim.topic {
            case "applications_received":
                let n = term(newReceivedTotal).0
                tableKeys = [newReceivedTotal, carriedOverTotal]
                accepted = [n, n + term(carriedOverTotal).0]
            case "admin_reviews":
                tableKeys = [adminReviewTotal]
                accepted = [term(adminReviewTotal).0]
            default:
                continue
            }
            guard !seen.contains(claim.topic) else { continue }
            seen.append(claim.topic)
            if !accepted.contains(Quantity(claim.value)) {
                out.append(Finding(rule: "text_vs_table", severity: .warning,
                                   message: "the narrative says \(claim.value) (\(claim.context)) but the table gives \(accepted[0])",
                                   cells: tableKeys.map(\.description), printed: String(claim.value), expected: accepted[0].description))
            }
        }
        return out
    }
}
