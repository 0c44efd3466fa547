import Foundation
import Testing
@testable import GongkaiCore

/// The CLI contract relied on from outside: parse, check, and errors per file.
@Suite("CLI", .serialized)
struct CLITests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    @Test("parse --format jsonl: one object per report; a missing file gets a line on stderr, the rest goes on, exit 2",
          .enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func parseJSONL() throws {
        let seed = Self.corpus.appendingPathComponent("00_shapotou_stats_2020.txt").path
        let r = try REPLTests.run([REPLTests.binary, "parse", "--format", "jsonl", "/nonexistent/report.txt", seed])
        #expect(r.status == 2)
        #expect(r.err == "gongkai: /nonexistent/report.txt: no such file\n")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(obj["file"] as? String == seed)
        #expect(obj["generation"] as? String == "2019")
        #expect(obj["year"] as? Int == 2020)
        #expect(obj["agency"] as? String == "中卫市沙坡头区统计局")
        #expect((obj["region"] as? [String: Any])?["county"] as? String == "沙坡头区")
        let cells = obj["cells"] as! [String: Any]
        #expect(cells.count == 198)
        #expect(cells["proactive.other_services.prior_items"] as? Int == 9)
        #expect((obj["raw"] as! [String: Any])["proactive.penalty.prior_items"] as? String == "19")
        #expect((obj["uncertain"] as! [Any]).isEmpty)
    }

    @Test("check exits 1 when an identity fails and 0 when all hold", .enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func check() throws {
        let bad = try REPLTests.run([REPLTests.binary, "check", Self.corpus.appendingPathComponent("04_shanghai_stcsm_2024.txt").path])
        #expect(bad.status == 1)
        #expect(bad.out.contains("[error] identity1: column total: new_received + carried_over = 36 but total_processed + carried_forward = 35"))
        let good = try REPLTests.run([REPLTests.binary, "check", Self.corpus.appendingPathComponent("08_pingtan_2021.txt").path])
        #expect(good.status == 0)
    }

    @Test(".save writes a notebook that gongkai run reproduces")
    func saveAndRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let nb = dir.appendingPathComponent("session.md").path
        let script = "from applications | where applicant == \"total\" | aggregate {received = sum(new_received)};\nfrom nowhere;\n.save \(nb)\n"
        let r = try REPLTests.run([REPLTests.binary, "--workspace", REPLTests.workspace], input: script)
        #expect(r.out.contains("│       60 │"))
        #expect(r.out.contains("saved 1 statement(s)"))
        let out = dir.appendingPathComponent("session.out.md").path
        let run = try REPLTests.run([REPLTests.binary, "run", "--workspace", REPLTests.workspace, nb, "--to", "md", "-o", out])
        #expect(run.status == 0, "\(run.err)")
        let md = try String(contentsOfFile: out, encoding: .utf8)
        #expect(md.contains("| received |\n|---:|\n| 60 |"))
    }

    @Test("compare prints changed cells, identities and section similarities", .enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func compare() throws {
        let r = try REPLTests.run([REPLTests.binary, "compare", Self.corpus.appendingPathComponent("08_pingtan_2021.txt").path,
                                   Self.corpus.appendingPathComponent("11_pingtan_2024.txt").path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("平潭综合实验区 2021 → 平潭综合实验区 2024  (not consecutive years"))
        #expect(r.out.contains("│ applications.new_received.total                      │            70 │       218 │           148 │  2.114286 │"))
        #expect(r.out.contains("identity 5 (applications.carried_over.total): not_applicable"))
        #expect(r.out.contains("其他需要报告的事项: 0.69"))
    }

    @Test(".compare in the REPL re-reads an agency's two reports; a one-year agency gets a clear message")
    func replCompare() throws {
        let r = try REPLTests.run([REPLTests.binary, "--workspace", REPLTests.workspace], input: ".compare 固原市统计局\n.compare 固原\n")
        #expect(r.err.contains("agency \"固原市统计局\" has a report for 2022 only; two years are needed"))
        #expect(r.err.contains("did you mean \"固原市统计局\"?"))
    }
}
