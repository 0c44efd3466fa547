import Foundation
import GRDB
import Testing
@testable import GongkaiCore

/// `gongkai gen --workspace`: the generated corpus stored straight into a workspace, exactly as
/// ingesting the files `gongkai gen --out` writes would store it.
@Suite("gen --workspace", .serialized)
struct GenWorkspaceTests {
    static func count(_ db: DatabaseQueue, _ sql: String) throws -> Int {
        try db.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test("stores exact counts, resumes an interrupted run, and matches ingest of the same corpus")
    func genWorkspace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-genws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("gen.db").path
        let corpus = SyntheticCorpus(seed: 3).reports(count: 60)

        let first = try REPLTests.run([REPLTests.binary, "gen", "--workspace", ws, "--reports", "40", "--seed", "3", "--jobs", "2"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.hasPrefix("stored 40 reports in \(ws) (0 already there, 0 failed)"), "\(first.out)")
        // A second run with a larger count stores only the missing reports.
        let second = try REPLTests.run([REPLTests.binary, "gen", "--workspace", ws, "--reports", "60", "--seed", "3"])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.hasPrefix("stored 20 reports in \(ws) (40 already there, 0 failed)"), "\(second.out)")

        let db = try DatabaseQueue(path: ws)
        #expect(try Self.count(db, "SELECT count(*) FROM reports") == 60)
        #expect(try Self.count(db, "SELECT count(DISTINCT source) FROM reports WHERE source LIKE 'synthetic/seed-3/%'") == 60)
        #expect(try Self.count(db, "SELECT count(*) FROM applications") == 60 * 7)
        #expect(try Self.count(db, "SELECT count(*) FROM reviews") == 60 * 3)
        #expect(try Self.count(db, "SELECT count(*) FROM proactive") == 60)
        #expect(try Self.cellRows(ws).count == corpus.reduce(0) { $0 + Template.keys($1.generation).count })
        let received = corpus.reduce(0) { $0 + ($1.cells[CellKey(.applications, "new_received", "total")]?.quantity?.intValue ?? 0) }
        #expect(try Self.count(db, "SELECT sum(new_received) FROM applications WHERE applicant = 'total'") == received)
        #expect(try Self.count(db, "SELECT count(*) FROM reports WHERE failed_checks > 0") == corpus.filter { !$0.identityFailures.isEmpty }.count)
        #expect(try Self.count(db, "SELECT count(*) FROM media_output") > 60)

        // The same corpus written as files and ingested gives the same rows.
        let files = dir.appendingPathComponent("files").path
        let gen = try REPLTests.run([REPLTests.binary, "gen", "--out", files, "--reports", "60", "--seed", "3"])
        #expect(gen.status == 0, "\(gen.err)")
        let ingested = dir.appendingPathComponent("ingest.db").path
        let ingest = try REPLTests.run([REPLTests.binary, "ingest", "--workspace", ingested, files])
        #expect(ingest.status == 0, "\(ingest.err)")
        let other = try DatabaseQueue(path: ingested)
        let queries = [
            "SELECT agency, year, generation, province, city, county, applicant, new_received, granted, denied_total, total_processed FROM applications ORDER BY agency, year, applicant",
            "SELECT r.agency, r.year, m.channel, m.metric, m.value, m.line FROM media_output m JOIN reports r USING (report_id) ORDER BY 1, 2, 3, 4, 5, 6",
            "SELECT r.agency, r.year, f.rule, f.message FROM findings f JOIN reports r USING (report_id) ORDER BY 1, 2, 3, 4",
        ]
        for q in queries {
            let a = try db.read { try Row.fetchAll($0, sql: q) }
            let b = try other.read { try Row.fetchAll($0, sql: q) }
            #expect(a.count == b.count && a == b, "\(q)")
        }
        #expect(try Self.cellRows(ws) == Self.cellRows(ingested))
    }

    /// Every stored cell as `agency|year|key|kind|value|raw|span`, sorted.
    static func cellRows(_ path: String) throws -> [String] {
        let ws = try Workspace(path: path)
        let reports = try ws.db.read { try Row.fetchAll($0, sql: "SELECT report_id, agency, year FROM reports") }
        return try reports.flatMap { r in
            try ws.storedCells(of: r["report_id"]).map { c in
                "\(r["agency"] as String? ?? "")|\(r["year"] as Int? ?? 0)|\(c.key)|\(c.kind.name)|\(c.value?.description ?? "")|\(c.raw)|\(c.span ?? "")"
            }
        }.sorted()
    }
}
