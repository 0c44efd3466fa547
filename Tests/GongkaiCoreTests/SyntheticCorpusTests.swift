import Foundation
import Testing
@testable import GongkaiCore

@Suite("Synthetic corpus")
struct SyntheticCorpusTests {
    @Test("the same seed writes the same corpus")
    func deterministic() {
        let a = SyntheticCorpus(seed: 11).reports(count: 30).map { $0.render() }
        let b = SyntheticCorpus(seed: 11).reports(count: 30).map { $0.render() }
        #expect(a == b)
        #expect(a != SyntheticCorpus(seed: 12).reports(count: 30).map { $0.render() })
    }

    @Test("the parser reads every generated report exactly as its truth, in every layout")
    func roundTrip() throws {
        let reports = SyntheticCorpus(seed: 5).reports(count: 160)
        #expect(Set(reports.map(\.layout)) == Set(SyntheticCorpus.Layout.allCases))
        #expect(Set(reports.map(\.generation)) == Set(Generation.allCases))
        var wrong: [String] = []
        var broken = 0
        for r in reports {
            let parsed = try ReportParser().parse(data: Array(r.render().utf8), source: r.file)
            #expect(parsed.generation == r.generation, "\(r.file)")
            #expect(parsed.metadata.agency == r.agency.name, "\(r.file)")
            #expect(parsed.metadata.year == r.year, "\(r.file)")
            #expect(parsed.metadata.region == r.agency.region, "\(r.file)")
            #expect(parsed.uncertain.isEmpty, "\(r.file): \(parsed.uncertain)")
            for c in parsed.cells where c.value != (r.cells[c.key] ?? .blank) {
                wrong.append("\(r.file) \(c.key): \(c.value) vs \(String(describing: r.cells[c.key]))")
            }
            #expect(parsed.hasFailedIdentity == !r.identityFailures.isEmpty, "\(r.file)")
            if !r.identityFailures.isEmpty { broken += 1 }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong: \(wrong.prefix(5))")
        #expect(broken > 0 && broken < 16)
    }
}
