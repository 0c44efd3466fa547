import Foundation
import GongkaiCore
import GongkaiSession
import GongkaiPluginAPI

extension REPL {
    /// The built-in dot commands with one line of help each.
    public static let commands: [(name: String, usage: String, help: String)] = [
        ("help", ".help [topic]", "this help; topics: language, functions, or a command name"),
        ("tables", ".tables", "the tables you can query"),
        ("schema", ".schema TABLE", "columns of a table, with types and descriptions"),
        ("plugins", ".plugins", "plugins and what they registered"),
        ("metrics", ".metrics", "named metrics with their definitions"),
        ("ingest", ".ingest PATH...", "parse report files or folders into the workspace"),
        ("mode", ".mode table|csv|json|markdown|line", "how results are shown"),
        ("maxrows", ".maxrows N", "show at most N rows (default 40)"),
        ("timer", ".timer on|off", "show how long each statement took"),
        ("explain", ".explain PIPELINE", "the plan before and after optimisation"),
        ("chart", ".chart bar|spark LABEL_COLUMN VALUE_COLUMN", "chart the last result"),
        ("output", ".output [FILE]", "send results to a file (no argument: back to the screen)"),
        ("compare", ".compare AGENCY [YEAR_A YEAR_B]", "what changed between two of an agency's reports, and copied text"),
        ("rank", ".rank METRIC [within province|city|level|all] [year YEAR] [agency NAME]",
         "rank, percentile and cohort size of agencies on a metric of outcomes (ties share a rank)"),
        ("save", ".save NOTEBOOK.md", "save this session's successful statements as a notebook"),
        ("run", ".run NOTEBOOK.md", "run a notebook here"),
        ("quit", ".quit", "leave (Ctrl-D works too)"),
    ]

    /// All command names, built-in and plugin ones (for completion).
    var commandNames: [String] { Self.commands.map(\.name) + session.registry.commands.keys.sorted() + ["exit"] }

    /// Runs a dot command; returns false when it failed.
    @discardableResult
    func command(_ line: String) -> Bool {
        guard let cmd = DotCommand(line) else { fail("not a command: \(line)"); return false }
        switch cmd.name {
        case "help": emit(help(cmd.args.first))
        case "quit", "exit", "q": running = false
        case "tables": emit(TableWriter.render(session.tablesTable(), mode: mode, width: width, color: color))
        case "schema":
            guard let t = cmd.args.first else { fail("usage: .schema TABLE"); return false }
            guard let s = session.schemaTable(t) else {
                let names = session.tableList.map(\.name)
                let hint = EditDistance.suggestion(for: t, among: names).map { " — " + $0 } ?? ""
                fail("unknown table \"\(t)\"\(hint)")
                return false
            }
            emit(TableWriter.render(s, mode: mode, width: width, color: color))
        case "plugins": emit(TableWriter.render(session.pluginsTable(), mode: mode, width: width, color: color))
        case "metrics": emit(TableWriter.render(session.metricsTable(), mode: mode, width: width, color: color))
        case "mode":
            guard let m = cmd.args.first.flatMap(TableWriter.Mode.init(rawValue:)) else { fail("usage: .mode table|csv|json|markdown|line"); return false }
            mode = m
        case "maxrows":
            guard let n = cmd.args.first.flatMap(Int.init), n > 0 else { fail("usage: .maxrows N (a positive number)"); return false }
            maxRows = min(n, REPL.maxRowsLimit)
            if n > REPL.maxRowsLimit { note("showing at most \(REPL.maxRowsLimit) rows: the REPL's limit (use gongkai query for more)") }
        case "timer":
            guard let a = cmd.args.first, a == "on" || a == "off" else { fail("usage: .timer on|off"); return false }
            timer = a == "on"
        case "explain":
            let text = line.trimmingCharacters(in: .whitespaces).dropFirst(".explain".count).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { fail("usage: .explain PIPELINE"); return false }
            do { emit(try explain(text)) } catch let e as QueryFailure { fail(e.rendered); return false } catch { fail("error: \(error)"); return false }
        case "chart": return chart(cmd.args)
        case "compare":
            guard let agency = cmd.args.first else { fail("usage: .compare AGENCY [YEAR_A YEAR_B]"); return false }
            var years: (Int, Int)?
            if cmd.args.count >= 3 {
                guard let a = Int(cmd.args[1]), let b = Int(cmd.args[2]) else { fail("usage: .compare AGENCY [YEAR_A YEAR_B]"); return false }
                years = (a, b)
            }
            do { emit(try session.compare(agency: agency, years: years)) } catch let e as QueryFailure { fail(e.rendered); return false } catch { fail("error: \(error)"); return false }
        case "rank":
            do {
                let q = try RankingQuery(arguments: cmd.args)
                emit(q.pipeline.split(separator: "\n").map { "-- " + $0 }.joined(separator: "\n"))
                return execute(q.pipeline)
            } catch let e as QueryFailure { fail(e.rendered); return false } catch { fail("error: \(error)"); return false }
        case "output":
            if let p = cmd.args.first {
                guard FileManager.default.createFile(atPath: p, contents: nil), let h = FileHandle(forWritingAtPath: p) else {
                    fail("cannot write \(p)"); return false
                }
                output = h; outputPath = p
            } else {
                try? output?.close(); output = nil; outputPath = nil
            }
        case "ingest":
            guard !cmd.args.isEmpty else { fail("usage: .ingest PATH..."); return false }
            do {
                let s = try Ingester().ingest(cmd.args, into: session.workspace)
                emit("ingested \(s.ingested), unchanged \(s.unchanged), failed \(s.failures.count)")
                for f in s.failures { fail("failed: \(f.reason)") }
            } catch { fail("error: \(error)"); return false }
        case "save":
            guard let p = cmd.args.first else { fail("usage: .save NOTEBOOK.md"); return false }
            do { try saveNotebook(p) } catch { fail("cannot write \(p): \(error)"); return false }
            emit("saved \(history.count) statement(s) to \(p)")
        case "run":
            guard let p = cmd.args.first else { fail("usage: .run NOTEBOOK.md"); return false }
            guard let runNotebook else { fail(".run is not available here"); return false }
            do { emit(try runNotebook(p)) } catch { fail("\(error)"); return false }
        default:
            if let (_, pc) = session.registry.commands[cmd.name] {
                do { emit(try pc.run(cmd.args, SessionCommandContext(session: session, runQuery: runQuery))) } catch { fail("error: \(error)"); return false }
            } else {
                let hint = EditDistance.closest(to: cmd.name, among: commandNames).map { " — did you mean .\($0)?" } ?? ""
                fail("unknown command .\(cmd.name)\(hint) (.help lists them)")
                return false
            }
        }
        return true
    }

    func help(_ topic: String?) -> String {
        if let t = topic?.trimmingCharacters(in: CharacterSet(charactersIn: ".")), let c = Self.commands.first(where: { $0.name == t }) {
            return "\(c.usage)\n  \(c.help)"
        }
        if topic == "language" {
            return """
            A statement is a pipeline read top to bottom, ending with ; or an empty line:
              from applications
              | where year == 2020 and applicant == "total"
              | group province (aggregate {received = sum(new_received), denied = sum(denied_total)})
              | derive denial_rate = denied / received
              | sort -denial_rate
              | take 10
            Steps: from, where, derive, select, group … (aggregate {…}), aggregate {…}, sort (-col for
            descending), take, join, union, window, pivot; let name = <pipeline> for reuse; # comments.
            """
        }
        var lines = ["Statements are pipelines (.help language). Commands:"]
        let w = Self.commands.map { $0.usage.count }.max() ?? 0
        for c in Self.commands { lines.append("  " + c.usage.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + c.help) }
        for (name, pc) in session.registry.commands.sorted(by: { $0.key < $1.key }) {
            lines.append("  ." + name.padding(toLength: w - 1, withPad: " ", startingAt: 0) + "  " + pc.command.help + " (plugin \(pc.plugin))")
        }
        return lines.joined(separator: "\n")
    }

    /// `.chart bar|spark LABEL VALUE` on the last result.
    func chart(_ args: [String]) -> Bool {
        guard let last = lastResult else { fail("run a query first; .chart draws its result"); return false }
        guard let kind = args.first, kind == "bar" || kind == "spark" else { fail("usage: .chart bar|spark LABEL_COLUMN VALUE_COLUMN"); return false }
        let numericCols = last.columns.indices.filter(last.isNumericColumn)
        let valueName = args.count >= 3 ? args[2] : (args.count == 2 && kind == "spark" ? args[1] : numericCols.last.map { last.columns[$0] })
        let labelName = args.count >= 3 ? args[1] : (kind == "bar" ? last.columns.indices.first { !numericCols.contains($0) }.map { last.columns[$0] } : nil)
        guard let vn = valueName, let vi = last.columns.firstIndex(of: vn) else { fail("no numeric column to chart; name one: .chart \(kind) LABEL VALUE"); return false }
        let values = last.rows.map { $0[vi].doubleValue }
        if kind == "spark" {
            emit(TerminalChart.spark(values) + "  " + vn)
        } else {
            let li = labelName.flatMap { last.columns.firstIndex(of: $0) } ?? 0
            emit(TerminalChart.bars(zip(last.rows, values).map { ($0[li].display, $1) }, width: max(10, min(50, width - 40))))
        }
        return true
    }

    /// Writes the successful statements as a notebook `gongkai run` reproduces.
    func saveNotebook(_ path: String) throws {
        var text = "---\ntitle: Gongkai session\nworkspace: \(session.workspace.path)\n---\n\n"
        for (i, s) in history.enumerated() {
            text += "Statement \(i + 1).\n\n```gongkai\n\(s)\n```\n\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// What plugin commands can do in the REPL: run queries.
struct SessionCommandContext: PluginCommandContext, @unchecked Sendable {
    let session: Session
    let runQuery: (String, Int) throws -> QueryOutcome

    func query(_ pipeline: String) throws -> (columns: [String], rows: [[PluginValue]]) {
        let t = try runQuery(pipeline, 100_000).table
        return (t.columns, t.rows.map { $0.map(Self.value) })
    }

    static func value(_ c: DisplayTable.Cell) -> PluginValue {
        switch c {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .decimal(let s):
            let parts = s.split(separator: ".")
            return .decimal(mantissa: Int64(parts.joined()) ?? 0, scale: parts.count > 1 ? parts[1].count : 0)
        case .text(let t): return .text(t)
        case .bool(let b): return .bool(b)
        }
    }
}
