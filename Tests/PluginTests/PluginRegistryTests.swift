import Foundation
import GRDB
import GongkaiPluginAPI
import Testing
@testable import ApplicationOutcomes
@testable import GongkaiCore

struct TablePlugin: AnalysisPlugin {
    var id: String
    var version = "0.1"
    var table: String
    var apiVersion = gongkaiPluginAPIVersion
    var failOn: String? = nil
    func register(_ r: PluginRegistrar) {
        let failOn = failOn
        r.addTable(PluginTable(name: table, description: "test", columns: [PluginColumn("n", .integer)]) { report in
            if let f = failOn, report.source.hasSuffix(f) { throw PluginError("cannot handle \(f)") }
            return [[.integer(Int64(report.year ?? 0))]]
        })
    }
}

@Suite("Plugin registry")
struct PluginRegistryTests {
    @Test("conflicts are refused with a clear error and leave the registry unchanged")
    func conflicts() throws {
        let reg = PluginRegistry()
        try reg.register(TablePlugin(id: "a", table: "things"))
        #expect { try reg.register(TablePlugin(id: "b", table: "things")) } throws: {
            "\($0)" == "plugin b: table things is already registered by plugin a"
        }
        #expect { try reg.register(TablePlugin(id: "c", table: "reports")) } throws: {
            "\($0)" == "plugin c: table reports clashes with a built-in table"
        }
        #expect { try reg.register(TablePlugin(id: "d", table: "x", apiVersion: 99)) } throws: {
            "\($0)".contains("built for plugin API version 99") && "\($0)".contains("provides version \(gongkaiPluginAPIVersion)")
        }
        #expect(reg.plugins.map(\.id) == ["a"])
        #expect(reg.tables.keys.sorted() == ["things"])
        try reg.register(ApplicationOutcomesPlugin())
        #expect(reg.plugins.last?.tables == ["outcomes", "review_outcomes"])
        #expect(reg.metrics["grant_rate"]?.metric.expression == "(granted + partially_granted) / total_processed")
    }

    @Test("a plugin that throws on one report leaves a finding for it; the batch completes")
    func failingPlugin() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = Array(SyntheticCorpus(seed: 3).reports(count: 12).filter { $0.layout != .html }.prefix(4))
        for r in reports { try r.render().write(to: dir.appendingPathComponent(r.file), atomically: true, encoding: .utf8) }
        let reg = PluginRegistry()
        try reg.register(TablePlugin(id: "flaky", table: "years", failOn: reports[1].file))
        let ws = try Workspace(path: dir.appendingPathComponent("w.db").path, registry: reg)
        let summary = try Ingester(jobs: 2).ingest([dir.path], into: ws)
        #expect(summary.ingested == 4 && summary.failures.isEmpty)
        try ws.db.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM years") == 3)
            let f = try Row.fetchAll(db, sql: "SELECT r.source, f.message FROM findings f JOIN reports r USING (report_id) WHERE f.rule = 'plugin_error'")
            #expect(f.count == 1)
            #expect((f.first?["source"] as String?)?.hasSuffix(reports[1].file) == true)
            #expect((f.first?["message"] as String?) == "plugin flaky failed on table years: cannot handle \(reports[1].file)")
        }
    }
}
