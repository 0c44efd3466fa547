import Foundation
import GongkaiPluginAPI
import Testing
@testable import ApplicationOutcomes
@testable import GongkaiCore

/// Expected values below were computed by hand from the printed tables of the corpus reports.
@Suite("ApplicationOutcomes plugin", .enabled(if: PluginFixtures.corpusAvailable, "../shared/corpus is not beside the repository"))
struct ApplicationOutcomesTests {
    static func rows(_ file: String, table: String) throws -> [String: [String: PluginValue]] {
        let registry = PluginRegistry()
        try registry.register(ApplicationOutcomesPlugin())
        let report = try ReportParser().parse(file: PluginFixtures.corpus.appendingPathComponent(file).path)
        let out = PluginOutput.run(registry, on: report)
        let columns = registry.tables[table]!.table.columns.map(\.name)
        var byKey: [String: [String: PluginValue]] = [:]
        for row in out.rows[table] ?? [] {
            let dict = Dictionary(uniqueKeysWithValues: zip(columns, row))
            byKey[dict["applicant"]?.description ?? dict["proceeding"]!.description] = dict
        }
        return byKey
    }

    static func dec(_ s: String) -> PluginValue {
        let parts = s.split(separator: ".")
        return .decimal(mantissa: Int64(parts.joined())!, scale: parts.count == 2 ? parts[1].count : 0)
    }

    @Test("平潭 2021, total column: counts, six rates, legal-person share, leading denial reason")
    func pingtan2021Total() throws {
        let t = try #require(try Self.rows("08_pingtan_2021.txt", table: "outcomes")["total"])
        #expect(t["received"] == .integer(70))          // 70 new + 0 carried over
        #expect(t["processed"] == .integer(69))
        #expect(t["granted"] == .integer(35))           // 30 granted + 5 partially
        #expect(t["denied"] == .integer(8))             // 1 internal affairs + 6 enforcement files + 1 admin query
        #expect(t["unable"] == .integer(25))
        #expect(t["not_processed"] == .integer(0))
        #expect(t["other"] == .integer(1))
        #expect(t["grant_rate"] == Self.dec("0.507246"))     // 35/69 = 0.5072463…
        #expect(t["denial_rate"] == Self.dec("0.115942"))    // 8/69 = 0.1159420…
        #expect(t["unable_rate"] == Self.dec("0.362319"))    // 25/69 = 0.3623188…
        #expect(t["not_processed_rate"] == Self.dec("0.000000"))
        #expect(t["other_rate"] == Self.dec("0.014493"))     // 1/69 = 0.0144927…
        #expect(t["backlog_rate"] == Self.dec("0.014286"))   // 1/70 = 0.0142857…
        #expect(t["legal_person_share"] == Self.dec("0.085714")) // (70-64)/70
        #expect(t["leading_denial_reason"] == .text("denied_enforcement_file"))
    }

    @Test("平潭 2021, natural persons; a column with nothing processed has null rates")
    func pingtan2021Columns() throws {
        let rows = try Self.rows("08_pingtan_2021.txt", table: "outcomes")
        let np = try #require(rows["natural_person"])
        #expect(np["grant_rate"] == Self.dec("0.507937"))    // 32/63 = 0.5079365…
        #expect(np["legal_person_share"] == .null)
        let research = try #require(rows["research"])
        #expect(research["processed"] == .integer(0))
        #expect(research["grant_rate"] == .null)
        #expect(research["leading_denial_reason"] == .null)
    }

    @Test("平潭 2021 reviews: correction rate over decided cases; none decided gives null")
    func reviews() throws {
        let rows = try Self.rows("08_pingtan_2021.txt", table: "review_outcomes")
        #expect(rows["admin_review"]?["total"] == .integer(3))
        #expect(rows["admin_review"]?["decided"] == .integer(3))
        #expect(rows["admin_review"]?["correction_rate"] == Self.dec("0.000000"))
        #expect(rows["litigation_direct"]?["total"] == .integer(12))
        #expect(rows["litigation_after_review"]?["correction_rate"] == .null)
        let y2024 = try Self.rows("11_pingtan_2024.txt", table: "review_outcomes")
        // 行政复议 2 upheld, 1 corrected, 3 other, 1 pending, 7 total: 1 / (7 - 1).
        #expect(y2024["admin_review"]?["decided"] == .integer(6))
        #expect(y2024["admin_review"]?["correction_rate"] == Self.dec("0.166667"))
        // 复议后起诉 13, 2, 4, 0, 19: 2 / 19.
        #expect(y2024["litigation_after_review"]?["correction_rate"] == Self.dec("0.105263"))
    }
}

/// Where the shared corpus is.
enum PluginFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpus.path) }
}
