import ArgumentParser
import Foundation
import GongkaiCore

/// Output formats of `gongkai parse`.
enum ParseFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}

/// `gongkai parse FILE...`: every report's cells, metadata, uncertain cells and findings.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse reports and show their cells (text summary or one JSON object per line).")

    @Option(name: .long, help: "Output format: text (a readable summary) or jsonl (one JSON object per report).")
    var format: ParseFormat = .text

    @Argument(help: "Report files: .txt, .md, .html, .pdf, .docx.")
    var files: [String]

    func run() throws {
        let failed = forEachReport(files) { report in
            switch format {
            case .jsonl: print(ReportJSON.encode(report))
            case .text: print(ReportSummary.render(report))
            }
        }
        if failed > 0 { throw ExitCode(2) }
    }
}

/// `gongkai check FILE...`: the findings; exit status 1 when an identity fails.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check reports against the template's identities; exit 1 when one fails.")

    @Argument(help: "Report files.")
    var files: [String]

    func run() throws {
        var identityFailed = false
        let failed = forEachReport(files) { report in
            print(ReportSummary.findings(report))
            if report.hasFailedIdentity { identityFailed = true }
        }
        if failed > 0 { throw ExitCode(2) }
        if identityFailed { throw ExitCode(1) }
    }
}

/// Parses each file, reporting unreadable ones on stderr and going on; returns how many failed.
func forEachReport(_ files: [String], _ body: (Report) -> Void) -> Int {
    let parser = ReportParser()
    var failed = 0
    for f in files {
        do {
            body(try parser.parse(file: f))
        } catch {
            failed += 1
            FileHandle.standardError.write(Data("gongkai: \(error.message)\n".utf8))
        }
    }
    return failed
}
