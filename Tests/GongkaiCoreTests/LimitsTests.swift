import Foundation
import Testing
@testable import GongkaiCore

/// The limits that keep hostile input from exhausting memory, the stack or time: each with
/// the exact message (or behaviour) a user sees.
@Suite("Limits")
struct LimitsTests {
    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A sparse file of `size` bytes (no disk space used, nothing to read).
    static func sparseFile(_ url: URL, size: UInt64) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let h = try FileHandle(forWritingTo: url)
        try h.truncate(atOffset: size)
        try h.close()
    }

    @Test("a 200 MB page is refused before it is read: file is 200.0 MB, larger than the 64 MB limit")
    func fileSizeLimit() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.html")
        try Self.sparseFile(big, size: 200 << 20)
        #expect(ReportParser().maxFileSize == 64 << 20)
        #expect(throws: IngestError(.tooLarge, "\(big.path): file is 200.0 MB, larger than the 64 MB limit")) {
            try ReportParser().parse(file: big.path)
        }
        // Just over the limit never reads as equal to it; a limit that is not whole MiB shows a decimal.
        let over = [UInt8](repeating: 0x41, count: (1 << 20) + 1)
        #expect(throws: IngestError(.tooLarge, "x.txt: file is 1.1 MB, larger than the 1 MB limit")) {
            try ReportParser(maxFileSize: 1 << 20).parse(data: over, source: "x.txt")
        }
        #expect(throws: IngestError(.tooLarge, "x.txt: file is 1.1 MB, larger than the 0.5 MB limit")) {
            try ReportParser(maxFileSize: 1 << 19).parse(data: over, source: "x.txt")
        }
    }

    @Test("ingest refuses a too-large file with the same message, without reading it, and the batch completes")
    func ingestFileSizeLimit() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        let big = reports.appendingPathComponent("big.txt")
        try Self.sparseFile(big, size: (300 << 20) + 12_345)
        let good = SyntheticCorpus(seed: 11).reports(count: 8).first { $0.layout == .pdftext }!
        try good.render().write(to: reports.appendingPathComponent(good.file), atomically: true, encoding: .utf8)
        let ws = try Workspace(path: dir.appendingPathComponent("w.db").path)
        let summary = try Ingester(jobs: 2).ingest([reports.path], into: ws)
        #expect(summary.ingested == 1)
        #expect(summary.failures.map(\.path) == [big.path])
        #expect(summary.failures.map(\.reason) == ["\(big.path): file is 300.1 MB, larger than the 64 MB limit"])
    }

    @Test("the digit-run solver stops at its step bound and says so")
    func solverBound() {
        // 60 ones into 15 cells of at most 6 digits: millions of splits, all accepted.
        let run = String(repeating: "1", count: 60)
        let r = DigitRunSolver.split(run, count: 15, maxDigits: 6, budget: 5_000, limit: 1_000_000) { _ in true }
        #expect(r.truncated)
        #expect(!r.splits.isEmpty && r.splits.allSatisfy { $0.count == 15 && $0.joined() == run })
        // The result bound: at most `limit` splits are kept.
        let kept = DigitRunSolver.split(run, count: 15, maxDigits: 6, limit: 64) { _ in true }
        #expect(kept.truncated && kept.splits.count == 64)
        // A run longer than 4096 characters is not searched at all.
        let huge = DigitRunSolver.split(String(repeating: "12", count: 2049), count: 7) { _ in true }
        #expect(huge.splits.isEmpty && !huge.truncated)
        // More integer digits than the cells can hold: no split, found at once.
        let tooLong = DigitRunSolver.split(String(repeating: "7", count: 50), count: 7, maxDigits: 7) { _ in true }
        #expect(tooLong.splits.isEmpty && !tooLong.truncated)
    }

    @Test("DOCX tables nested 20,000 deep: 200 levels stay tables, deeper ones become text of the deepest cell, in linear time")
    func docxNesting() {
        let depth = 20_000
        let body = String(repeating: "<w:tbl><w:tr><w:tc>", count: depth) + "<w:p><w:r><w:t>core</w:t></w:r></w:p>"
            + String(repeating: "</w:tc></w:tr></w:tbl>", count: depth) + "<w:p><w:r><w:t>after</w:t></w:r></w:p>"
        let xml = Array(("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" + body + "</w:body></w:document>").utf8)
        let start = Date()
        let blocks = xml.withUnsafeBufferPointer { DocxParser($0).run() }
        let seconds = Date().timeIntervalSince(start)
        let tables = blocks.compactMap { b -> Table? in if case .table(let t) = b { return t }; return nil }
        let paragraphs = blocks.compactMap { b -> String? in if case .paragraph(let p) = b { return p.text }; return nil }
        #expect(DocxParser.maxTableDepth == 200)
        #expect(tables.count == 200)
        #expect(tables.last?.rows.first?.cells.first?.text == "core")
        #expect(paragraphs == ["after"])
        // A guard against a hang, not a speed goal: quadratic (every nested table copied up
        // every level, as before) takes minutes on this input.
        #expect(seconds < 30)
    }

    @Test("HTML nested 100,000 deep (blocks and tables) reads in linear time; tables beyond 200 levels are flattened")
    func htmlNesting() throws {
        let depth = 100_000
        let html = String(repeating: "<div><table><tr><td>", count: depth) + "core" + String(repeating: "</td></tr></table></div>", count: depth)
        let start = Date()
        let doc = try HTMLReader().read(Array(html.utf8), source: "deep.html")
        let seconds = Date().timeIntervalSince(start)
        let tables = doc.blocks.compactMap { b -> Table? in if case .table(let t) = b { return t }; return nil }
        #expect(tables.count == HTMLParser.maxTableDepth)
        #expect(tables.last?.rows.first?.cells.first?.text == "core")
        #expect(seconds < 30)  // a hang guard, as above
    }
}
