import Foundation
import GRDB
import Testing
@testable import GongkaiCore

@Suite("Column snapshots and dictionary-coded columns")
struct ColumnSnapshotTests {
    static let stamp = ColumnSnapshot.Stamp(workspace: 42, version: 7)

    static func columns() throws -> [(String, DataType, ColumnVector)] {
        let texts: [Value] = [.text("福建省"), .null, .text("福建省"), .text("aé"), .text("ae\u{301}"), .text(""), .text("福州市平潭综合实验区统计局")]
        return [
            ("ints", .integer, try ColumnVector(type: .integer, values: [.integer(1), .null, .integer(-9_000_000_000_000), .integer(0), .integer(5), .integer(Int64.max), .integer(Int64.min)])),
            ("decs", .decimal, try ColumnVector(type: .decimal, values: [.decimal(Quantity(mantissa: 251, scale: 1)), .null, .decimal(Quantity(mantissa: 7_539_443_252, scale: 6)), .decimal(.zero), .decimal(Quantity(mantissa: -5, scale: 2)), .null, .decimal(Quantity(mantissa: 3))])),
            ("bools", .bool, try ColumnVector(type: .bool, values: [.bool(true), .bool(false), .null, .bool(true), .bool(false), .bool(false), .bool(true)])),
            ("plain_text", .text, try ColumnVector(type: .text, values: texts)),
            ("coded_text", .text, try ColumnVector(type: .text, values: texts).dictionaryEncoded()),
        ]
    }

    @Test("every column type round-trips with its nulls; text keeps byte-distinct values apart and comes back dictionary-coded")
    func roundTrip() throws {
        let dir = try WorkspaceTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snapshot = ColumnSnapshot(workspacePath: dir.appendingPathComponent("w.db").path)
        for (name, type, column) in try Self.columns() {
            snapshot.write(column, table: "t", column: name, stamp: Self.stamp)
            let back = try #require(snapshot.read(table: "t", column: name, type: type, stamp: Self.stamp))
            #expect(back.values == column.values, "\(name)")
            #expect(back.type == type)
            if type == .text {
                #expect(back.dictionary?.dictionary.values == ["福建省", "aé", "ae\u{301}", "", "福州市平潭综合实验区统计局"])
                #expect(back.dictionary?.codes == [0, -1, 0, 1, 2, 3, 4])
            }
        }
    }

    @Test("a file for other contents, of another type, cut short or not a column file is ignored")
    func staleOrDamagedFilesAreIgnored() throws {
        let dir = try WorkspaceTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snapshot = ColumnSnapshot(workspacePath: dir.appendingPathComponent("w.db").path)
        let column = try Self.columns()[0].2
        snapshot.write(column, table: "t", column: "ints", stamp: Self.stamp)
        #expect(snapshot.read(table: "t", column: "ints", type: .integer, stamp: .init(workspace: 42, version: 8)) == nil)
        #expect(snapshot.read(table: "t", column: "ints", type: .integer, stamp: .init(workspace: 43, version: 7)) == nil)
        #expect(snapshot.read(table: "t", column: "ints", type: .decimal, stamp: Self.stamp) == nil)
        let file = dir.appendingPathComponent("w.db.columns/t.ints.col")
        let whole = try Data(contentsOf: file)
        try whole.prefix(whole.count - 3).write(to: file)
        #expect(snapshot.read(table: "t", column: "ints", type: .integer, stamp: Self.stamp) == nil)
        try Data("not a column file at all".utf8).write(to: file)
        #expect(snapshot.read(table: "t", column: "ints", type: .integer, stamp: Self.stamp) == nil)
        #expect(snapshot.read(table: "t", column: "missing", type: .integer, stamp: Self.stamp) == nil)
    }

    @Test("a second process's catalog reads the column files, and an ingest makes it read the workspace again")
    func catalogUsesSnapshotUntilTheWorkspaceChanges() throws {
        let dir = try WorkspaceTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.db").path
        let corpus = SyntheticCorpus(seed: 5)
        let ws = try Workspace(path: path)
        _ = try SyntheticWorkspaceWriter(jobs: 2, batchSize: 8).write(corpus, count: 30, into: ws)
        let query = "from applications | where applicant == \"total\" | group province (aggregate {n = count(), received = sum(new_received)}) | sort province"
        func run(_ catalog: WorkspaceCatalog) throws -> [[Value]] {
            guard case .success(let plan) = Query.compile(query, catalog: catalog) else { throw QueryError(.invalidPlan, "does not compile") }
            return try Executor(catalog: catalog).run(Optimizer.default.optimize(plan)).rows
        }
        let expected = try ws.db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT province, count(*), sum(new_received) FROM applications WHERE applicant = 'total'
                GROUP BY province ORDER BY province
                """).map { r -> [Value] in
                    [(r[0] as String?).map(Value.text) ?? .null, .integer(r[1]), (r[2] as Int64?).map(Value.integer) ?? .null]
                }
        }
        #expect(try run(WorkspaceCatalog(ws)) == expected)
        let stamp = try ws.snapshotStamp()
        let snapshot = ColumnSnapshot(workspacePath: path)
        let province = try #require(snapshot.read(table: "applications", column: "province", type: .text, stamp: stamp))
        #expect(province.count == 30 * 7)

        // A new process (a new catalog on a reopened workspace) gets the same rows from the files.
        let reopened = try Workspace(path: path)
        #expect(try reopened.snapshotStamp() == stamp)
        #expect(try run(WorkspaceCatalog(reopened)) == expected)

        // Ten more reports: the files are stale, so the catalog reads the workspace again.
        _ = try SyntheticWorkspaceWriter(jobs: 1).write(corpus, count: 40, into: reopened)
        #expect(try reopened.snapshotStamp() != stamp)
        let after = try run(WorkspaceCatalog(reopened))
        #expect(after.reduce(0) { $0 + (Int($1[1].literalText) ?? 0) } == 40)
    }
}

@Suite("Batched writes")
struct BatchedWriteTests {
    @Test("a batch whose transaction fails is written report by report: the good one is kept, the bad one gets the error")
    func failedBatchFallsBackToSingleReports() throws {
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            var copy = report
            copy.source = "b.txt"
            let plugins = PluginOutput.run(ws.registry, on: report)
            // The same content hash twice violates the unique index on sha256.
            let results = ws.store(batch: [PendingReport(report: report, sha256: "same", replacing: nil, plugins: plugins),
                                           PendingReport(report: copy, sha256: "same", replacing: nil, plugins: PluginOutput.run(ws.registry, on: copy))])
            #expect(results.count == 2)
            if case .success = results[0] {} else { Issue.record("the first report should be stored") }
            if case .failure(let e) = results[1] { #expect("\(e)".contains("UNIQUE")) } else { Issue.record("the second report should fail") }
            #expect(try ws.reportCount() == 1)
            #expect(try ws.db.read { try String.fetchOne($0, sql: "SELECT source FROM reports") } == "a.txt")
        }
    }

    @Test("ingest with batches of 2: copies of one file count as unchanged, broken files are reported, every report is stored once")
    func ingestInBatches() throws {
        let dir = try WorkspaceTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = dir.appendingPathComponent("files")
        try SyntheticCorpus(seed: 9).write(count: 5, to: files.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: files.path).filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") || $0.hasSuffix(".md") }.sorted()
        try FileManager.default.copyItem(atPath: files.appendingPathComponent(names[0]).path,
                                         toPath: files.appendingPathComponent("zz-copy-" + names[0]).path)
        try "这不是报告。".write(to: files.appendingPathComponent("broken.txt"), atomically: true, encoding: .utf8)
        let ws = try Workspace(path: dir.appendingPathComponent("w.db").path)
        var ingester = Ingester(jobs: 2)
        ingester.batchSize = 2
        let s = try ingester.ingest([files.path], into: ws)
        #expect(s.ingested == 5)
        #expect(s.unchanged == 1)
        #expect(s.failures.map { ($0.path as NSString).lastPathComponent } == ["broken.txt"])
        #expect(try ws.reportCount() == 5)
    }
}
