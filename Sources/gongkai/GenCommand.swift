import ArgumentParser
import Foundation
import GongkaiCore

/// `gongkai gen`: write a synthetic corpus with truth files (demo data, tests, benchmarks).
struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write realistic synthetic reports (all layouts) with their truth JSON.")

    @Option(name: .long, help: "How many reports.")
    var reports: Int = 100

    @Option(name: .long, help: "Random seed; the same seed writes the same corpus.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output directory (truth files go to OUT/truth).")
    var out: String

    func run() throws {
        let start = Date()
        try SyntheticCorpus(seed: seed).write(count: reports, to: out)
        print(String(format: "wrote %d reports to %@ in %.1f s", reports, out, Date().timeIntervalSince(start)))
    }
}
