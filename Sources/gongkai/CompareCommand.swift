import ArgumentParser
import Comparison
import Foundation
import GongkaiCore
import GongkaiPluginAPI

/// `gongkai compare FILE_A FILE_B`: what changed between two reports (no workspace needed).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare",
        abstract: "Compare two reports: changed cells, cross-year identities, narrative similarity per section.")

    @Flag(name: .long, help: "Also list cells that did not change.")
    var all = false

    @Argument(help: "The earlier report.")
    var fileA: String
    @Argument(help: "The later report.")
    var fileB: String

    func run() throws {
        let parser = ReportParser()
        let a: Report, b: Report
        do {
            a = try parser.parse(file: fileA)
            b = try parser.parse(file: fileB)
        } catch {
            FileHandle.standardError.write(Data("gongkai: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let r = ReportComparison.compare(a.pluginView, b.pluginView)
        print("\(a.metadata.agency ?? fileA) \(r.yearA.map(String.init) ?? "?") → \(b.metadata.agency ?? fileB) \(r.yearB.map(String.init) ?? "?")"
              + (r.consecutive ? "" : "  (not consecutive years: cross-year identities not checked)"))
        let changed = r.changes.filter { all || $0.valueA != $0.valueB }
        let table = DisplayTable(columns: ["cell", "a", "b", "change", "relative"], rows: changed.map {
            [.text($0.key), Self.cell($0.valueA), Self.cell($0.valueB), Self.cell($0.change), Self.cell($0.relativeChange)]
        })
        print("\n\(changed.count) of \(r.changes.count) common cells \(all ? "listed" : "changed"):")
        print(TableWriter.box(table, width: 120), terminator: "")
        print("\ncross-year identities:")
        for i in r.identities {
            print("  identity \(i.identity) (\(i.key)): \(i.status.rawValue)" + (i.status == .fails ? " — printed \(i.printed), expected \(i.expected)" : ""))
        }
        print("\nnarrative similarity (character 4-grams, digits normalised):")
        for s in r.narrative {
            let score = s.score.map { String(format: "%.2f", $0) } ?? "—"
            var line = "  \(s.section.rawValue): \(score)"
            if s.score != nil && s.longestCommonLength > 0 { line += "  longest shared passage \(s.longestCommonLength) chars" }
            if let sc = s.score, sc >= 0.9 { line += "  ⚠ copied from the earlier report" }
            if s.score == nil { line += "  (section missing in one report)" }
            print(line)
        }
    }

    static func cell(_ v: PluginValue) -> DisplayTable.Cell {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .decimal: return .decimal(v.description)
        case .text(let t): return .text(t)
        case .bool(let b): return .bool(b)
        }
    }
}
