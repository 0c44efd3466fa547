import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiSession

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
        print(ComparisonText.render(a, b, all: all), terminator: "")
    }
}
