import Foundation
import Testing
@testable import GongkaiCore

/// Which files an ingest of a directory picks up, and how a file is read: the exact paths
/// and bytes a user would check.
@Suite("Report files")
struct ReportFilesTests {
    @Test("a directory walk finds report files at any depth, any extension case; skips dot-files, other files, and links to directories")
    func walk() throws {
        let dir = try LimitsTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        for sub in ["a/b", "c", ".cache"] {
            try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for file in ["top.txt", "a/b/deep.HTML", "a/report.docx", "c/x.pdf", "c/notes.doc", "c/README",
                     ".hidden.txt", ".cache/kept.md", "a/b/archive.tar.gz", "c/name.with.dots.Htm"] {
            try Data("x".utf8).write(to: dir.appendingPathComponent(file))
        }
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("linked.txt").path,
                                  withDestinationPath: dir.appendingPathComponent("top.txt").path)
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.txt").path, withDestinationPath: "/nonexistent/x.txt")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("loop").path, withDestinationPath: dir.path)

        let (files, missing) = Ingester.files(in: [dir.path, dir.appendingPathComponent("gone.txt").path])
        let root = dir.path + "/"
        #expect(files == [".cache/kept.md", "a/b/deep.HTML", "a/report.docx", "c/name.with.dots.Htm", "c/x.pdf",
                          "linked.txt", "top.txt"].map { root + $0 })
        #expect(missing == [dir.appendingPathComponent("gone.txt").path])
        // A file named on the command line is taken whatever its extension.
        #expect(Ingester.files(in: [root + "c/README"]).files == [root + "c/README"])
    }

    @Test("extensions: the text after the last dot, lower-cased")
    func pathExtension() {
        #expect(ReportFiles.pathExtension("报告.TXT") == "txt")
        #expect(ReportFiles.pathExtension("a.tar.GZ") == "gz")
        #expect(ReportFiles.pathExtension("README") == "")
        #expect(ReportFiles.pathExtension("end.") == "")
        // Of a path's last component; a leading dot names a hidden file, not an extension.
        #expect(ReportFiles.pathExtension("/data/2024.d/报告.HTML") == "html")
        #expect(ReportFiles.pathExtension("/data/2024.d/README") == "")
        #expect(ReportFiles.pathExtension("a/.html") == "")
        #expect(ReportFiles.pathExtension("a..html") == "html")
        #expect(ReportParser.detectFormat(Array("plain".utf8), source: "/data/x.d/r.Htm") == .html)
        #expect(ReportParser.detectFormat(Array("plain".utf8), source: "/data/x.html/r") == .text)
    }

    @Test("content sniffing: a markup tag in the first 2 KB, in any case, makes a .txt file HTML")
    func sniffing() {
        func format(_ s: String) -> DocumentFormat { ReportParser.detectFormat(Array(s.utf8), source: "r.txt") }
        #expect(format("年度报告 <P>正文") == .html)
        #expect(format("a < b <TaBlE border=1>") == .html)
        #expect(format("<!DOCTYPE HTML>") == .html)
        #expect(format("x<div") == .html)
        #expect(format("<pre> <br> a<b <p") == .text)           // `<p` needs `>` or a space after it
        #expect(format("<htm") == .text)                          // a tag cut short at the end
        #expect(format(String(repeating: "正", count: 683) + "<html>") == .text)   // past 2,048 bytes
        #expect(format(String(repeating: "正", count: 680) + "<html>") == .html)
        #expect(ReportParser.detectFormat(Array("%PDF-1.7 <html>".utf8), source: "r.txt") == .pdf)
    }

    @Test("reading: the exact bytes, empty files, the size limit, and unreadable paths")
    func read() throws {
        let dir = try LimitsTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = dir.appendingPathComponent("r.txt")
        try Data(bytes).write(to: file)
        #expect(ReportFiles.read(file.path, limit: 10_000) == .success(bytes))
        #expect(ReportFiles.read(file.path, limit: 9_999) == .failure(.tooLarge(10_000)))
        let empty = dir.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        #expect(ReportFiles.read(empty.path, limit: 10) == .success([]))
        #expect(ReportFiles.read(dir.appendingPathComponent("none.txt").path, limit: 10) == .failure(.unreadable))
        #expect(ReportFiles.read(dir.path, limit: 10) == .failure(.unreadable))
    }
}
