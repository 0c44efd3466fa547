import Foundation
import CSQLiteSetup
import GRDB
import GongkaiPluginAPI

/// The embedded store: one SQLite file holding reports, every cell with its raw text and
/// span (packed per report, see ``CellStore``), findings, and plugin tables.
///
/// Reports are written whole inside transactions (one report, or a batch of whole reports),
/// so an interrupted ingest leaves whole reports or none. Re-ingesting an unchanged file is a no-op (content hash); a changed file
/// replaces that report's earlier version. The schema is versioned by migrations from v1.
public final class Workspace: @unchecked Sendable {
    /// The database file.
    public let path: String
    /// The GRDB connection (serialised).
    public let db: DatabaseQueue
    /// The plugins whose tables this workspace holds and fills at ingest.
    public let registry: PluginRegistry
    /// What the writer is done with, for the parsing threads to free.
    let retired: RetiredValues
    /// The views of the reports this workspace stored last, for their pairs with the next ones.
    let recentViews: RecentViews
    /// The packed `cells` table (its key codes are kept for the life of the workspace).
    let cellStore = CellStore()

    /// SQLite's process-wide options, set once before the first connection opens
    /// (`gk_sqlite_setup`: no per-call connection mutex, no memory statistics).
    private static let sqliteSetUp: Void = { _ = gk_sqlite_setup() }()

    /// Opens (creating and migrating when needed) the workspace at `path`, with the tables of
    /// the registry's plugins.
    public init(path: String, registry: PluginRegistry = PluginRegistry()) throws {
        self.path = path
        self.registry = registry
        let retired = RetiredValues()
        self.retired = retired
        recentViews = RecentViews(retired: retired)
        _ = Self.sqliteSetUp
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A diagnostic for performance work: GK_TRACE_SQL=1 prints every statement
            // that takes over 2 ms to standard error.
            if ProcessInfo.processInfo.environment["GK_TRACE_SQL"] != nil {
                db.trace(options: .profile) { e in
                    if case .profile(let st, let d) = e, d > 0.002 { FileHandle.standardError.write(Data("SLOW \(Int(d * 1000)) ms: \(st.sql.prefix(160))\n".utf8)) }
                }
            }
        }
        db = try DatabaseQueue(path: path, configuration: config)
        try db.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        let longFormCells = try db.read { try $0.tableExists("cells") }
        try Self.migrator.migrate(db)
        // Converting long-form cells (v6) frees most of the file: give the space back, when
        // the disk has room for the copy VACUUM makes (otherwise the file keeps its size).
        if longFormCells { try? db.vacuum() }
        try db.write { db in try Self.createPluginTables(registry, in: db) }
    }

    /// How long a connection waits for another process's write to end (seconds) before it
    /// fails with "database is locked": opening a workspace writes (migrations, plugin
    /// tables), so two processes opening one workspace at once — a REPL and a notebook run —
    /// would otherwise fail at once.
    static let busyTimeout: TimeInterval = 10

    /// What opening the workspace at `path` will convert before it can be used, said so a
    /// front end can tell the user why the first open of a large old workspace takes minutes;
    /// nil when there is nothing to convert (or no workspace there yet).
    public static func pendingConversion(at path: String) -> String? {
        guard FileManager.default.fileExists(atPath: path),
              let queue = try? DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db -> String? in
            guard try db.tableExists("cells"), try db.tableExists("reports"),
                  try !(migrator.appliedIdentifiers(db).contains("v6-packed-cells")) else { return nil }
            let reports = try Int.fetchOne(db, sql: "SELECT count(*) FROM reports") ?? 0
            return "converting the cells of \(reports) reports to the packed form, once (a million reports take about 12 minutes)"
        }
    }

    /// Creates the derived tables of the registry's plugins (once; their rows come at ingest).
    static func createPluginTables(_ registry: PluginRegistry, in db: Database) throws {
        for (plugin, table) in registry.orderedTables {
            guard let def = PluginBridge.definition(table) else { continue }
            if try !db.tableExists(table.name) {
                try db.execute(sql: CatalogTables.createSQL(def))
                try db.execute(sql: "CREATE INDEX \"\(table.name)_report\" ON \"\(table.name)\"(report_id)")
                if table.derivePair != nil {
                    try db.execute(sql: "CREATE INDEX \"\(table.name)_previous\" ON \"\(table.name)\"(previous_report_id)")
                }
            }
            try db.execute(sql: "INSERT OR REPLACE INTO plugin_tables (name, plugin, description) VALUES (?, ?, ?)",
                           arguments: [table.name, plugin, table.description])
        }
    }

    /// Versioned schema migrations. Never edit a shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.reports))
            try db.execute(sql: "CREATE UNIQUE INDEX reports_sha256 ON reports(sha256)")
            try db.execute(sql: "CREATE INDEX reports_source ON reports(source)")
            try db.execute(sql: "CREATE INDEX reports_agency_year ON reports(agency, year)")
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.applications, primaryKey: "report_id, applicant"))
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.proactive, primaryKey: "report_id"))
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.reviews, primaryKey: "report_id, proceeding"))
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.cells, primaryKey: "report_id, \"table\", \"row\", col") + " WITHOUT ROWID")
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.findings))
            try db.execute(sql: "CREATE INDEX findings_report ON findings(report_id)")
            try db.execute(sql: "CREATE INDEX findings_rule ON findings(rule)")
        }
        m.registerMigration("v2-plugin-tables") { db in
            try db.execute(sql: "CREATE TABLE plugin_tables (name TEXT PRIMARY KEY, plugin TEXT NOT NULL, description TEXT)")
        }
        m.registerMigration("v3-data-version") { db in
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('data_version', 0)")
        }
        m.registerMigration("v4-level-narrative") { db in
            // The agency level on every table with the report dimensions.
            // (A workspace created by this version has the column from v1, which reads the
            // current definitions.)
            for table in ["reports", "applications", "proactive", "reviews"]
            where try !db.columns(in: table).contains(where: { $0.name == "level" }) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN level TEXT")
                try db.execute(sql: """
                    UPDATE \(table) SET level = CASE WHEN county IS NOT NULL THEN 'county' WHEN city IS NOT NULL THEN 'city'
                                                    WHEN province IS NOT NULL THEN 'province' END
                    """)
            }
            // The narrative, for text search and the cross-year comparisons (reports ingested
            // before this version have none until they are ingested again).
            try db.execute(sql: CatalogTables.createSQL(CatalogTables.narrative))
            try db.execute(sql: "CREATE INDEX narrative_report ON narrative(report_id, paragraph)")
        }
        m.registerMigration("v5-workspace-id") { db in
            // Names this workspace's contents for the column snapshot files beside it.
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('workspace_id', abs(random()))")
        }
        m.registerMigration("v6-packed-cells") { db in
            // The cells of a report in one blob (`cell_sets`, see PackedCells) instead of
            // 200 rows; the long-form rows of earlier versions are converted, then dropped.
            for sql in CellStore.createSQL { try db.execute(sql: sql) }
            try CellStore().convertLongForm(db)
            // Debian's SQLite overwrites freed pages with zeros (secure_delete): dropping
            // the long-form table of a million reports would write its 16 GB once more.
            let secure = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
            try db.execute(sql: "PRAGMA secure_delete = 0")
            try db.execute(sql: "DROP TABLE cells")
            try db.execute(sql: "PRAGMA secure_delete = \(secure)")
        }
        return m
    }

    /// The cells of stored report `id` in key order (the `cells` rows of that report).
    public func storedCells(of id: Int64) throws -> [StoredCell] {
        try db.read { try cellStore.cells(of: id, in: $0) }
    }

    /// Reads the workspace's cell key codes, so reports parsed for it can be packed on the
    /// parsing threads (``PendingReport/init(_:sha256:replacing:for:)``).
    func loadCellCodes() throws {
        try db.read { try cellStore.reload($0) }
    }

    /// What the workspace already holds: content hash and report id by source path.
    public func knownSources() throws -> (bySource: [String: (id: Int64, sha: String)], shas: Set<String>) {
        try db.read { db in
            var bySource: [String: (Int64, String)] = [:]
            var shas = Set<String>()
            let rows = try Row.fetchCursor(db, sql: "SELECT report_id, source, sha256 FROM reports")
            while let row = try rows.next() {
                let sha: String = row["sha256"]
                bySource[row["source"]] = (row["report_id"], sha)
                shas.insert(sha)
            }
            return (bySource, shas)
        }
    }

    /// Writes one report in its own transaction, replacing `replacing` (an earlier version).
    @discardableResult
    public func store(_ report: Report, sha256: String, replacing: Int64? = nil, now: Date = Date()) throws -> Int64 {
        let pending = PendingReport(report, sha256: sha256, replacing: replacing, for: self)
        return try db.write { db in try write([pending], now: now, in: db)[0] }
    }

    /// Writes several reports in one transaction — all of them or none, each exactly as a
    /// single ``store(_:sha256:replacing:now:)`` writes it. One transaction per report costs
    /// the index and WAL pages of every report again; a batch pays them once.
    ///
    /// When the batch's transaction fails, each report is written in its own transaction, so
    /// the one that cannot be stored gets its own error and the others are kept.
    ///
    /// A batch of new reports is written without foreign-key checks (``setForeignKeyChecks(_:_:)``);
    /// with `moreToCome` they stay off for the next batch, until a batch that replaces
    /// reports or ``endBatches()``.
    func store(batch: [PendingReport], now: Date = Date(), moreToCome: Bool = false) -> [Result<Int64, Error>] {
        if batch.isEmpty { return [] }
        do {
            let ids = try db.writeWithoutTransaction { db in
                try setForeignKeyChecks(batch.contains { $0.replacing != nil }, db)
                defer { if !moreToCome { try? setForeignKeyChecks(true, db) } }
                var ids: [Int64] = []
                try db.inTransaction {
                    ids = try write(batch, now: now, in: db)
                    return .commit
                }
                return ids
            }
            return ids.map { .success($0) }
        } catch {
            endBatches()
            if batch.count == 1 { return [.failure(error)] }
            return batch.map { p in Result { try db.write { db in try write([p], now: now, in: db)[0] } } }
        }
    }

    /// Turns foreign-key checks back on after batches stored with `moreToCome`.
    func endBatches() {
        try? db.writeWithoutTransaction { try setForeignKeyChecks(true, $0) }
    }

    /// Whether foreign-key checks are off on the connection (changed only on its queue).
    private var foreignKeyChecksOff = false

    /// Turns SQLite's foreign-key enforcement on or off, when it is not so already.
    ///
    /// A batch of new reports cannot break a reference: each report's rows are written right
    /// after its own `reports` row, and the earlier reports it is paired with are read from
    /// the same database. Checking every child row's `report_id` against `reports` cost 0.6% of an
    /// ingest's instructions. A batch that replaces earlier reports keeps the checks on,
    /// because deleting them relies on `ON DELETE CASCADE`. (The pragma cannot change inside a
    /// transaction, so it is set around it; and as it expires every prepared statement, which
    /// SQLite then prepares again, it is not switched back and forth around each batch.)
    private func setForeignKeyChecks(_ on: Bool, _ db: Database) throws {
        guard foreignKeyChecksOff == on else { return }
        try db.execute(sql: on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF")
        foreignKeyChecksOff = !on
    }

    /// Reports' rows inside the caller's transaction, and the data version moved on once by
    /// their number (once per report cost 0.2% of an ingest's instructions).
    private func write(_ batch: [PendingReport], now: Date, in db: Database) throws -> [Int64] {
        let first = try ReportWriter.reserveReportIDs(batch.count, db)
        let inserts = InsertStatements(db)
        let time = ReportWriter.isoTime(now)
        let ids = try batch.enumerated().map { k, p in try write(p, id: first + Int64(k), ingestedAt: time, in: inserts) }
        try db.execute(sql: "UPDATE meta SET value = value + ? WHERE key = 'data_version'", arguments: [batch.count])
        return ids
    }

    /// One report's rows as report `id`, inside the caller's transaction (with its `inserts`).
    private func write(_ p: PendingReport, id: Int64, ingestedAt: String, in inserts: InsertStatements) throws -> Int64 {
        let db = inserts.db
        let report = p.report
        if let old = p.replacing { try db.execute(sql: "DELETE FROM reports WHERE report_id = ?", arguments: [old]) }
        try ReportWriter.insert(report, id: id, sha256: p.sha256, ingestedAt: ingestedAt, cells: cellStore, placed: p.plugins.placed,
                                packed: p.packedCells, findings: p.findingRows ?? FindingRows(report.findings + p.plugins.findings),
                                into: inserts)
        for (name, rows) in p.plugins.rows {
            guard let table = registry.tables[name]?.table else { continue }
            try PluginRows.insert(rows, into: table, of: registry, prefix: [id], inserts)
        }
        try PairDerivations.refresh(around: id, sha256: p.sha256, report: report, view: p.plugins.view, registry: registry,
                                    cells: cellStore, recent: recentViews, inserts: inserts)
        return id
    }

    /// A number that changes whenever the workspace's data changes (in any process): column
    /// snapshots loaded for queries are valid while it stays the same.
    public func dataVersion() throws -> Int64 {
        try db.read { try Int64.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'data_version'") ?? 0 }
    }

    /// The identity and data version that column snapshot files are stamped with.
    func snapshotStamp() throws -> ColumnSnapshot.Stamp {
        try db.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key IN ('workspace_id', 'data_version')")
            var stamp = ColumnSnapshot.Stamp(workspace: 0, version: 0)
            for r in rows {
                if r["key"] as String == "workspace_id" { stamp.workspace = r["value"] } else { stamp.version = r["value"] }
            }
            return stamp
        }
    }

    /// Number of reports stored.
    public func reportCount() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM reports") ?? 0 }
    }

    /// A stored report as plugins see it (metadata, cells and narrative read back), or nil.
    public func pluginReport(id: Int64) throws -> PluginReport? {
        try db.read { try PairDerivations.storedView(id, cells: cellStore, $0) }
    }

    /// Recomputes the cross-year identities 5 and 6 over the whole workspace.
    public func refreshCrossYearFindings() throws {
        try db.write { db in
            try CrossYearChecks.refresh(db)
            try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
        }
    }
}

/// A parsed report, with its plugins' output, waiting to be written.
struct PendingReport: Sendable {
    /// The report.
    var report: Report
    /// The content hash of its file.
    var sha256: String
    /// The id of the earlier version of the same file, deleted in the same transaction.
    var replacing: Int64?
    /// The plugins' rows and findings for it.
    var plugins: PluginOutput
    /// Its cells packed for the `cell_sets` row, when that could be done without the database.
    var packedCells: CellStore.Packed? = nil
    /// Its findings and its plugins', as stored, when already made.
    var findingRows: FindingRows? = nil
}

extension PendingReport {
    /// `report` made ready to be written into `workspace` on the thread that parsed it: all
    /// that depends on the report alone (plugin rows and view, placed and packed cells) is
    /// done here, so the ingest's one writer thread mostly binds and steps.
    init(_ report: Report, sha256: String, replacing: Int64?, for workspace: Workspace) {
        let plugins = PluginOutput.run(workspace.registry, on: report)
        self.init(report: report, sha256: sha256, replacing: replacing, plugins: plugins,
                  packedCells: workspace.cellStore.pack(report, placed: plugins.placed),
                  findingRows: FindingRows(report.findings + plugins.findings))
    }
}
