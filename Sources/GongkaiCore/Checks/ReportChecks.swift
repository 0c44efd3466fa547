/// The checks a single report gets: identities 1–4 of the template with evidence, blank cells
/// inside numeric rows, and narrative totals against the table.
public enum ReportChecks {
    /// All findings for a report.
    public static func run(_ report: Report, claims: [NarrativeFacts.Claim]? = nil) -> [Finding] {
        var cells = [CellKey: CellValue](minimumCapacity: report.cells.count)
        for c in report.cells { cells[c.key] = c.value }
        var out: [Finding] = []
        out += identities(cells, generation: report.generation)
        out += blanks(cells, generation: report.generation)
        out += textVsTable(cells, claims: claims ?? NarrativeFacts.claims(report.narrative))
        return out
    }

    static func term(_ cells: [CellKey: CellValue], _ key: CellKey) -> (Quantity, printed: Bool) {
        let v = cells[key] ?? .blank
        if case .number(let q) = v { return (q, true) }
        return (.zero, false)
    }

    static func describe(_ keys: [CellKey], _ cells: [CellKey: CellValue]) -> String {
        keys.map { k -> String in
            switch cells[k] ?? .blank {
            case .number(let q): return q.description
            case .blank: return "blank"
            case .notApplicable: return "na"
            }
        }.joined(separator: " + ")
    }

    /// Identities 1–4; an identity whose cells are all blank is not checked.
    public static func identities(_ cells: [CellKey: CellValue], generation g: Generation) -> [Finding] {
        var out: [Finding] = []
        for c in identityChecks(g) {
            let name = { (k: CellKey) in c.byColumn ? k.column : k.row }
            // Both sides summed left to right; blank and na count as 0.
            var printed = false, ls = Quantity.zero, rs = Quantity.zero
            for k in c.lhs { let t = term(cells, k); printed = printed || t.printed; ls = ls + t.0 }
            for k in c.rhs { let t = term(cells, k); printed = printed || t.printed; rs = rs + t.0 }
            guard printed, ls != rs else { continue }
            out.append(Finding(
                rule: c.rule, severity: .error,
                message: "\(c.scope): \(c.lhs.map(name).joined(separator: " + ")) = \(ls) but \(c.rhs.map(name).joined(separator: " + ")) = \(rs)",
                cells: (c.lhs + c.rhs).map(\.description),
                printed: "\(describe(c.lhs, cells)) = \(ls)", expected: "\(describe(c.rhs, cells)) = \(rs)"))
        }
        return out
    }

    /// One identity to check: its rule, where it applies and the cells of both sides.
    struct IdentityCheck: Sendable {
        var rule: String
        var scope: String
        var lhs: [CellKey]
        var rhs: [CellKey]
        var byColumn = false
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
        return out
    }

    /// Blank cells in a row whose other cells are numbers (they count as 0 in the identities).
    public static func blanks(_ cells: [CellKey: CellValue], generation g: Generation) -> [Finding] {
        var out: [Finding] = []
        for keys in g == .v2019 ? blankRows2019 : blankRows2021 {
            let blank = keys.filter { cells[$0] == .blank }
            guard !blank.isEmpty, blank.count < keys.count, keys.contains(where: { cells[$0]?.quantity != nil }) else { continue }
            out.append(Finding(rule: "blank_cell", severity: .info,
                               message: "\(blank.count) blank cell(s) in row \(keys[0].table.rawValue).\(keys[0].row), counted as 0",
                               cells: blank.map(\.description)))
        }
        return out
    }

    /// The numeric rows of a generation, as keys (built once).
    private static let blankRows2019 = makeBlankRows(.v2019)
    private static let blankRows2021 = makeBlankRows(.v2021)

    private static func makeBlankRows(_ g: Generation) -> [[CellKey]] {
        var rows: [[CellKey]] = Template.applicationRows(g).map { r in Template.applicantColumns.map { CellKey(.applications, r, $0) } }
        rows += Template.reviewRows.map { r in Template.reviewColumns.map { CellKey(.reviews, r, $0) } }
        rows += Template.proactiveRows(g).map { r in r.columns.map { CellKey(.proactive, r.row, $0) } }
        return rows
    }

    /// Narrative totals against the table (soft: 收到申请N件 sometimes counts carried-over ones too).
    public static func textVsTable(_ cells: [CellKey: CellValue], claims: [NarrativeFacts.Claim]) -> [Finding] {
        var out: [Finding] = []
        var seen = Set<String>()
        for claim in claims {
            let tableKeys: [CellKey]
            var accepted: [Quantity] = []
            switch claim.topic {
            case "applications_received":
                let n = CellKey(.applications, "new_received", "total"), c = CellKey(.applications, "carried_over", "total")
                tableKeys = [n, c]
                accepted = [term(cells, n).0, term(cells, n).0 + term(cells, c).0]
            case "admin_reviews":
                let k = CellKey(.reviews, "admin_review", "total")
                tableKeys = [k]
                accepted = [term(cells, k).0]
            default:
                continue
            }
            guard !seen.contains(claim.topic) else { continue }
            seen.insert(claim.topic)
            if !accepted.contains(Quantity(claim.value)) {
                out.append(Finding(rule: "text_vs_table", severity: .warning,
                                   message: "the narrative says \(claim.value) (\(claim.context)) but the table gives \(accepted[0])",
                                   cells: tableKeys.map(\.description), printed: String(claim.value), expected: accepted[0].description))
            }
        }
        return out
    }
}
