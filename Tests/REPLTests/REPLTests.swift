import Foundation
import Testing
@testable import GongkaiCore

/// Drives the real `gongkai` binary: piped (exact output) and under a pseudo-terminal.
@Suite("REPL", .serialized)
struct REPLTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gongkai").path

    /// A small workspace of hand-written reports (not corpus text), made once.
    static let workspace: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-repl-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: dir)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (i, (agency, y)) in [("中卫市沙坡头区统计局", 2021), ("银川市兴庆区财政局", 2021), ("固原市统计局", 2022)].enumerated() {
            let text = REPLTests.report(agency: agency, year: y, received: 10 * (i + 1))
            try! text.write(to: dir.appendingPathComponent("r\(i).txt"), atomically: true, encoding: .utf8)
        }
        let ws = dir.appendingPathComponent("w.db").path
        _ = try! run([binary, "ingest", "--workspace", ws, dir.path])
        return ws
    }()

    /// A 2021-generation report in pdftotext style; `received` new applications, all granted.
    static func report(agency: String, year: Int, received: Int) -> String {
        var rows = Template.applicationRows(.v2021).map { row -> String in
            let n = ["new_received", "granted", "total_processed"].contains(row) ? received : 0
            return "\(row)\t\(n)\t0\t0\t0\t0\t0\t\(n)"
        }
        let labels = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "（二）部分公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计", "四、结转下年度继续办理"]
        for i in rows.indices { rows[i] = labels[i] + rows[i].drop { $0 != "\t" } }
        return """
        \(agency)\(year)年政府信息公开工作年度报告
        二、主动公开政府信息情况
        第二十条第（一）项
        信息内容\t本年制发件数\t本年废止件数\t现行有效件数
        规章\t0\t0\t0
        行政规范性文件\t1\t0\t5
        信息内容\t本年处理决定数量
        行政许可\t3
        行政处罚\t1
        行政强制\t0
        信息内容\t本年收费金额（单位：万元）
        行政事业性收费\t0
        三、收到和处理政府信息公开申请情况
        （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
        \(rows.joined(separator: "\n"))
        四、政府信息公开行政复议、行政诉讼情况
        0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
        五、存在的主要问题及改进情况
        无。

        """
    }

    @discardableResult
    static func run(_ args: [String], input: String = "", env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test("a piped script gives exactly the expected output; an error goes to stderr with a caret and the script goes on")
    func piped() throws {
        let script = """
        from applications
        | where applicant == "total"
        | select {agency, year, new_received}
        | sort agency;
        from reports | wher year == 2021;
        .mode csv
        from outcomes | where applicant == "total" | group year (aggregate {n = count(), received = sum(received)}) | sort year

        .quit
        """
        let r = try Self.run([Self.binary, "--workspace", Self.workspace], input: script)
        #expect(r.out == """
        ┌──────────────────────┬──────┬──────────────┐
        │ agency               │ year │ new_received │
        ├──────────────────────┼──────┼──────────────┤
        │ 中卫市沙坡头区统计局 │ 2021 │           10 │
        │ 固原市统计局         │ 2022 │           30 │
        │ 银川市兴庆区财政局   │ 2021 │           20 │
        └──────────────────────┴──────┴──────────────┘
        3 rows
        year,n,received\r
        2021,2,30\r
        2022,1,30\r

        """)
        #expect(r.err.contains("unknown step \"wher\""))
        #expect(r.err.contains("1 | from reports | wher year == 2021\n  |                ^^^^"))
        #expect(r.err.contains("did you mean \"where\"?"))
        #expect(r.status == 1)
    }

    /// Runs the binary under a pseudo-terminal (via `script`), typing `keys` with pauses.
    static func pty(_ keys: [String], historyHome: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qfec", "\(binary) --workspace \(workspace)", "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = historyHome
        env["TERM"] = "xterm"
        env["COLUMNS"] = "100"
        env["LINES"] = "40"
        p.environment = env
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = outPipe
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        for k in keys {
            inPipe.fileHandleForWriting.write(Data(k.utf8))
            Thread.sleep(forTimeInterval: 0.6)
        }
        try inPipe.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(15)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning { p.terminate() }
        return String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test("under a terminal: arrow-up recalls a multi-line statement, TAB completes a column, Chinese lines up")
    func terminal() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gk-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let out = try Self.pty([
            "from reports\r", "| select {agency} | sort agency | take 2\r", "\r",
            "\u{1B}[A", "\r", "\r",                                      // arrow up, run again
            "from applications | where new_rec\t", " > 15 | select {agency}\r", "\r",
            "\u{04}",                                                    // Ctrl-D
        ], historyHome: home)
        // The recalled statement is both lines, whole.
        let history = try String(contentsOfFile: home + "/.gongkai_history", encoding: .utf8)
        #expect(history.contains("from\\040reports\\012|\\040select"), "history: \(history)")
        #expect(out.components(separatedBy: "│ 中卫市沙坡头区统计局 │").count - 1 >= 2, "the recalled statement ran again:\n\(out)")
        // TAB completed new_rec → new_received and the query ran.
        // (without completion `new_rec` would be an unknown column; with it the query keeps 4 rows)
        #expect(!out.contains("unknown column"), "\(out)")
        #expect(out.contains("4 rows"), "\(out)")
        #expect(out.contains("│ 银川市兴庆区财政局 │"))
        // Box lines of the Chinese table have equal display width.
        let boxLines = out.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
            .filter { $0.hasPrefix("│ 中卫") || $0.hasPrefix("│ 固原") || $0.hasPrefix("┌") }
        let widths = Set(boxLines.prefix(3).map { DisplayWidth.of($0.replacingOccurrences(of: "\u{1B}[0m", with: "").replacingOccurrences(of: "\u{1B}[1m", with: "")) })
        #expect(widths.count == 1, "\(boxLines)")
    }
}
