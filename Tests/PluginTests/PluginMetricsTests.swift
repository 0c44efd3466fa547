import Foundation
import Testing
@testable import GongkaiCore
@testable import GongkaiSession

/// Every plugin metric evaluated by the query engine on the ingested corpus. Expected values
/// are computed by hand from the printed tables (see the comments).
@Suite("Plugin metrics in queries", .serialized, .enabled(if: PluginFixtures.corpusAvailable, "../shared/corpus is not beside the repository"))
struct PluginMetricsTests {
    static let session: Session = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-metrics-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: dir)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = try! Session(workspace: dir.appendingPathComponent("w.db").path)
        let files = ["00_shapotou_stats_2020.txt", "04_shanghai_stcsm_2024.txt", "08_pingtan_2021.txt", "11_pingtan_2024.txt"]
        _ = try! Ingester(jobs: 1).ingest(files.map { PluginFixtures.corpus.appendingPathComponent($0).path }, into: s.workspace)
        return s
    }()

    static func rows(_ q: String) throws -> [[String]] {
        try session.query(q).table.rows.map { $0.map(\.plain) }
    }

    @Test("application outcome rates on the 平潭 2021 and 2024 totals")
    func applicationRates() throws {
        let q = """
        from applications | where applicant == "total" and year >= 2021 and contains(agency, "平潭")
        | derive g = grant_rate, d = denial_rate, u = unable_rate, n = not_processed_rate, o = other_rate, b = backlog_rate, r = received, p = processed
        | select {year, g, d, u, n, o, b, r, p} | sort year
        """
        #expect(try Self.rows(q) == [
            // 2021: 35/69, 8/69, 25/69, 0/69, 1/69, 1/70; received 70 + 0; processed 69.
            ["2021", "0.507246", "0.115942", "0.362319", "0", "0.014493", "0.014286", "70", "69"],
            // 2024: 100/218, 39/218, 75/218, 1/218, 3/218, 0/218; received 218; processed 218.
            ["2024", "0.458716", "0.178899", "0.344037", "0.004587", "0.013761", "0", "218", "218"],
        ])
    }

    @Test("a blank carried-forward total makes the backlog rate null, not 0 (市科委 2024)")
    func nullRule() throws {
        #expect(try Self.rows("from applications | where applicant == \"total\" and year == 2024 and contains(agency, \"科学技术\") | select {b = backlog_rate, g = grant_rate}")
                == [["", "0.257143"]])   // 9 granted / 35 processed
    }

    @Test("correction rate: corrected / (total − pending) on 平潭 2024")
    func correctionRate() throws {
        #expect(try Self.rows("from reviews | where year == 2024 and contains(agency, \"平潭\") | select {proceeding, c = correction_rate}")
                == [["admin_review", "0.166667"], ["litigation_direct", ""], ["litigation_after_review", "0.105263"]])
    }

    @Test("media output: WeChat original share (沙坡头 106/397, 市科委 294/1640)")
    func mediaShare() throws {
        let q = "from media_output | join (from reports | select {rid = report_id, agency}) (report_id == rid) | group agency (aggregate {s = wechat_original_share}) | where s is not null | sort agency"
        #expect(try Self.rows(q) == [["上海市科学技术委员会", "0.179268"], ["中卫市沙坡头区统计局", "0.267003"]])
    }

    @Test("disclosure volume: documents in force a year earlier, enforcement decisions, net change")
    func disclosureMetrics() throws {
        let q = "from disclosure_volume | where generation == \"2021\" | select {agency, year, p = normative_prior_in_force, e = enforcement_decisions, normative_net_change} | sort year, agency"
        #expect(try Self.rows(q) == [
            ["平潭综合实验区", "2021", "599", "3617", "66"],      // 665 − 69 + 3; 2293 + 1282 + 42; 69 − 3
            ["上海市科学技术委员会", "2024", "42", "97", "13"],   // 55 − 13 + 0; 97 + 0 + 0; 13 − 0
            ["平潭综合实验区", "2024", "411", "5694", "29"],      // 440 − 62 + 33; 4529 + 1100 + 65; 62 − 33
        ])
    }
}
