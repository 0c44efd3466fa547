import Foundation
import Testing
@testable import GongkaiCore
@testable import GongkaiNotebook
@testable import GongkaiSession

@Suite("Notebook format")
struct NotebookFormatTests {
    static let source = """
    ---
    title: 测试 <b>报告</b>
    params:
      year: 2021
      province: 宁夏回族自治区
      share: 0.5
    ---
    Some *prose* with `code`.

    ```gongkai
    #| caption: First
    #| echo: false
    from reports | where year == $year and province == $province
    ```

    More prose.

    ```gongkai
    .tables
    ```
    """

    @Test("front matter, typed parameters, cells with options, prose in between")
    func parse() throws {
        let nb = try Notebook.parse(Self.source)
        #expect(nb.title == "测试 <b>报告</b>")
        #expect(nb.parameters == [.init(name: "year", value: .integer(2021)), .init(name: "province", value: .text("宁夏回族自治区")), .init(name: "share", value: .decimal("0.5"))])
        #expect(nb.cells.count == 2)
        #expect(nb.cells[0].options == ["caption": "First", "echo": "false"])
        #expect(nb.cells[0].source == "from reports | where year == $year and province == $province")
        #expect(nb.cells[0].line == 10)
        #expect(nb.parts.count == 4)
    }

    @Test("parameters substitute as typed literals; missing and ill-typed ones are errors before any cell runs")
    func parameters() throws {
        let nb = try Notebook.parse(Self.source)
        let values = try nb.binding(["year=2020"])
        #expect(try Notebook.substitute(nb.cells[0].source, values, cell: nb.cells[0]) == "from reports | where year == 2020 and province == \"宁夏回族自治区\"")
        #expect(throws: NotebookError.self) { try nb.binding(["year=twenty"]) }
        #expect { try nb.binding(["month=3"]) } throws: { "\($0)".contains("unknown parameter \"month\"") }
        #expect { try nb.binding(["year=twenty"]) } throws: { "\($0)" == "parameter year is integer but \"twenty\" is not" }
        var cell = nb.cells[0]
        cell.source = "from reports | where year == $yaer"
        #expect { try Notebook.substitute(cell.source, values, cell: cell) } throws: { "\($0)".contains("unknown parameter $yaer") }
        var ran = false
        let runner = NotebookRunner(runQuery: { _, _ in ran = true; throw QueryFailure("x") }, runCommand: { _ in "" })
        #expect(throws: NotebookError.self) { try runner.run(nb, overrides: ["year=x"]) }
        #expect(!ran)
    }

    @Test("strings from reports are escaped in HTML; output is deterministic")
    func escaping() throws {
        let nb = try Notebook.parse(Self.source)
        let table = DisplayTable(columns: ["agency", "n"], rows: [[.text("<script>alert(1)</script>局"), .integer(12345)], [.text("a&b\u{202E}"), .null]])
        let run = NotebookRun(notebook: nb, parameters: [("year", .integer(2021))], cells: [
            RenderedCell(cell: nb.cells[0], source: "from reports", outputs: [.table(table), .chart(SVGChart(kind: .bar, categories: ["<i>x</i>", "银川"], series: [.init(name: "n", values: [1, 2])]))]),
            RenderedCell(cell: nb.cells[1], source: ".tables", outputs: [.error("cell 2 (<x>): failed")]),
        ])
        let html = NotebookRenderer.html(run)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;局"))
        #expect(html.contains("<title>测试 &lt;b&gt;报告&lt;/b&gt;</title>"))
        #expect(html.contains("&lt;i&gt;x&lt;/i&gt;"))
        #expect(html.contains("a&amp;b</td>"))       // the bidi override is dropped
        #expect(html.contains("<td class=\"num\">12,345</td>"))
        #expect(html.contains("<td class=\"null\">null</td>"))
        #expect(!html.contains("from reports</pre>"))  // echo: false
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html == NotebookRenderer.html(run))
    }
}

/// Runs the example notebooks through the `gongkai` binary on a generated workspace.
@Suite("Example notebooks", .serialized)
struct ExampleNotebookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gongkai").path
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("gk-nb-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: d)
        try! SyntheticCorpus(seed: 2026).write(count: 200, to: d.appendingPathComponent("reports").path)
        let session = try! Session(workspace: d.appendingPathComponent("w.db").path)
        _ = try! Ingester(jobs: 2).ingest([d.appendingPathComponent("reports").path], into: session.workspace)
        return d
    }()

    static func run(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    /// Truth sums over the generated corpus.
    static func truth() throws -> (received2022: Int, broken: Int) {
        var received = 0, broken = 0
        let t = dir.appendingPathComponent("reports/truth")
        for name in try FileManager.default.contentsOfDirectory(atPath: t.path) {
            let j = try JSONSerialization.jsonObject(with: Data(contentsOf: t.appendingPathComponent(name))) as! [String: Any]
            if j["year"] as? Int == 2022 { received += ((j["cells"] as! [String: Any])["applications.new_received.total"] as? Int) ?? 0 }
            if !((j["identity_failures"] as? [Any]) ?? []).isEmpty { broken += 1 }
        }
        return (received, broken)
    }

    @Test("all example notebooks render to HTML and Markdown with the right numbers", arguments: ["quickstart", "application-outcomes", "media-output", "data-quality", "agency-over-time"])
    func examples(_ name: String) throws {
        let ws = Self.dir.appendingPathComponent("w.db").path
        let nb = Self.root.appendingPathComponent("Notebooks/\(name).md").path
        for fmt in ["html", "md"] {
            let out = Self.dir.appendingPathComponent("\(name).\(fmt)").path
            let (status, text) = try Self.run(["run", "--workspace", ws, nb, "--to", fmt, "-o", out])
            #expect(status == 0, "\(text)")
            let rendered = try String(contentsOfFile: out, encoding: .utf8)
            #expect(!rendered.contains("Error:") && !rendered.contains("class=\"error\""), "\(name).\(fmt)")
            // Deterministic: a second run gives the same bytes.
            _ = try Self.run(["run", "--workspace", ws, nb, "--to", fmt, "-o", out + ".2"])
            #expect(try String(contentsOfFile: out + ".2", encoding: .utf8) == rendered)
        }
        let html = try String(contentsOfFile: Self.dir.appendingPathComponent("\(name).html").path, encoding: .utf8)
        let (received2022, broken) = try Self.truth()
        switch name {
        case "quickstart":
            #expect(html.contains("<div class=\"v\">\(DisplayTable.Cell.integer(Int64(received2022)).display)</div><div class=\"k\">received</div>"))
            #expect(html.contains("<svg"))
        case "data-quality":
            let brokenText = DisplayTable.Cell.integer(Int64(broken)).display
            #expect(html.contains("<td>identity3</td><td>error</td><td class=\"num\">\(brokenText)</td><td class=\"num\">\(brokenText)</td>"), "broken = \(broken)")
        case "agency-over-time":
            // The agency has reports for 2019–2024 in the generated corpus (seed 2026).
            #expect(html.contains("<td>2019</td><td>2019</td><td>html</td>") || html.contains("<td class=\"num\">2019</td>"))
            #expect(html.contains("6 rows"))
            #expect(html.contains("<svg"))
        default:
            #expect(html.contains("<svg"))
        }
    }

    @Test("a notebook with a broken cell exits non-zero naming the cell; --keep-going renders the error in place")
    func brokenCell() throws {
        let nb = Self.dir.appendingPathComponent("broken.md")
        try "# x\n\n```gongkai\nfrom reports | take 1\n```\n\n```gongkai\nfrom reprots | take 1\n```\n".write(to: nb, atomically: true, encoding: .utf8)
        let ws = Self.dir.appendingPathComponent("w.db").path
        let (status, text) = try Self.run(["run", "--workspace", ws, nb.path, "-o", Self.dir.appendingPathComponent("b.html").path])
        #expect(status != 0)
        #expect(text.contains("cell 2 (from reprots | take 1)"))
        #expect(text.contains("unknown table \"reprots\""))
        let (s2, _) = try Self.run(["run", "--workspace", ws, nb.path, "--keep-going", "-o", Self.dir.appendingPathComponent("b.html").path])
        #expect(s2 == 0)
        #expect(try String(contentsOfFile: Self.dir.appendingPathComponent("b.html").path, encoding: .utf8).contains("class=\"error\""))
    }
}
