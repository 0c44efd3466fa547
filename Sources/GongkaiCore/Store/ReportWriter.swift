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

    static func insertSQL(_ d: CatalogTables.Definition, skipping: Set<String> = []) -> String {
        let cols = d.columns.filter { !skipping.contains($0.name) }.map { "\"\($0.name)\"" }
        return "INSERT INTO \"\(d.name)\" (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
    }

    /// The INSERTs of the built-in tables, made once: GRDB's statement cache is keyed by the
    /// SQL text, and the same string object is found without comparing characters.
    private static let insertReports = insertSQL(CatalogTables.reports)
    private static let insertApplications = insertSQL(CatalogTables.applications)
    private static let insertProactive = insertSQL(CatalogTables.proactive)
    private static let insertReviews = insertSQL(CatalogTables.reviews)
    private static let insertNarrative = insertSQL(CatalogTables.narrative)
    private static let insertFindingsSQL = insertSQL(CatalogTables.findings)

    /// A cell the writer reads: its key and its position in the generation's template (nil
    /// when the template lacks it). Made once per generation: the writer reads 240 cells
    /// of every report, and placing them by position hashes nothing.
    private struct Slot {
        let key: CellKey
        let position: Int?
        init(_ key: CellKey, _ g: Generation) {
            self.key = key
            position = Template.position(of: key, in: g)
        }
    }

    /// Per generation: each `applications` column (applicant) by row, nil for a row the
    /// generation's template does not have.
    private static let applicationSlots: [Generation: [[Slot?]]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        let rows = Set(Template.applicationRows(g))
        return (g, Template.applicantColumns.map { col in
            CatalogTables.applicationRowKeys.map { rows.contains($0) ? Slot(CellKey(.applications, $0, col), g) : nil }
        })
    })

    /// Per generation: the `proactive` row's cells, in column order.
    private static let proactiveSlots: [Generation: [Slot]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        (g, CatalogTables.proactiveColumns.map { Slot($0.key, g) })
    })

    /// Per generation: each `reviews` row (proceeding) by column.
    private static let reviewSlots: [Generation: [[Slot]]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        (g, Template.reviewRows.map { p in Template.reviewColumns.map { Slot(CellKey(.reviews, p, $0), g) } })
    })

    /// Each of `CatalogTables.applicationTotals`' rows as positions in `applicationRowKeys`.
    private static let applicationTotalRows: [[Int]] = CatalogTables.applicationTotals.map { total in
        total.rows.map { CatalogTables.applicationRowKeys.firstIndex(of: $0)! }
    }

    /// The id for the next report: above every id ever handed out in this workspace, so a
    /// report that replaces the last one stored does not take its id (SQLite's own rowid
    /// would reuse it) and an id a notebook holds never names another report.
    static func nextReportID(_ db: Database) throws -> Int64 {
        let id = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT max(coalesce((SELECT max(report_id) FROM reports), 0),
                       coalesce((SELECT value FROM meta WHERE key = 'last_report_id'), 0)) + 1
            """)) ?? 1
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_report_id', ?)").execute(arguments: [id])
        return id
    }

    static func insert(_ r: Report, sha256: String, ingestedAt: Date, cells cellStore: CellStore, into db: Database) throws -> Int64 {
        let placed = TemplateCells(r.cells, generation: r.generation)
        func value(_ slot: Slot) -> CellValue {
            let i = slot.position.map(placed.index(atPosition:)) ?? (placed.others.isEmpty ? nil : placed.others[slot.key])
            return i.map { r.cells[$0].value } ?? .blank
        }
        let m = r.metadata
        let failed = r.findings.filter(\.isIdentityFailure).count
        // The report dimensions every analytic table repeats (`CatalogTables.dimensions`).
        func bindDimensions(_ s: inout InsertStatement) {
            s.bind(m.agency)
            s.bind(m.year)
            s.bind(r.generation.rawValue)
            s.bind(m.region.province)
            s.bind(m.region.city)
            s.bind(m.region.county)
            s.bind(CatalogTables.level(m.region))
        }
        func bindDims(_ s: inout InsertStatement, _ id: Int64) {
            s.bind(id)
            bindDimensions(&s)
        }

        let id = try nextReportID(db)
        var rep = try InsertStatement(db, sql: insertReports)
        bindDims(&rep, id)
        rep.bind(r.source)
        rep.bind(r.format.rawValue)
        rep.bind(m.title)
        rep.bind(sha256)
        rep.bind(isoTime(ingestedAt))
        rep.bind(failed)
        rep.bind(r.uncertain.count)
        try rep.step()

        // applications: one row per applicant column.
        var apps = try InsertStatement(db, sql: insertApplications)
        var values: [CellValue] = []
        values.reserveCapacity(CatalogTables.applicationRowKeys.count)
        for (col, slots) in zip(Template.applicantColumns, applicationSlots[r.generation] ?? []) {
            bindDims(&apps, id)
            apps.bind(col)
            values.removeAll(keepingCapacity: true)
            for slot in slots {
                let v = slot.map(value) ?? .blank
                values.append(v)
                apps.bind(v)
            }
            for rows in applicationTotalRows {
                let parts = rows.compactMap { values[$0].quantity }
                apps.bind(parts.isEmpty ? CellValue.blank : .number(parts.reduce(.zero, +)))
            }
            try apps.step()
        }

        // proactive: one row.
        var pro = try InsertStatement(db, sql: insertProactive)
        bindDims(&pro, id)
        for slot in proactiveSlots[r.generation] ?? [] { pro.bind(value(slot)) }
        try pro.step()

        // reviews: one row per proceeding.
        var rev = try InsertStatement(db, sql: insertReviews)
        for (p, slots) in zip(Template.reviewRows, reviewSlots[r.generation] ?? []) {
            bindDims(&rev, id)
            rev.bind(p)
            for slot in slots { rev.bind(value(slot)) }
            try rev.step()
        }

        // cells: packed, one row per report.
        try cellStore.insert(r, placed: placed, id: id, in: db)

        // narrative.
        var para = try InsertStatement(db, sql: insertNarrative)
        for (i, p) in r.narrative.enumerated() {
            para.bind(id)
            para.bind(i + 1)
            para.bind(p.span.line)
            para.bind(p.span.endLine)
            para.bind(p.text)
            try para.step()
        }

        try insertFindings(r.findings, report: id, into: db)
        return id
    }

    /// Stores findings of report `id`.
    static func insertFindings(_ findings: [Finding], report id: Int64, into db: Database) throws {
        guard !findings.isEmpty else { return }
        var f = try InsertStatement(db, sql: insertFindingsSQL)
        for x in findings {
            f.bind(id)
            f.bind(x.rule)
            f.bind(x.severity.rawValue)
            f.bind(x.message)
            f.bind(x.cells.joined(separator: ","))
            f.bind(x.printed)
            f.bind(x.expected)
            try f.step()
        }
    }
}
