import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiNotebook
import GongkaiREPL
import GongkaiSession

/// `gongkai` (or `gongkai repl`): the interactive shell on a workspace. Without a workspace a
/// demo one is generated from synthetic reports.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explore the workspace in an interactive shell (the default command).")

    @OptionGroup var options: WorkspaceOption

    @Option(name: .long, help: "Reports in the demo workspace created when there is none.")
    var demoReports: Int = 1000

    func run() throws {
        let interactive = isatty(0) == 1 && isatty(1) == 1
        if !FileManager.default.fileExists(atPath: options.workspace) {
            try Self.makeDemo(at: options.workspace, reports: demoReports, quiet: !interactive)
        }
        let session = try options.session()
        let historyPath = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.gongkai_history"
        let reader: LineReader
        if interactive {
            let source = SessionCompletion(session: session)
            reader = EditLineReader(historyPath: historyPath) { before, word in
                Completion.candidates(before: before, word: word, source: source)
            }
        } else {
            reader = PlainLineReader()
        }
        let repl = REPL(session: session, reader: reader, interactive: interactive,
                        runQuery: { text, rows in try session.query(text, maxRows: rows, isCancelled: { interruptRequested != 0 }) },
                        explain: { try session.explain($0) },
                        runNotebook: { path in try NotebookCommand.runToText(path: path, session: session) })
        let status = repl.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// Generates synthetic reports next to the workspace and ingests them.
    static func makeDemo(at path: String, reports: Int, quiet: Bool) throws {
        let dir = ((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent) + "/gongkai-demo-reports"
        if !quiet { print("No workspace at \(path): creating a demo workspace from \(reports) synthetic reports in \(dir) …") }
        try SyntheticCorpus(seed: 2026).write(count: reports, to: dir)
        let ws = try Session(workspace: path).workspace
        let bar = ProgressBar(tty: !quiet && isatty(2) == 1)
        let s = try Ingester().ingest([dir], into: ws) { p in if !quiet { bar.update(p) } }
        bar.finish()
        if !quiet { print("demo workspace ready: \(s.ingested) reports") }
    }
}

/// Completion candidates from the session's catalog.
struct SessionCompletion: CompletionSource {
    let session: Session
    var tableNames: [String] { session.tableList.map(\.name) }
    func columns(of table: String) -> [String] { session.columns(of: table)?.map(\.name) ?? [] }
    var functionNames: [String] {
        ["count", "count_distinct", "sum", "avg", "min", "max", "median", "quantile", "contains", "starts_with", "length",
         "row_number", "rank", "lag", "lead", "coalesce", "if", "round", "abs", "lower", "upper"]
    }
    var metricNames: [String] { session.registry.metrics.keys.sorted() }
    var commandNames: [String] { REPL.commands.map(\.name) + session.registry.commands.keys.sorted() }
}
