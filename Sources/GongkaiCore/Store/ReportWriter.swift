import Foundation
import GRDB

/// Turns a parsed ``Report`` into the rows of the catalog tables.
enum ReportWriter {
    /// UTC time as `2026-11-29T08:30:00Z`, from the civil-from-days algorithm (an
    /// `ISO8601DateFormatter` per report cost a tenth of the writer's time).
    static func isoTime(_ d: Date) -> String {
        let seconds = Int64(d.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's days → (year, month, day).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// The INSERTs of the built-in tables, made once.
    private static let insertReports = InsertSQL(CatalogTables.reports)
    private static let insertApplications = InsertSQL(CatalogTables.applications)
    private static let insertProactive = InsertSQL(CatalogTables.proactive)
    private static let insertReviews = InsertSQL(CatalogTables.reviews)
    private static let insertNarrative = InsertSQL(CatalogTables.narrative)
    private static let insertFindingsSQL = InsertSQL(CatalogTables.findings)

    /// The cells the writer reads for one row, in column order, each by its position in the
    /// generation's template. Made once per generation: the writer reads 240 cells of every
    /// report, and placing them by position hashes nothing.
    private struct Slots {
        /// A cell's position when the template lacks its key (it is looked up by key).
        static let unplaced = -1
        /// A cell's position when the generation does not have the column (it is NULL).
        static let absent = -2
        /// Each cell's template position, ``unplaced`` or ``absent``.
        let positions: [Int]
        /// Each cell's key (nil when ``absent``).
        let keys: [CellKey?]

        init(_ keys: [CellKey?], _ g: Generation) {
            self.keys = keys
            positions = keys.map { k in k.map { Template.position(of: $0, in: g) ?? Self.unplaced } ?? Self.absent }
        }
    }

    /// Per generation: each `applications` row, by applicant column.
    private static let applicationSlots: [Generation: [Slots]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        let rows = Set(Template.applicationRows(g))
        return (g, Template.applicantColumns.map { col in
            Slots(CatalogTables.applicationRowKeys.map { rows.contains($0) ? CellKey(.applications, $0, col) : nil }, g)
        })
    })

    /// Per generation: the `proactive` row's cells, in column order.
    private static let proactiveSlots: [Generation: Slots] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        (g, Slots(CatalogTables.proactiveColumns.map(\.key), g))
    })

    /// Per generation: each `reviews` row, by proceeding.
    private static let reviewSlots: [Generation: [Slots]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        (g, Template.reviewRows.map { p in Slots(Template.reviewColumns.map { CellKey(.reviews, p, $0) }, g) })
    })

    /// Each of `CatalogTables.applicationTotals`' rows as positions in `applicationRowKeys`.
    private static let applicationTotalRows: [[Int]] = CatalogTables.applicationTotals.map { total in
        total.rows.map { CatalogTables.applicationRowKeys.firstIndex(of: $0)! }
    }

    /// The ids for the next `count` reports, the first returned (the others follow it): above
    /// every id ever handed out in this workspace, so a report that replaces the last one
    /// stored does not take its id (SQLite's own rowid would reuse it) and an id a notebook
    /// holds never names another report. A batch reserves its ids at once (two statements per
    /// report were 0.8% of an ingest's instructions); inside its transaction nothing else
    /// takes one.
    static func reserveReportIDs(_ count: Int, _ db: Database) throws -> Int64 {
        let first = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT max(coalesce((SELECT max(report_id) FROM reports), 0),
                       coalesce((SELECT value FROM meta WHERE key = 'last_report_id'), 0)) + 1
            """)) ?? 1
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_report_id', ?)")
            .execute(arguments: [first + Int64(count) - 1])
        return first
    }

    /// Stores report `r` as report `id` (reserved by ``reserveReportIDs(_:_:)``; `placed`: its
    /// cells placed in its template, `packed`: its packed cells, `findings`: the findings to
    /// store (its own by default), when already made) with the write's `inserts`;
    /// `ingestedAt` is the ``isoTime(_:)`` of the write (made once for a batch).
    static func insert(_ r: Report, id: Int64, sha256: String, ingestedAt: String, cells cellStore: CellStore, placed: TemplateCells? = nil,
                       packed: CellStore.Packed? = nil, findings: FindingRows? = nil, into inserts: InsertStatements) throws {
        let findings = findings ?? FindingRows(r.findings)
        let placed = placed ?? TemplateCells(r.cells, generation: r.generation)
        func value(_ slots: Slots, _ k: Int) -> CellValue {
            let p = slots.positions[k]
            let i = p >= 0 ? placed.index(atPosition: p)
                : p == Slots.absent || placed.others.isEmpty ? nil : placed.others[slots.keys[k]!]
            return i.map { r.cells[$0].value } ?? .blank
        }
        let m = r.metadata
        let failed = findings.findings.filter(\.isIdentityFailure).count
        // The report dimensions every analytic table repeats (`CatalogTables.dimensions`).
        let level = CatalogTables.level(m.region)
        func bindDims(_ s: inout InsertStatement, _ id: Int64) {
            s.bind(id)
            s.bind(m.agency)
            s.bind(m.year)
            s.bind(r.generation.rawValue)
            s.bind(m.region.province)
            s.bind(m.region.city)
            s.bind(m.region.county)
            s.bind(level)
        }

        var rep = try InsertStatement(inserts, insertReports, rows: 1)
        bindDims(&rep, id)
        rep.bind(r.source)
        rep.bind(r.format.rawValue)
        rep.bind(m.title)
        rep.bind(sha256)
        rep.bind(ingestedAt)
        rep.bind(failed)
        rep.bind(r.uncertain.count)
        try rep.step()

        // applications: one row per applicant column.
        let applicants = applicationSlots[r.generation] ?? []
        var values = [CellValue](repeating: .blank, count: CatalogTables.applicationRowKeys.count)
        try InsertStatement.insert(applicants.indices, with: insertApplications, in: inserts) { apps, a in
            bindDims(&apps, id)
            apps.bind(Template.applicantColumns[a])
            for k in values.indices {
                values[k] = value(applicants[a], k)
                apps.bind(values[k])
            }
            for rows in applicationTotalRows {
                var total = Quantity.zero, any = false
                for k in rows { if let q = values[k].quantity { total = total + q; any = true } }
                apps.bind(any ? .number(total) : CellValue.blank)
            }
        }

        // proactive: one row.
        var pro = try InsertStatement(inserts, insertProactive, rows: 1)
        bindDims(&pro, id)
        if let slots = proactiveSlots[r.generation] {
            for k in slots.positions.indices { pro.bind(value(slots, k)) }
        }
        try pro.step()

        // reviews: one row per proceeding.
        let reviews = reviewSlots[r.generation] ?? []
        try InsertStatement.insert(reviews.indices, with: insertReviews, in: inserts) { rev, p in
            bindDims(&rev, id)
            rev.bind(Template.reviewRows[p])
            for k in reviews[p].positions.indices { rev.bind(value(reviews[p], k)) }
        }

        // cells: packed, one row per report.
        try cellStore.insert(r, placed: placed, packed: packed, id: id, in: inserts)

        // narrative.
        try InsertStatement.insert(r.narrative.indices, with: insertNarrative, in: inserts) { para, i in
            let p = r.narrative[i]
            para.bind(id)
            para.bind(i + 1)
            para.bind(p.span.line)
            para.bind(p.span.endLine)
            para.bind(p.text)
        }

        try insertFindings(findings, report: id, into: inserts)
    }

    /// Stores findings of report `id` with the write's `inserts`.
    static func insertFindings(_ rows: FindingRows, report id: Int64, into inserts: InsertStatements) throws {
        try InsertStatement.insert(rows.findings.indices, with: insertFindingsSQL, in: inserts) { f, i in
            let x = rows.findings[i]
            f.bind(id)
            f.bind(x.rule)
            f.bind(x.severity.rawValue)
            f.bind(x.message)
            f.bind(rows.cells[i])
            f.bind(x.printed)
            f.bind(x.expected)
        }
    }
}

/// Findings as the `findings` table stores them, each with its cells' keys joined: made where
/// a report is parsed, so the writer only binds them.
struct FindingRows: Sendable {
    /// The findings.
    let findings: [Finding]
    /// Each finding's `cells` column.
    let cells: [String]

    /// The rows of `findings`.
    init(_ findings: [Finding]) {
        self.findings = findings
        cells = findings.map { $0.cells.joined(separator: ",") }
    }
}
