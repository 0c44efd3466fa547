import Foundation
import Testing
@testable import GongkaiCore

/// The checks read a parsed report's values in its cells; a report or a dictionary whose
/// cells are not in template order goes the long way. Both must give the same findings.
@Suite("Report checks on cells")
struct ReportChecksCellsTests {
    /// Generated reports, some with broken identities and blank cells.
    static func parsed() throws -> [Report] {
        var corpus = SyntheticCorpus(seed: 23)
        corpus.brokenShare = 0.5
        return try corpus.reports(count: 24).map { try ReportParser().parse(data: Array($0.render().utf8), source: $0.file) }
    }

    @Test("a parsed report's findings equal those of its cells shuffled and of its values as a dictionary")
    func sameFindings() throws {
        var failing = 0
        for report in try Self.parsed() {
            var shuffled = report
            shuffled.cells.reverse()
            #expect(!ReportChecks.TemplateValues.inTemplateOrder(shuffled))
            let values = Dictionary(uniqueKeysWithValues: report.cells.map { ($0.key, $0.value) })
            let fast = ReportChecks.run(matched: report.cells, generation: report.generation, claims: [])
            #expect(fast.map(\.message) == ReportChecks.run(shuffled, claims: []).map(\.message), "\(report.source)")
            let long = ReportChecks.identities(values, generation: report.generation) + ReportChecks.blanks(values, generation: report.generation)
            #expect(fast.map(\.message) == long.map(\.message), "\(report.source)")
            if fast.contains(where: \.isIdentityFailure) { failing += 1 }
        }
        #expect(failing > 0)
    }

    @Test("a cell the values lack is not a blank cell; a blank one is")
    func missingIsNotBlank() throws {
        let g = Generation.v2021
        let row = Template.applicantColumns.map { CellKey(.applications, "granted", $0) }
        var values: [CellKey: CellValue] = [:]
        for k in row { values[k] = .number(Quantity(1)) }
        values[row[0]] = nil
        #expect(ReportChecks.blanks(values, generation: g).isEmpty)
        values[row[0]] = .blank
        let found = ReportChecks.blanks(values, generation: g)
        #expect(found.count == 1 && found.first?.cells == [row[0].description])
    }

    @Test("identity sums add integers and decimals exactly; blank and na count as zero")
    func sums() {
        let g = Generation.v2019
        let keys = Template.keys(g)
        let cells = keys.enumerated().map { i, k -> Cell in
            let value: CellValue = i == 0 ? .number(Quantity(mantissa: 15, scale: 1)) : i == 1 ? .number(Quantity(2)) : i == 2 ? .notApplicable : .blank
            return Cell(key: k, value: value, raw: "", span: nil)
        }
        let report = Report(source: "sums", format: .text, generation: g, metadata: ReportMetadata(), cells: cells)
        let values = ReportChecks.TemplateValues(templateOrdered: report)
        let (total, printed) = ReportChecks.sum([0, 1, 2, 3], values)
        #expect(total == Quantity(mantissa: 35, scale: 1) && printed)
        let (none, anyPrinted) = ReportChecks.sum([2, 3], values)
        #expect(none == .zero && !anyPrinted)
    }

    @Test("an identity with decimals is added as quantities: it holds or fails as printed")
    func decimalIdentity() {
        let g = Generation.v2021
        let k = { (row: String) in CellKey(.applications, row, "natural_person") }
        var values: [CellKey: CellValue] = [
            k("new_received"): .number(Quantity(mantissa: 15, scale: 1)), k("carried_over"): .number(Quantity(mantissa: 15, scale: 1)),
            k("total_processed"): .number(Quantity(3)), k("carried_forward"): .number(Quantity(0)),
        ]
        // Identity 1 holds: 1.5 + 1.5 = 3 + 0 (identities 2 and 3 fail: no outcome row or
        // total is printed).
        #expect(!ReportChecks.identities(values, generation: g).contains { $0.rule == "identity1" })
        values[k("carried_over")] = .number(Quantity(mantissa: 125, scale: 2))
        let found = ReportChecks.identities(values, generation: g).filter { $0.rule == "identity1" }
        #expect(found.count == 1)
        #expect(found.first?.printed == "1.5 + 1.25 = 2.75")
    }

    @Test("a narrative total is checked once per topic, against the table's total or it plus the carried-over")
    func narrativeTotals() {
        let received = CellKey(.applications, "new_received", "total"), carried = CellKey(.applications, "carried_over", "total")
        let reviews = CellKey(.reviews, "admin_review", "total")
        let values: [CellKey: CellValue] = [received: .number(Quantity(3)), carried: .number(Quantity(2)), reviews: .number(Quantity(1))]
        func claim(_ topic: String, _ n: Int) -> NarrativeFacts.Claim { NarrativeFacts.Claim(topic: topic, value: n, context: "收到申请\(n)件") }
        #expect(ReportChecks.textVsTable(values, claims: [claim("applications_received", 5), claim("admin_reviews", 1)]).isEmpty)
        #expect(ReportChecks.textVsTable(values, claims: [claim("applications_received", 3), claim("lawsuits", 9)]).isEmpty)
        let found = ReportChecks.textVsTable(values, claims: [claim("applications_received", 4), claim("applications_received", 7), claim("admin_reviews", 2)])
        #expect(found.map(\.message) == ["the narrative says 4 (收到申请4件) but the table gives 3", "the narrative says 2 (收到申请2件) but the table gives 1"])
        #expect(found.map(\.cells) == [[received.description, carried.description], [reviews.description]])
        #expect(found.map(\.expected) == ["3", "1"] && found.map(\.printed) == ["4", "2"])
    }
}
