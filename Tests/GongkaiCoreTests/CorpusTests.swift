import Foundation
import Testing
@testable import GongkaiCore

/// Every real report in ../shared/corpus parses to exactly its hand-checked truth.
@Suite("Corpus truth", .enabled(if: Fixtures.corpusAvailable, "../shared/corpus is not beside the repository"))
struct CorpusTests {
    static let files = Fixtures.truthFiles

    static func expected(_ v: Any) -> CellValue {
        if v is NSNull { return .blank }
        if let s = v as? String { return s == "na" ? .notApplicable : .blank }
        if let n = v as? NSNumber { return .number(Quantity("\(n)") ?? Quantity(mantissa: Int64(n.doubleValue))) }
        return .blank
    }

    @Test("cells, metadata and uncertain cells equal the truth", arguments: files)
    func matchesTruth(_ truthName: String) throws {
        let truth = try Fixtures.truth(truthName)
        let file = truth["file"] as! String
        let report = try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent(file).path)

        #expect(report.generation.rawValue == truth["generation"] as? String)
        #expect(report.metadata.year == truth["year"] as? Int)
        #expect(report.metadata.agency == truth["agency"] as? String)
        let region = truth["region"] as? [String: Any] ?? [:]
        #expect(report.metadata.region.province == region["province"] as? String)
        #expect(report.metadata.region.city == region["city"] as? String)
        #expect(report.metadata.region.county == region["county"] as? String)

        let cells = truth["cells"] as! [String: Any]
        let truthUncertain = Set((truth["uncertain"] as? [Any] ?? []).compactMap { u -> String? in
            let s = (u as? String) ?? ((u as? [String: Any])?["key"] as? String) ?? ""
            return s.split(separator: ":").first.map(String.init)
        })
        #expect(report.cells.count == cells.count, "the generation's key count")
        var wrong: [String] = []
        for (k, v) in cells where !truthUncertain.contains(k) {
            let key = try #require(CellKey(k))
            let got = report[key]?.value
            if got != Self.expected(v) { wrong.append("\(k): got \(String(describing: got)), truth \(v)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong cells: \(wrong.prefix(10).joined(separator: "; "))")
        let flagged = Set(report.uncertain.map(\.key.description))
        #expect(flagged.isSubset(of: truthUncertain), "flagged beyond the truth: \(flagged.subtracting(truthUncertain).sorted())")
    }

    @Test("identity failures are reported exactly where the truth lists them")
    func identityFailures() throws {
        let stcsm = try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent("04_shanghai_stcsm_2024.txt").path)
        let rules = stcsm.findings.filter(\.isIdentityFailure).map { "\($0.rule) \($0.message)" }
        #expect(rules == [
            "identity1 column total: new_received + carried_over = 36 but total_processed + carried_forward = 35",
            "identity3 row carried_forward: total = 0 but natural_person + commercial + research + social_welfare + legal_services + other_org = 1",
        ])
        for name in ["00_shapotou_stats_2020.txt", "06_pingtan_2019.txt", "08_pingtan_2021.txt", "11_pingtan_2024.txt"] {
            let r = try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent(name).path)
            #expect(!r.hasFailedIdentity, "\(name): \(r.findings.map(\.message))")
        }
    }

    @Test("money is normalised to 万元 and digit runs keep their raw digits")
    func moneyAndRaw() throws {
        let r = try ReportParser().parse(file: Fixtures.corpus.appendingPathComponent("06_pingtan_2019.txt").path)
        let amount = try #require(r[CellKey(.proactive, "procurement", "amount")])
        #expect(amount.value == .number(Quantity(mantissa: 7539443252, scale: 6)))
        #expect(amount.raw == "75394432.52元")
        #expect(r[CellKey(.proactive, "licensing", "prior_items")]?.raw == "396")
        #expect(r[CellKey(.applications, "new_received", "total")]?.span?.line == 10)
    }
}
