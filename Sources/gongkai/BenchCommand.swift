import ArgumentParser
import Foundation
import GongkaiCore

/// `gongkai bench parse`: parse-only throughput on files held in memory (no I/O, no output).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure parse-only throughput (MB/s on one core) over files repeated to a target size.",
        subcommands: [BenchParse.self])
}

struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Parse-only throughput.")

    @Option(name: .long, help: "Repeat the files until this many megabytes have been parsed.")
    var megabytes: Double = 100

    @Argument(help: "Report files (text, HTML, DOCX; PDFs are skipped: their time is poppler's).")
    var files: [String]

    func run() throws {
        let inputs: [(String, [UInt8])] = files.compactMap { f in
            guard !f.lowercased().hasSuffix(".pdf"), let d = FileManager.default.contents(atPath: f) else { return nil }
            return (f, [UInt8](d))
        }
        guard !inputs.isEmpty else { throw ValidationError("no readable non-PDF files") }
        let parser = ReportParser()
        let target = Int(megabytes * 1_000_000)
        var bytes = 0, reports = 0, failures = 0
        let start = Date()
        while bytes < target {
            for (name, data) in inputs {
                if (try? parser.parse(data: data, source: name)) == nil { failures += 1 }
                bytes += data.count
                reports += 1
            }
        }
        let s = Date().timeIntervalSince(start)
        print(String(format: "parsed %.1f MB (%d reports, %d failed) in %.2f s: %.2f MB/s, %.0f reports/s on one core",
                     Double(bytes) / 1e6, reports, failures, s, Double(bytes) / 1e6 / s, Double(reports) / s))
    }
}
