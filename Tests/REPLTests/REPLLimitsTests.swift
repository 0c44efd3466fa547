import Foundation
import Testing

/// The REPL's result caps and how it shows hostile report text, through the real binary.
@Suite("REPL limits and hostile text", .serialized)
struct REPLLimitsTests {
    /// A workspace holding one report whose agency line carries markup, an ANSI colour
    /// escape, a right-to-left override and a carriage return.
    static let hostileWorkspace: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-hostile-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let agency = "<b>中卫市</b>\u{1B}[31m沙坡头区\u{202E}统计局\r"
        try! REPLTests.report(agency: agency, year: 2021, received: 5).write(to: dir.appendingPathComponent("h.txt"), atomically: true, encoding: .utf8)
        let ws = dir.appendingPathComponent("w.db").path
        _ = try! REPLTests.run([REPLTests.binary, "ingest", "--workspace", ws, dir.path])
        return ws
    }()

    @Test("report text with HTML, ANSI escapes, a bidi override and CR renders inert in every mode")
    func hostileText() throws {
        let script = "from reports | select {agency}\n\n.mode line\nfrom reports | select {agency}\n\n.mode markdown\nfrom reports | select {agency}\n\n.quit\n"
        let r = try REPLTests.run([REPLTests.binary, "--workspace", Self.hostileWorkspace], input: script)
        #expect(r.status == 0)
        #expect(!r.out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x0D })
        #expect(r.out == """
        ┌──────────────────────────────────┐
        │ agency                           │
        ├──────────────────────────────────┤
        │ <b>中卫市</b>�[31m沙坡头区统计局 │
        └──────────────────────────────────┘
        1 row
        agency = <b>中卫市</b>�[31m沙坡头区统计局
        | agency |
        |---|
        | <b>中卫市</b>�[31m沙坡头区统计局 |

        """)
    }

    @Test("result caps: the table footer, a note for other modes, and the .maxrows limit")
    func resultCaps() throws {
        let script = """
        .maxrows 2
        from reports | select {agency} | sort agency

        .mode csv
        from reports | select {agency} | sort agency

        .maxrows 5000000
        .maxrows 0
        .quit

        """
        let r = try REPLTests.run([REPLTests.binary, "--workspace", REPLTests.workspace], input: script)
        #expect(r.out == """
        ┌──────────────────────┐
        │ agency               │
        ├──────────────────────┤
        │ 中卫市沙坡头区统计局 │
        │ 固原市统计局         │
        └──────────────────────┘
        3 rows, showing 2
        agency\r
        中卫市沙坡头区统计局\r
        固原市统计局\r

        """)
        #expect(r.err == """
        3 rows, showing 2 (.maxrows N to show more)
        showing at most 1000000 rows: the REPL's limit (use gongkai query for more)
        usage: .maxrows N (a positive number)

        """)
        #expect(r.status == 1)  // the .maxrows 0 usage error
    }
}
