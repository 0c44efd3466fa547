import Foundation
import Testing
@testable import GongkaiCore
@testable import GongkaiSession
@testable import Comparison

/// The comparison plugin's pair tables and the copied-section finding, through ingest: a
/// generated report and a copy of it a year later, then the earlier file rewritten.
@Suite("Cross-year comparison in the workspace", .serialized)
struct CrossYearWorkspaceTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/corpus").standardized

    /// A generated 2021-generation markdown report of a year before 2024.
    static func generated() -> SyntheticCorpus.Report {
        SyntheticCorpus(seed: 11).reports(count: 60).first {
            $0.layout == .markdown && $0.generation == .v2021 && $0.year < 2024 && $0.identityFailures.isEmpty
        }!
    }

    static func query(_ s: Session, _ q: String) throws -> [[DisplayTable.Cell]] { try s.query(q).table.rows }

    @Test("a report copied a year later: both long sections are flagged, the year-over-year changes are all zero")
    func copiedReportIsFlagged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = Self.generated()
        let y = r.year, text = r.render()
        let copy = text.replacingOccurrences(of: "\(y)年", with: "\(y + 1)年")
        let earlier = dir.appendingPathComponent("a.md"), later = dir.appendingPathComponent("b.md")
        try text.write(to: earlier, atomically: true, encoding: .utf8)
        try copy.write(to: later, atomically: true, encoding: .utf8)

        let session = try Session(workspace: dir.appendingPathComponent("w.db").path)
        let first = try Ingester(jobs: 2).ingest([dir.path], into: session.workspace)
        #expect(first.ingested == 2 && first.failures.isEmpty, "\(first.failures)")
        let ids = try Self.query(session, "from reports | select {report_id, year} | sort year")
        #expect(ids.map { $0[1] } == [.integer(Int64(y)), .integer(Int64(y + 1))])
        let (idA, idB) = (ids[0][0], ids[1][0])
        guard case .integer(let b) = idB else { Issue.record("no id"); return }

        let similarity = try Self.query(session, "from narrative_similarity | select {report_id, previous_report_id, section, similarity} | sort section")
        #expect(similarity == [
            [idB, idA, .text("其他需要报告的事项"), .decimal("1")],
            [idB, idA, .text("存在的主要问题及改进情况"), .decimal("1")],
            [idB, idA, .text("总体情况"), .decimal("1")],
        ])
        // Sections 一 and 五 are flagged; 六 (本年度未收取信息处理费) is too short to call copied.
        let findings = try Self.query(session, "from findings | where rule == \"comparison.copied_section\" | select {report_id, message} | sort message")
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0[0] == idB })
        let messages = findings.map { if case .text(let m) = $0[1] { m } else { "" } }
        #expect(messages[0].hasPrefix("section 存在的主要问题及改进情况 is 100.0% the same as in the \(y) report (longest common passage "))
        #expect(messages[1].hasPrefix("section 总体情况 is 100.0% the same as in the \(y) report (longest common passage "))

        // The copy prints the same numbers: every cell unchanged, identity 5 evaluated.
        let yoy = try Self.query(session, "from year_over_year | aggregate {n = count(), changed = count(if(change != 0, 1, null))}")
        let numeric = try Self.query(session, "from cells | where report_id == \(b) and kind == \"number\" | aggregate {n = count()}")
        #expect(yoy == [[numeric[0][0], .integer(0)]])
        let identity5 = try Self.query(session, "from year_over_year | where identity == \"5\" | select {row, col}")
        #expect(identity5 == [[.text("carried_over"), .text("total")]])

        // Rewrite section 五 of the earlier report: the later report's pair is recomputed.
        let problems = SyntheticRendererProbe.problemsText(of: text)
        let rewritten = text.replacingOccurrences(of: problems, with: "本年度重点推进基层政务公开标准化建设，群众满意度明显提升，但少数乡镇公开栏更新迟缓，将纳入年度考核督促整改。")
        try rewritten.write(to: earlier, atomically: true, encoding: .utf8)
        let second = try Ingester(jobs: 2).ingest([dir.path], into: session.workspace)
        #expect(second.ingested == 1 && second.replaced == 1 && second.unchanged == 1)
        let newA = try Self.query(session, "from reports | where year == \(y) | select {report_id}")[0][0]
        #expect(newA != idA)
        let after = try Self.query(session, "from findings | where rule == \"comparison.copied_section\" | select {report_id, message}")
        #expect(after.count == 1)
        #expect(after.first.map { if case .text(let m) = $0[1] { m.hasPrefix("section 总体情况 ") } else { false } } == true)
        let pairs = try Self.query(session, "from narrative_similarity | where section == \"存在的主要问题及改进情况\" | select {previous_report_id, copied = similarity >= 0.9}")
        #expect(pairs == [[newA, .bool(false)]])
    }

    @Test("the Pingtan reports (2019, 2021, 2024) are never consecutive: no pairs, no copied-section findings",
          .enabled(if: PluginFixtures.corpusAvailable, "../shared/corpus is not beside the repository"))
    func pingtanHasNoConsecutivePairs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-pt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["06_pingtan_2019.txt", "08_pingtan_2021.txt", "11_pingtan_2024.txt"].map { Self.corpus.appendingPathComponent($0).path }
        let session = try Session(workspace: dir.appendingPathComponent("w.db").path)
        let s = try Ingester(jobs: 2).ingest(files, into: session.workspace)
        #expect(s.ingested == 3 && s.failures.isEmpty)
        #expect(try Self.query(session, "from reports | select {year, level} | sort year") ==
                [[.integer(2019), .text("county")], [.integer(2021), .text("county")], [.integer(2024), .text("county")]])
        #expect(try Self.query(session, "from narrative_similarity | aggregate {n = count()}") == [[.integer(0)]])
        #expect(try Self.query(session, "from cross_year_identities | aggregate {n = count()}") == [[.integer(0)]])
        #expect(try Self.query(session, "from narrative | where report_id == 1 | aggregate {n = count()}") != [[.integer(0)]])
    }
}

/// Finds section 五's body in a rendered synthetic report.
enum SyntheticRendererProbe {
    static func problemsText(of text: String) -> String {
        NarrativeSimilarity.sectionText(.problems, in: text)!.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `.rank`'s pipeline: arguments, errors, and the ranks it computes with ties.
@Suite struct RankingQueryTests {
    @Test func argumentsAndErrors() throws {
        let q = try RankingQuery(arguments: ["denial_rate", "within", "level", "year", "2023", "agency", "平潭综合实验区"])
        #expect(q == RankingQuery(metric: "denial_rate", within: .level, year: 2023, agency: "平潭综合实验区"))
        #expect(q.pipeline.contains("window by:{year, level} sort:-value"))
        #expect(q.pipeline.contains("| where agency == \"平潭综合实验区\""))
        #expect(throws: QueryFailure.self) { try RankingQuery(arguments: []) }
        do { _ = try RankingQuery(arguments: ["x", "within", "town"]); Issue.record("expected an error") } catch let e as QueryFailure {
            #expect(e.rendered == "cannot rank within \"town\": use province, city, level or all")
        }
        do { _ = try RankingQuery(arguments: ["x", "year"]); Issue.record("expected an error") } catch let e as QueryFailure {
            #expect(e.rendered == "year needs a value — \(RankingQuery.usage)")
        }
    }

    @Test("ranks within a province with ties, on a generated workspace")
    func ranksWithTies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-rank-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticCorpus(seed: 5).write(count: 120, to: dir.path)
        let session = try Session(workspace: dir.appendingPathComponent("w.db").path)
        _ = try Ingester(jobs: 2).ingest([dir.path], into: session.workspace)
        let rows = try session.query(RankingQuery(metric: "received", within: .province).pipeline).table.rows
        #expect(!rows.isEmpty)
        // Check every row against a direct count over the same cohort.
        let all = try session.query("from outcomes | where applicant == \"total\" and received is not null and province is not null | select {year, province, agency, received}").table.rows
        var ties = 0
        for r in rows {
            let (year, province, value) = (r[0], r[1], Int(r[3].plain)!)
            let cohort = all.filter { $0[0] == year && $0[1] == province }.map { Int($0[3].plain)! }
            let rank = 1 + cohort.filter { $0 > value }.count
            #expect(r[4] == .integer(Int64(rank)))
            #expect(r[6] == .integer(Int64(cohort.count)))
            if cohort.filter({ $0 == value }).count > 1 { ties += 1 }
        }
        #expect(ties > 0, "the generated corpus should contain ties")
    }
}
