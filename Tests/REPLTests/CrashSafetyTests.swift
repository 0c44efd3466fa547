import Foundation
import GRDB
import Testing
@testable import GongkaiCore

/// `gongkai ingest` killed with SIGKILL at random moments never leaves a partial report, and a
/// re-run ends with exactly the expected reports and cell totals. `make test` runs a reduced
/// form; `GK_KILL_RUNS=100` (`make stress`) the full one.
@Suite("Crash-safe ingest", .serialized)
struct CrashSafetyTests {
    @Test("SIGKILL during ingest leaves whole reports only; a re-run completes the workspace")
    func killDuringIngest() throws {
        let runs = Int(ProcessInfo.processInfo.environment["GK_KILL_RUNS"] ?? "") ?? 6
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("reports").path
        let reports = SyntheticCorpus(seed: 77).reports(count: 150)
        try SyntheticCorpus(seed: 77).write(count: 150, to: corpus)
        let ws = dir.appendingPathComponent("w.db").path
        var rng = RandomSource(seed: 5)
        for _ in 0..<runs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: REPLTests.binary)
            p.arguments = ["ingest", "--workspace", ws, "--jobs", "2", corpus]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: 0.05 + rng.unit() * 0.6)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            try Self.checkWhole(ws)
        }
        // A clean re-run finishes the job: exactly the corpus, each report once.
        let (status, _, err) = try REPLTests.run([REPLTests.binary, "ingest", "--workspace", ws, corpus])
        #expect(status == 0, "\(err)")
        try Self.checkWhole(ws)
        let q = try DatabaseQueue(path: ws)
        try q.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM reports") == 150)
            #expect(try Int.fetchOne(db, sql: "SELECT count(DISTINCT sha256) FROM reports") == 150)
            let expected = reports.reduce(0) { $0 + ($1.cells[CellKey(.applications, "new_received", "total")]?.quantity?.intValue ?? 0) }
            #expect(try Int.fetchOne(db, sql: "SELECT sum(new_received) FROM applications WHERE applicant = 'total'") == expected)
        }
    }

    /// Every stored report has all of its rows: nothing partial.
    static func checkWhole(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let q = try DatabaseQueue(path: path)
        try q.read { (db: Database) throws in
            guard try db.tableExists("reports") else { return }
            let partial = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM reports r WHERE
                  (SELECT count(*) FROM applications a WHERE a.report_id = r.report_id) != 7 OR
                  (SELECT count(*) FROM reviews v WHERE v.report_id = r.report_id) != 3 OR
                  (SELECT count(*) FROM proactive p WHERE p.report_id = r.report_id) != 1 OR
                  (SELECT count(*) FROM cell_sets c WHERE c.report_id = r.report_id) != 1
                """) ?? -1
            #expect(partial == 0)
            let orphans = try Int.fetchOne(db, sql: "SELECT count(*) FROM cell_sets WHERE report_id NOT IN (SELECT report_id FROM reports)") ?? -1
            #expect(orphans == 0)
        }
        // Each report's packed cells decode whole.
        let ws = try Workspace(path: path)
        for id in try ws.db.read({ try Int64.fetchAll($0, sql: "SELECT report_id FROM reports") }) {
            #expect([198, 200].contains(try ws.storedCells(of: id).count))
        }
    }
}
