import Foundation
import GRDB
import GongkaiPluginAPI

/// The plugins' work on two reports at once: pair tables (`PluginTable.derivePair`) and pair
/// checks (`PluginCheck.runPair`) over last year's and this year's report of one agency.
///
/// Runs inside the transaction that stores a report, so a pair's rows and findings are there
/// exactly when both reports are: storing year Y computes the pairs (Y−1 → Y) and recomputes
/// (Y → Y+1); deleting a report removes the rows that name it (foreign keys cascade).
enum PairDerivations {
    /// Whether any plugin works on pairs (when none does, storing costs no extra reads).
    static func hasWork(_ registry: PluginRegistry) -> Bool {
        registry.tables.values.contains { $0.table.derivePair != nil } || registry.checks.contains { $0.check.runPair != nil }
    }

    /// Computes every pair the newly stored report `id` (content hash `sha256`, plugin view
    /// `view` when already made) takes part in; `recent` lends the views of reports stored
    /// moments ago and keeps this one's; `inserts` are the write's.
    static func refresh(around id: Int64, sha256: String, report: Report, view: PluginReport?, registry: PluginRegistry,
                        cells: CellStore, recent: RecentViews?, inserts: InsertStatements) throws {
        guard hasWork(registry), let agency = report.metadata.agency, let year = report.metadata.year else { return }
        let db = inserts.db
        let current = view ?? PluginBridge.view(report)
        recent?.keep(current, id: id, sha256: sha256)
        let years = try reportIDs(agency: agency, years: (year - 1)...(year + 1), db)
        for previous in years[0] {
            guard let view = try storedView(previous, cells: cells, db, recent: recent) else { continue }
            try run(registry, previous: (previous, view), current: (id, current), inserts)
        }
        for next in years[2] {
            guard let nextView = try storedView(next, cells: cells, db, recent: recent) else { continue }
            try clear(next, registry: registry, db: db)
            for previous in years[1] {
                let view = previous == id ? current : try storedView(previous, cells: cells, db, recent: recent)
                guard let view else { continue }
                try run(registry, previous: (previous, view), current: (next, nextView), inserts)
            }
        }
    }

    /// The reports of one agency in each of `years` (in order of id), read with one query.
    static func reportIDs(agency: String, years: ClosedRange<Int>, _ db: Database) throws -> [[Int64]] {
        var ids = [[Int64]](repeating: [], count: years.count)
        var query = try QueryStatement(db, sql: "SELECT report_id, year FROM reports WHERE agency = ? AND year BETWEEN ? AND ? ORDER BY report_id")
        query.bind(agency)
        query.bind(Int64(years.lowerBound))
        query.bind(Int64(years.upperBound))
        while try query.step() {
            ids[Int(query.int64(1)) - years.lowerBound].append(query.int64(0))
        }
        return ids
    }

    /// Removes what the pairs ending in report `id` produced.
    static func clear(_ id: Int64, registry: PluginRegistry, db: Database) throws {
        for (name, entry) in registry.tables where entry.table.derivePair != nil {
            try db.execute(sql: "DELETE FROM \"\(name)\" WHERE report_id = ?", arguments: [id])
        }
        for (plugin, check) in registry.checks where check.runPair != nil {
            try db.execute(sql: clearFindingsSQL, arguments: [id, "\(plugin).\(check.rule)"])
        }
    }

    /// Deletes one report's findings of one rule. `+rule` keeps SQLite on the report_id
    /// index: a report has a handful of findings, a rule tens of thousands (through
    /// findings_rule, every delete read all of them: 30 ms a report in a 100k workspace).
    static let clearFindingsSQL = "DELETE FROM findings WHERE report_id = ? AND +rule = ?"

    /// Runs every pair table and pair check on one pair and stores the results under the later
    /// report with the write's `inserts`.
    static func run(_ registry: PluginRegistry, previous: (id: Int64, view: PluginReport), current: (id: Int64, view: PluginReport),
                    _ inserts: InsertStatements) throws {
        var findings: [Finding] = []
        for (plugin, table) in registry.orderedTables {
            guard let derive = table.derivePair else { continue }
            do {
                let rows = try derive(previous.view, current.view)
                if let bad = rows.first(where: { $0.count != table.columns.count }) {
                    throw PluginError("row has \(bad.count) values for \(table.columns.count) columns")
                }
                try PluginRows.insert(rows, into: table, of: registry, prefix: [current.id, previous.id], inserts)
            } catch let error as DatabaseError {
                throw error
            } catch {
                findings.append(Finding(rule: "plugin_error", severity: .warning,
                                        message: "plugin \(plugin) failed on table \(table.name): \(error)"))
            }
        }
        for (plugin, check) in registry.checks {
            guard let runPair = check.runPair else { continue }
            do {
                findings += try runPair(previous.view, current.view).map { PluginBridge.finding($0, plugin: plugin) }
            } catch {
                findings.append(Finding(rule: "plugin_error", severity: .warning, message: "plugin \(plugin) check \(check.rule) failed: \(error)"))
            }
        }
        try ReportWriter.insertFindings(FindingRows(findings), report: current.id, into: inserts)
    }

    /// A stored report as plugins see it: metadata, cells and narrative read back from the
    /// workspace, or taken from `recent` when it holds the view of this id and content.
    static func storedView(_ id: Int64, cells store: CellStore, _ db: Database, recent: RecentViews? = nil) throws -> PluginReport? {
        if let recent {
            // The content hash alone tells whether the kept view is this report's.
            var query = try QueryStatement(db, sql: "SELECT sha256 FROM reports WHERE report_id = ?")
            query.bind(id)
            guard try query.step() else { return nil }
            if let sha256 = query.text(0), let view = recent.view(id: id, sha256: sha256) {
                _ = try query.step()
                return view
            }
            _ = try query.step()
        }
        guard let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT source, generation, year, agency, province, city, county FROM reports WHERE report_id = ?"),
                                       arguments: [id]) else { return nil }
        var cells: [String: PluginValue] = [:]
        for c in try store.cells(of: id, in: db) {
            cells[c.key.description] = PluginBridge.value(c.cellValue)
        }
        let narrative = try Row.fetchAll(db.cachedStatement(sql: "SELECT line, end_line, text FROM narrative WHERE report_id = ? ORDER BY paragraph"), arguments: [id]).map {
            PluginReport.Paragraph(text: $0[2], span: .init(line: $0[0], endLine: $0[1]))
        }
        return PluginReport(source: r[0], generation: r[1], year: r[2], agency: r[3], province: r[4], city: r[5], county: r[6],
                            cells: cells, narrative: narrative)
    }
}

/// The plugin views of the reports stored last, so a pair with a report written moments ago
/// (the usual case: an agency's years arrive together) does not read its cells and narrative
/// back. A view is lent only for the same id *and* content hash: an id that a rolled-back
/// transaction freed and another report took gets read from the workspace.
final class RecentViews: @unchecked Sendable {
    private let lock = NSLock()
    private var views: [Int64: (sha256: String, view: PluginReport)] = [:]
    private var order: [Int64] = []
    private let capacity: Int
    /// Where the views forgotten go to be freed (nil: freed at once).
    private let retired: RetiredValues?

    /// Keeps the last `capacity` views, handing those it forgets to `retired`.
    init(capacity: Int = 256, retired: RetiredValues? = nil) {
        self.capacity = capacity
        self.retired = retired
    }

    /// Keeps the view of report `id`, forgetting the oldest beyond the capacity.
    func keep(_ view: PluginReport, id: Int64, sha256: String) {
        lock.lock()
        if views.updateValue((sha256, view), forKey: id) == nil { order.append(id) }
        let forgotten = order.count > capacity ? views.removeValue(forKey: order.removeFirst()) : nil
        lock.unlock()
        if let forgotten { retired?.retire(forgotten.view) }
    }

    /// The kept view of report `id` if it was kept for this content.
    func view(id: Int64, sha256: String) -> PluginReport? {
        lock.lock(); defer { lock.unlock() }
        guard let v = views[id], v.sha256 == sha256 else { return nil }
        return v.view
    }
}

/// Writes the rows of a plugin table.
enum PluginRows {
    /// The INSERT of a table's rows: the host's id columns, then the plugin's.
    static func insertSQL(_ table: PluginTable) -> InsertSQL {
        InsertSQL(table: table.name, columns: PluginBridge.hostColumns(table).map(\.name) + table.columns.map(\.name))
    }

    /// Inserts `rows` into `table` of `registry`, each preceded by `prefix` (the host's id
    /// columns), with the write's `inserts`.
    static func insert(_ rows: [[PluginValue]], into table: PluginTable, of registry: PluginRegistry, prefix: [Int64],
                       _ inserts: InsertStatements) throws {
        guard !rows.isEmpty else { return }
        try InsertStatement.insert(rows, with: registry.insertSQL[table.name] ?? insertSQL(table), in: inserts) { stmt, row in
            for id in prefix { stmt.bind(id) }
            for v in row {
                switch v {
                case .null: stmt.bind(nil as Int64?)
                case .integer(let i): stmt.bind(i)
                case .decimal(let m, let s): stmt.bind(Quantity.decimalText(mantissa: m, scale: s))
                case .text(let t): stmt.bind(t)
                case .bool(let b): stmt.bind(Int64(b ? 1 : 0))
                }
            }
        }
    }
}
