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

@Suite("Synthetic corpus at scale")
struct SyntheticCorpusScaleTests {
    @Test("forEachReport streams the same reports as reports(count:), one per agency and year")
    func streaming() {
        let corpus = SyntheticCorpus(seed: 8)
        let listed = corpus.reports(count: 3000)
        var streamed: [SyntheticCorpus.Report] = []
        corpus.forEachReport(count: 3000) { streamed.append($0) }
        #expect(streamed.count == 3000)
        #expect(streamed.map(\.fileName) == listed.map(\.fileName))
        #expect(streamed.map { $0.render() } == listed.map { $0.render() })
        #expect(Set(listed.map { "\($0.agency.name) \($0.year)" }).count == 3000)
    }

    @Test("township governments and street offices (past the departments' names) read back with their county")
    func townships() throws {
        let g = Gazetteer.shared
        var rng = RandomSource(seed: 4)
        var report = SyntheticCorpus(seed: 4).reports(count: 40).first { $0.agency.level == .county && $0.layout != .flat }!
        let county = g.divisions.first { $0.level == .county && !$0.isFormer && g.region(of: $0) == report.agency.region }!
        var kinds = Set<String>()
        for _ in 0..<12 {
            report.agency.name = SyntheticCorpus.townshipName(county, rng: &rng, gazetteer: g)
            kinds.insert(String(report.agency.name.suffix(3)))
            let parsed = try ReportParser().parse(data: Array(report.render().utf8), source: report.file)
            #expect(parsed.metadata.agency == report.agency.name)
            #expect(parsed.metadata.region == report.agency.region)
            #expect(parsed.uncertain.isEmpty)
        }
        #expect(kinds == ["民政府", "办事处"])
    }
}
