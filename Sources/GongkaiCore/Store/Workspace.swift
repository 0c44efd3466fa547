import Foundation
import GRDB

/// The embedded store: one SQLite file holding reports, every cell with its raw text and
/// span, findings, and plugin tables.
///
/// Each report is written in its own transaction, so an interrupted ingest leaves whole
/// reports or none. Re-ingesting an unchanged file is a no-op (content hash); a changed file
/// replaces that report's earlier version. The schema is versioned by migrations from v1.
public final class Workspace: @unchecked Sendable {
    /// The database file.
    public let path: String
    /// The GRDB connection (serialised).
    public let db: DatabaseQueue

    /// Opens (creating and migrating when needed) the workspace at `path`.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        db = try DatabaseQueue(path: path, configuration: config)
        try db.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try Self.migrator.migrate(db)
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
        return m
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
        try db.write { db in
            if let old = replacing { try db.execute(sql: "DELETE FROM reports WHERE report_id = ?", arguments: [old]) }
            return try ReportWriter.insert(report, sha256: sha256, ingestedAt: now, into: db)
        }
    }

    /// Number of reports stored.
    public func reportCount() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM reports") ?? 0 }
    }

    /// Recomputes the cross-year identities 5 and 6 over the whole workspace.
    public func refreshCrossYearFindings() throws {
        try db.write { db in try CrossYearChecks.refresh(db) }
    }
}
