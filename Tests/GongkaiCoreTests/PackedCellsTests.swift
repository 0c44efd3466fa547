import Foundation
import GRDB
import Testing
@testable import GongkaiCore

/// The packed `cells` store: the byte format, the long-form table the query engine reads
/// from it, and the conversion of workspaces made before it.
@Suite("Packed cells")
struct PackedCellsTests {
    static let sample: [StoredCell] = [
        StoredCell(key: CellKey(.applications, "granted", "total"), kind: .number, value: Quantity(5), raw: "5", span: "L40 B100-140", uncertain: nil),
        StoredCell(key: CellKey(.applications, "granted", "research"), kind: .number, value: Quantity(mantissa: -1234, scale: 2), raw: "-12.34", span: "L40 B100-140", uncertain: nil),
        StoredCell(key: CellKey(.proactive, "fees", "amount"), kind: .number, value: Quantity(mantissa: 125, scale: 1), raw: "12.5万", span: "p3 L12", uncertain: "two readings: 12.5 or 125"),
        StoredCell(key: CellKey(.reviews, "admin_review", "upheld"), kind: .blank, value: nil, raw: "", span: nil, uncertain: nil),
        StoredCell(key: CellKey(.reviews, "litigation_direct", "total"), kind: .notApplicable, value: nil, raw: "—", span: "L90", uncertain: nil),
        StoredCell(key: CellKey(.reviews, "litigation_after_review", "total"), kind: .number, value: nil, raw: "x", span: nil, uncertain: nil),
    ]

    @Test("every kind, negative and decimal values, shared spans, raw text unlike the value, and uncertainty round-trip")
    func roundTrip() throws {
        let blob = PackedCells.encode(Self.sample, codes: Array(Self.sample.indices))
        let back = try PackedCells.cells(blob) { Self.sample[$0].key }
        #expect(back == Self.sample)
        // The shared span is listed once; "5" is not stored twice.
        #expect(blob.count < 120)
    }

    @Test("a raw text is recognised as the value's text exactly when it equals Quantity.description")
    func rawTextMatchesValueText() {
        let values = [Quantity(0), Quantity(7), Quantity(-7), Quantity(1_234_567), Quantity(mantissa: -1234, scale: 2),
                      Quantity(mantissa: 5, scale: 3), Quantity(mantissa: -5, scale: 1), Quantity(mantissa: 1200, scale: 2),
                      Quantity(mantissa: 12, scale: -2), Quantity(mantissa: .max), Quantity(mantissa: .min), Quantity(mantissa: .min, scale: 5)]
        for q in values {
            let text = q.description
            #expect(PackedCells.isText(of: q, text), "\(text)")
            for other in [text + "0", String(text.dropLast()), "+" + text, "0" + text, text.replacingOccurrences(of: ".", with: ","),
                          "1" + text.dropFirst(), "", "万"] where other != text {
                #expect(!PackedCells.isText(of: q, other), "\(text) vs \(other)")
            }
        }
    }

    @Test("a span is listed as the length and text of its description")
    func spanTextIsDescription() {
        let spans = [SourceSpan(line: 1), SourceSpan(line: 12, endLine: 14), SourceSpan(line: 9, byteStart: 0, byteEnd: 1_234_567),
                     SourceSpan(line: 100, endLine: 1000, byteStart: 10, byteEnd: 99, page: 3), SourceSpan(line: 5, byteStart: 7, page: 12),
                     SourceSpan(line: -3, endLine: Int(Int32.max), byteStart: Int(Int32.min) + 1, byteEnd: -10, page: 0)]
        for s in spans {
            var out: [UInt8] = []
            s.appendListed(to: &out)
            #expect(Int(out[0]) == out.count - 1)
            #expect(String(decoding: out.dropFirst(), as: UTF8.self) == s.description)
        }
    }

    @Test("spans repeated apart from each other are listed once, in order of first use, also past the table's first size")
    func spanListFindsRepeats() {
        var list = PackedCells.SpanList<SourceSpan>(capacity: 2)
        let spans = (0..<100).map { SourceSpan(line: $0 % 37, byteStart: $0 % 37 * 10, byteEnd: $0 % 37 * 10 + 5) }
        let indices = spans.map { list.index(of: $0) }
        #expect(indices == (0..<100).map { $0 % 37 })
        #expect(list.count == 37)
    }

    @Test("a truncated, extended or corrupted blob is an error, never a crash")
    func malformedBlobsThrow() throws {
        let blob = PackedCells.encode(Self.sample, codes: Array(Self.sample.indices))
        var bad: [[UInt8]] = (0..<blob.count).map { Array(blob.prefix($0)) }
        bad.append(blob + [0])
        var wrongFormat = blob; wrongFormat[0] = 9; bad.append(wrongFormat)
        bad.append([1, 0, 1, 0, 3])          // kind 3 does not exist
        bad.append([1, 0, 1, 0, 0x08])       // raw is the value's text, but there is no value
        bad.append([1, 0, 1, 0, 0x10, 0, 5]) // span 5 of none
        bad.append([1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        for b in bad {
            #expect(throws: PackedCells.Malformed.self) { _ = try PackedCells.cells(b) { Self.sample[$0 % Self.sample.count].key } }
        }
    }

    @Test("the cells table reads back a stored report's cells in key order, with the values the report printed")
    func catalogReadsLongForm() throws {
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            let first = try ws.store(report, sha256: "a")
            let second = try ws.store(report, sha256: "b")
            let stored = try ws.storedCells(of: first)
            #expect(stored.count == 200)
            #expect(stored.map(\.key) == report.cells.map(\.key).sorted { CellStore.precedes($0, $1) })
            for c in stored {
                let cell = try #require(report.cells.first { $0.key == c.key })
                #expect(c.cellValue == cell.value && c.raw == cell.raw && c.span == cell.span?.description)
            }
            let granted = try #require(stored.first { $0.key == CellKey(.applications, "granted", "total") })
            #expect(granted.value == Quantity(5) && granted.raw == "5" && granted.kind == .number)

            let rows = try Self.query(ws, "from cells | select report_id, table, row, col, value, kind, raw, span, uncertain")
            let expected: [[Value]] = [first, second].flatMap { id in
                stored.map { c -> [Value] in
                    [.integer(id), .text(c.key.table.rawValue), .text(c.key.row), .text(c.key.column),
                     c.value.map(Value.decimal) ?? .null, .text(c.kind.name), .text(c.raw),
                     c.span.map(Value.text) ?? .null, c.uncertain.map(Value.text) ?? .null]
                }
            }
            #expect(rows == expected)
            let counts = try Self.query(ws, "from cells | where report_id == \(second) | group kind (aggregate {n = count()}) | sort kind")
            #expect(counts == [[.text("number"), .integer(200)]])
        }
    }

    @Test("key codes added in a transaction that rolls back are forgotten: the next report writes them again")
    func rolledBackKeysAreForgotten() throws {
        struct Abort: Error {}
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            #expect(throws: Abort.self) {
                try ws.db.write { db in
                    try ReportWriter.insert(report, id: ReportWriter.reserveReportIDs(1, db), sha256: "a", ingestedAt: ReportWriter.isoTime(Date()), cells: ws.cellStore, into: InsertStatements(db))
                    throw Abort()
                }
            }
            #expect(try ws.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cell_keys") } == 0)
            let id = try ws.store(report, sha256: "a")
            #expect(try ws.storedCells(of: id).count == 200)
            #expect(try ws.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cell_keys") } == 200)
        }
    }

    @Test("cells packed where a report is parsed are the writer's blob; one packed before its codes were forgotten is packed again")
    func packedWhereParsed() throws {
        struct Abort: Error {}
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            let placed = TemplateCells(report.cells, generation: report.generation)
            #expect(ws.cellStore.pack(report, placed: placed) == nil)   // no codes yet: the writer packs
            let first = try ws.store(report, sha256: "a")
            let packed = try #require(ws.cellStore.pack(report, placed: placed))
            let stored = try ws.db.read { try Data.fetchOne($0, sql: "SELECT cells FROM cell_sets WHERE report_id = ?", arguments: [first]) }
            #expect(stored.map { [UInt8]($0) } == packed.blob)
            // A blob is stored as it is while its codes stand (this one holds no cells)…
            let empty = CellStore.Packed(blob: [PackedCells.format, 0, 0], epoch: packed.epoch)
            func insert(_ r: Report, sha256: String, packed: CellStore.Packed?) throws -> Int64 {
                try ws.db.write { db in
                    let id = try ReportWriter.reserveReportIDs(1, db)
                    try ReportWriter.insert(r, id: id, sha256: sha256, ingestedAt: "t", cells: ws.cellStore, packed: packed, into: InsertStatements(db))
                    return id
                }
            }
            #expect(try ws.storedCells(of: insert(report, sha256: "b", packed: empty)).isEmpty)
            // …and packed again once a rolled-back transaction made the store forget its codes.
            var odd = report
            odd.cells.append(Cell(key: CellKey(.applications, "not_in_template", "total"), value: .number(Quantity(9)), raw: "9", span: nil))
            #expect(throws: Abort.self) {
                try ws.db.write { db in
                    try ReportWriter.insert(odd, id: ReportWriter.reserveReportIDs(1, db), sha256: "c", ingestedAt: "t", cells: ws.cellStore, into: InsertStatements(db))
                    throw Abort()
                }
            }
            #expect(try ws.storedCells(of: insert(report, sha256: "d", packed: empty)).count == 200)
        }
    }

    @Test("values retired by the writer are freed by whoever drains the bin, or by the writer once the bin is full")
    func retiredValues() {
        final class Tracked: @unchecked Sendable {
            let freed: () -> Void
            init(_ freed: @escaping () -> Void) { self.freed = freed }
            deinit { freed() }
        }
        var freed = 0
        let bin = RetiredValues(limit: 3)
        bin.retire(Tracked { freed += 1 })
        bin.retire(Tracked { freed += 1 })
        #expect(freed == 0)
        bin.drain()
        #expect(freed == 2)
        for _ in 0..<3 { bin.retire(Tracked { freed += 1 }) }
        #expect(freed == 5)
    }

    @Test("foreign-key checks stay off between batches of new reports and are on again after the last")
    func foreignKeysBetweenBatches() throws {
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            func checks() throws -> Int? { try ws.db.read { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } }
            _ = ws.store(batch: [PendingReport(report, sha256: "a", replacing: nil, for: ws)], moreToCome: true)
            #expect(try checks() == 0)
            _ = ws.store(batch: [PendingReport(report, sha256: "b", replacing: 1, for: ws)], moreToCome: true)
            #expect(try checks() == 1)
            _ = ws.store(batch: [PendingReport(report, sha256: "c", replacing: nil, for: ws)], moreToCome: true)
            ws.endBatches()
            #expect(try checks() == 1)
            _ = ws.store(batch: [PendingReport(report, sha256: "d", replacing: nil, for: ws)])
            #expect(try checks() == 1)
            #expect(try ws.reportCount() == 3)
        }
    }

    @Test("deleting a report deletes its packed cells")
    func deleteCascades() throws {
        try WorkspaceTests.withScratchWorkspace { ws, _ in
            let report = try WorkspaceTests.templateReport()
            let first = try ws.store(report, sha256: "a")
            let second = try ws.store(report, sha256: "b", replacing: first)
            #expect(try ws.storedCells(of: first).isEmpty)
            #expect(try ws.storedCells(of: second).count == 200)
            #expect(try ws.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM cell_sets") } == 1)
        }
    }

    @Test("a workspace made before packed cells is converted when opened, with every value, raw text, span and reason")
    func convertsLongFormWorkspaces() throws {
        let dir = try WorkspaceTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.db").path
        // A v5 workspace: the long-form cells table, two reports, rows in no particular order.
        let old = try DatabaseQueue(path: path)
        try Workspace.migrator.migrate(old, upTo: "v5-workspace-id")
        try old.write { db in
            for id in [3, 7] {
                try db.execute(sql: "INSERT INTO reports (report_id, agency, year, sha256) VALUES (?, '某局', ?, ?)", arguments: [id, 2018 + id, "h\(id)"])
                for c in Self.sample.reversed() {
                    try db.execute(sql: """
                        INSERT INTO cells (report_id, "table", "row", col, value, kind, raw, span, uncertain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, c.key.table.rawValue, c.key.row, c.key.column, c.value?.description, c.kind.name, c.raw, c.span, c.uncertain])
                }
            }
        }
        try old.close()

        #expect(Workspace.pendingConversion(at: path) == "converting the cells of 2 reports to the packed form, once (a million reports take about 12 minutes)")
        let ws = try Workspace(path: path)
        #expect(Workspace.pendingConversion(at: path) == nil)
        #expect(Workspace.pendingConversion(at: dir.appendingPathComponent("none.db").path) == nil)
        let sorted = Self.sample.sorted { CellStore.precedes($0.key, $1.key) }
        #expect(try ws.storedCells(of: 3) == sorted)
        #expect(try ws.storedCells(of: 7) == sorted)
        #expect(try ws.db.read { try $0.tableExists("cells") } == false)
        // The dropped table's pages were given back (VACUUM after the conversion).
        #expect(try ws.db.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0)
        let raws = try Self.query(ws, "from cells | where report_id == 7 | select raw")
        #expect(raws == sorted.map { [.text($0.raw)] })
    }

    static func query(_ ws: Workspace, _ text: String) throws -> [[Value]] {
        let catalog = WorkspaceCatalog(ws)
        guard case .success(let plan) = Query.compile(text, catalog: catalog) else { throw QueryError(.invalidPlan, "does not compile: \(text)") }
        return try Executor(catalog: catalog).run(Optimizer.default.optimize(plan)).rows
    }
}

/// The content hash that makes re-ingesting an unchanged file a no-op.
@Suite("SHA-256")
struct SHA256Tests {
    /// The paths this CPU can run: the portable rounds always, the SHA extensions when present.
    static let paths = SHA256.accelerated ? [false, true] : [false]

    @Test("FIPS 180-4 test vectors and every tail length around the block boundaries, on each block path",
          arguments: paths)
    func vectors(accelerated: Bool) {
        func hex(_ data: [UInt8]) -> String { SHA256.hex(data, accelerated: accelerated) }
        #expect(hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Bytes (31i + 7) mod 251, digests from Python's hashlib.
        let expected: [Int: String] = [
            1: "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879",
            55: "e40272620990d5f772101e014a0fe168d9ab13215739a04bdcb4b9cadc303c75",
            56: "5b3154594d65c2a11e797576e2b4ece47f48373d8acfc0ae2cc3b87ca7adaedc",
            57: "bd73274967a968a1d4353b4096741c1c880d2356d44c63f0e7916c8efe59bccc",
            63: "2caeed71c024d190f2f9633bdac2b8f283b1cb86dfe7709023ab70f11f747a1b",
            64: "3483dc12a3fea6618642162f88124ea56e797597a97483d5ba597a42d98aaf6b",
            65: "3a513663aae909c328f43e2d74265dc5ec35495c99dfde7b8f9dd37f297dfa40",
            119: "c06b1fcfb8d206bb4fe8e8cde10de7af236f619ff29c720de0083f7377491fd9",
            120: "f425d2567f5c636c99335e5e8bb04669475b3b8b6f7523bbabbd11115cef8550",
            127: "2388ace1b8d638348c6720ec543c3dc1a2db3d73bf5c5f029536827b27b9b45f",
            128: "43a42610c7b657d1ce21bf0255e86be7ea01aa9dddf0701f596e99a4c6f61001",
            129: "35b3c29046f207cfca0f9e23b9ed7f9fd19084699c413286eadbc80833f374b6",
            1000: "008549d94fa71e7a0a483d84380d05a923a4b18e79ba1f8a8ddac923956d32ef",
        ]
        for (n, digest) in expected {
            #expect(hex((0..<n).map { UInt8(($0 * 31 + 7) % 251) }) == digest, "length \(n)")
        }
    }

    @Test("the two block paths agree on every length up to 300 bytes and on a corpus-sized file")
    func pathsAgree() {
        guard SHA256.accelerated else { return }
        for n in Array(0...300) + [9_973, 65_536] {
            let data = (0..<n).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            #expect(SHA256.hex(data, accelerated: true) == SHA256.hex(data, accelerated: false), "length \(n)")
        }
    }
}
