import Foundation
import GRDB
import GongkaiPluginAPI
import Testing
@testable import GongkaiCore
@testable import GongkaiSession

/// Builds the example plugin package in Plugins/Examples, loads it at runtime, and uses it.
@Suite("External plugins", .serialized)
struct ExternalPluginTests {
    static let examplePackage = PluginFixtures.repoRoot.appendingPathComponent("Plugins/Examples/NarrativeStats")

    /// Runs a command, returning its exit status and output.
    @discardableResult
    static func run(_ args: [String], in dir: URL? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        if let dir { p.currentDirectoryURL = dir }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func buildExample() throws -> String {
        let (status, out) = try run(["swift", "build", "--package-path", examplePackage.path])
        #expect(status == 0, "swift build of the example plugin failed:\n\(out)")
        return examplePackage.appendingPathComponent(".build/debug/libNarrativeStats.so").path
    }

    @Test("the example plugin builds, loads, registers a table and fills it at ingest")
    func loadAndIngest() throws {
        let lib = try Self.buildExample()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = Array(SyntheticCorpus(seed: 9).reports(count: 10).filter { $0.layout != .html }.prefix(3))
        for r in reports { try r.render().write(to: dir.appendingPathComponent(r.file), atomically: true, encoding: .utf8) }

        let session = try Session(workspace: dir.appendingPathComponent("w.db").path, pluginPaths: [lib])
        #expect(session.pluginErrors.isEmpty, "\(session.pluginErrors)")
        let entry = try #require(session.registry.plugins.first { $0.id == "narrative_stats" })
        #expect(entry.version == "0.1.0")
        #expect(entry.tables == ["narrative_stats"])
        #expect(entry.commands == ["longest"])
        _ = try Ingester(jobs: 1).ingest([dir.path], into: session.workspace)
        let expected = try reports.map { r -> (String, Int) in
            let parsed = try ReportParser().parse(data: Array(r.render().utf8), source: r.file)
            return (r.agency.name, parsed.narrative.count)
        }
        // The plugin's table answers a query through the engine, and its metric is usable.
        let result = try session.query("from narrative_stats | select {agency, paragraphs} | sort agency, paragraphs").table
        #expect(result.rows.map { "\($0[0].plain) \($0[1].plain)" } == expected.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0) \($0.1)" })
        let metric = try session.query("from narrative_stats | derive c = characters_per_paragraph | where c is null | aggregate {n = count()}").table
        #expect(metric.rows == [[.integer(0)]])
    }

    @Test("a library built for another API version is refused with a clear message")
    func versionMismatch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("old.c")
        try "int gongkai_plugin_api_version(void) { return 99; }\nvoid *gongkai_plugin_create(void) { return 0; }\n".write(to: src, atomically: true, encoding: .utf8)
        let lib = dir.appendingPathComponent("libold.so").path
        let (status, out) = try Self.run(["cc", "-shared", "-fPIC", "-o", lib, src.path])
        try #require(status == 0, "cc failed: \(out)")
        #expect { try PluginLoader.load(path: lib) } throws: {
            "\($0)" == "plugin \(lib) was built for plugin API version 99; this Gongkai provides version \(gongkaiPluginAPIVersion): rebuild it against this version"
        }
        let session = try Session(workspace: dir.appendingPathComponent("w.db").path, pluginPaths: [lib, dir.appendingPathComponent("missing.so").path])
        #expect(session.pluginErrors.count == 2)
        #expect(session.registry.plugins.map(\.id) == Session.builtInPlugins.map(\.id))
    }
}
