import Foundation
import GRDB
import GongkaiPluginAPI
import Testing
@testable import GongkaiCore

@Suite("Workspace and ingest")
struct WorkspaceTests {
    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("gongkai-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs `body` on a new workspace in a scratch directory (removed afterwards), with the
    /// workspace's path for reopening it.
    static func withScratchWorkspace(_ body: (Workspace, String) throws -> Void) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.db").path
        try body(try Workspace(path: path), path)
    }

    @Test("ingest stores every table; a second ingest is a no-op; a changed file replaces its report; a broken file is reported and the batch goes on")
    func ingestCycle() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try TemplateMatcherTests.report2021().write(to: reports.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "这不是报告。".write(to: reports.appendingPathComponent("sub/broken.txt"), atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 3]).write(to: reports.appendingPathComponent("sub/binary.txt"))
        try "ignored".write(to: reports.appendingPathComponent("notes.csv"), atomically: true, encoding: .utf8)

        let ws = try Workspace(path: dir.appendingPathComponent("w.db").path)
        let first = try Ingester(jobs: 2).ingest([reports.path], into: ws)
        #expect(first.ingested == 1)
        #expect(first.failures.map { ($0.path as NSString).lastPathComponent } == ["binary.txt", "broken.txt"])
        #expect(first.failures[0].reason.contains("binary"))

        try ws.db.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM applications") == 7)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM reviews") == 3)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM proactive") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT new_received FROM applications WHERE applicant = 'total'") == 12)
            #expect(try Int.fetchOne(db, sql: "SELECT unable_total FROM applications WHERE applicant = 'natural_person'") == 3)
            #expect(try Int.fetchOne(db, sql: "SELECT denied_total FROM applications WHERE applicant = 'total'") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT other FROM applications WHERE applicant = 'total'") == nil)
            #expect(try String.fetchOne(db, sql: "SELECT fees_amount FROM proactive") == "12.5")
            #expect(try Int.fetchOne(db, sql: "SELECT regulations_made FROM proactive") == nil)
            #expect(try String.fetchOne(db, sql: "SELECT agency FROM reports") == "某市统计局")
        }
        let cells = try ws.storedCells(of: try #require(try ws.db.read { try Int64.fetchOne($0, sql: "SELECT report_id FROM reports") }))
        #expect(cells.count == 200)
        #expect(cells.first { $0.key == CellKey(.applications, "granted", "total") }?.raw == "5")

        let second = try Ingester(jobs: 2).ingest([reports.path], into: ws)
        #expect(second.ingested == 0)
        #expect(second.unchanged == 1)

        let changed = TemplateMatcherTests.report2021().replacingOccurrences(of: "行政许可\t120", with: "行政许可\t121")
        try changed.write(to: reports.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let third = try Ingester(jobs: 1).ingest([reports.appendingPathComponent("a.txt").path], into: ws)
        #expect(third.ingested == 1 && third.replaced == 1)
        try ws.db.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM reports") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT licensing_decisions FROM proactive") == 121)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM cell_sets") == 1)
        }
        let replaced = try ws.storedCells(of: try #require(try ws.db.read { try Int64.fetchOne($0, sql: "SELECT report_id FROM reports") }))
        #expect(replaced.count == 200)
        #expect(replaced.first { $0.key == CellKey(.proactive, "licensing", "decisions") }?.value == Quantity(121))
    }

    /// The template report of 2021, parsed, as source `a.txt`.
    static func templateReport() throws -> Report {
        try ReportParser().parse(data: Array(TemplateMatcherTests.report2021().utf8), source: "a.txt")
    }

    @Test("a report that replaces the last one stored gets a new id: ids are never handed out twice")
    func replacedReportsNeverReuseAnID() throws {
        try Self.withScratchWorkspace { ws, path in
            let report = try Self.templateReport()
            let first = try ws.store(report, sha256: "one")
            let second = try ws.store(report, sha256: "two", replacing: first)
            let third = try ws.store(report, sha256: "three", replacing: second)
            #expect([first, second, third] == [1, 2, 3])
            #expect(try ws.reportCount() == 1)
            // A workspace reopened keeps counting from the highest id handed out.
            let again = try Workspace(path: path)
            #expect(try again.store(report, sha256: "four", replacing: third) == 4)
        }
    }

    @Test("clearing a report's pair findings searches by report, not through every finding of the rule")
    func clearingPairFindingsUsesTheReportIndex() throws {
        try Self.withScratchWorkspace { ws, _ in
            let plan = try ws.db.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + PairDerivations.clearFindingsSQL, arguments: [1, "comparison.copied_section"]).map { $0["detail"] as String }
            }
            #expect(plan == ["SEARCH findings USING INDEX findings_report (report_id=?)"])
        }
    }

    @Test("a stored report read back is the view made from it in memory, which is what the writer lends to the next report's pairs")
    func storedViewEqualsTheViewInMemory() throws {
        var reports = [try Self.templateReport()]
        if Fixtures.corpusAvailable {
            let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.corpus.path).filter { $0.hasSuffix(".txt") }.sorted().prefix(3)
            reports += try names.map { try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent($0).path) }
        }
        try Self.withScratchWorkspace { ws, _ in
            for report in reports {
                let name = report.source
                let id = try ws.store(report, sha256: "sha-\(name)")
                let memory = PluginBridge.view(report)
                let stored = try #require(try ws.pluginReport(id: id))
                #expect(stored.cells == memory.cells, "\(name)")
                #expect(stored.narrative.map(\.text) == memory.narrative.map(\.text) && stored.narrative.map(\.span) == memory.narrative.map(\.span))
                #expect([stored.source, stored.generation, stored.agency, stored.province, stored.city, stored.county]
                        == [memory.source, memory.generation, memory.agency, memory.province, memory.city, memory.county] && stored.year == memory.year)
            }
        }
        // Lent only for the same id and content, and only the last `capacity` of them.
        let recent = RecentViews(capacity: 2)
        let view = PluginBridge.view(try Self.templateReport())
        recent.keep(view, id: 1, sha256: "x")
        #expect(recent.view(id: 1, sha256: "x")?.source == "a.txt")
        #expect(recent.view(id: 1, sha256: "y") == nil)
        recent.keep(view, id: 2, sha256: "x")
        recent.keep(view, id: 3, sha256: "x")
        #expect(recent.view(id: 1, sha256: "x") == nil && recent.view(id: 3, sha256: "x") != nil)
    }

    @Test("the plugin view has exactly the report's cells by name: template cells it lacks are absent, cells outside the template present, a repeated key's last value kept")
    func pluginViewCellsAreTheReportsCells() throws {
        var reports = [try Self.templateReport()]
        if Fixtures.corpusAvailable {
            let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.corpus.path).filter { $0.hasSuffix(".txt") }.sorted()
            reports += try names.map { try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent($0).path) }
        }
        var odd = reports[0]
        odd.cells.removeFirst(7)
        odd.cells.remove(at: 40)
        odd.cells.append(Cell(key: CellKey(.applications, "not_in_template", "total"), value: .number(Quantity(9)), raw: "9", span: nil))
        odd.cells.append(Cell(key: odd.cells[3].key, value: .number(Quantity(12345)), raw: "12345", span: nil))
        odd.cells.reverse()
        reports.append(odd)
        for r in reports {
            var expected: [String: PluginValue] = [:]
            for c in r.cells { expected[c.key.description] = PluginBridge.value(c.value) }
            #expect(PluginBridge.view(r).cells == expected, "\(r.source)")
        }
        #expect(PluginBridge.view(odd).cells["applications.not_in_template.total"] == .integer(9))
    }

    @Test("a workspace opens while another connection is writing to it: the open waits for the write instead of failing with database is locked")
    func openWaitsForAnotherWriter() throws {
        try Self.withScratchWorkspace { _, path in
            let other = try DatabaseQueue(path: path)
            let writing = DispatchSemaphore(value: 0)
            let holder = Thread {
                try? other.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    writing.signal()
                    Thread.sleep(forTimeInterval: 0.3)
                    try db.execute(sql: "COMMIT")
                }
            }
            holder.start()
            writing.wait()
            let reopened = try Workspace(path: path)
            #expect(try reopened.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM reports") } == 0)
        }
    }

    @Test("cross-year identities 5 and 6 are computed over the workspace")
    func crossYear() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let y1 = TemplateMatcherTests.report2021()
        // The next year: carried_over.total should be 1 (last year's carried_forward) but prints 0;
        // normative documents in force: 40 + 5 - 1 = 44 expected, prints 40.
        let y2 = y1.replacingOccurrences(of: "某市统计局2022年", with: "某市统计局2023年")
            .replacingOccurrences(of: "统计期限自2022年", with: "统计期限自2023年")
            .replacingOccurrences(of: "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1", with: "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0")
            .replacingOccurrences(of: "（七）总计\t10\t2", with: "（七）总计\t9\t2").replacingOccurrences(of: "\t10\t2\t0\t0\t0\t0\t12\n四、结转", with: "\t9\t2\t0\t0\t0\t0\t11\n四、结转")
        try y1.write(to: dir.appendingPathComponent("y1.txt"), atomically: true, encoding: .utf8)
        try y2.write(to: dir.appendingPathComponent("y2.txt"), atomically: true, encoding: .utf8)
        let ws = try Workspace(path: dir.appendingPathComponent("w.db").path)
        _ = try Ingester(jobs: 2).ingest([dir.path], into: ws)
        try ws.db.read { (db: Database) throws in
            let rules = try Row.fetchAll(db, sql: "SELECT f.rule, f.printed, f.expected, r.year FROM findings f JOIN reports r USING (report_id) WHERE f.rule IN ('identity5','identity6') ORDER BY f.rule")
            #expect(rules.map { "\($0["rule"] as String) \($0["year"] as Int) \($0["printed"] as String) \($0["expected"] as String)" }
                    == ["identity5 2023 0 1", "identity6 2023 40 44"])
        }
    }
}

@Test("ingest times are written like ISO8601DateFormatter's internet date-time, before and after 1970")
func isoTimeMatchesFoundation() {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    var seconds: Double = -4_000_000_000
    while seconds < 8_000_000_000 {
        let d = Date(timeIntervalSince1970: seconds)
        #expect(ReportWriter.isoTime(d) == f.string(from: d), "\(seconds)")
        seconds += 7_777_777.25
    }
    #expect(ReportWriter.isoTime(Date(timeIntervalSince1970: 1_795_940_200)) == "2026-11-29T08:16:40Z")
    #expect(ReportWriter.isoTime(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
}
