import Foundation
import GongkaiCore
import GongkaiSession

/// The interactive shell: statements (pipelines, multi-line, ending with `;` or an empty
/// line) and dot commands, results as aligned tables or other modes, charts, helpful errors.
/// The REPL survives every bad statement; Ctrl-C cancels the statement, Ctrl-D exits.
public final class REPL {
    /// The session.
    public let session: Session
    let reader: LineReader
    let interactive: Bool
    let color: Bool
    var mode: TableWriter.Mode = .table
    var maxRows = 40
    /// The most rows `.maxrows` can ask for (results are held in memory to be shown).
    public static let maxRowsLimit = 1_000_000
    var timer = false
    var output: FileHandle?
    var outputPath: String?
    var lastResult: DisplayTable?
    /// Statements that succeeded, for `.save`.
    public private(set) var history: [String] = []
    var running = true
    /// Runs a pipeline (supplied by the front end that knows the engine).
    let runQuery: (String, Int) throws -> QueryOutcome
    /// Renders `explain` for a pipeline.
    let explain: (String) throws -> String
    /// Runs a notebook inside the REPL (`.run`), returning its text output.
    var runNotebook: ((String) throws -> String)?

    /// Creates a REPL reading from `reader`.
    public init(session: Session, reader: LineReader, interactive: Bool,
                runQuery: @escaping (String, Int) throws -> QueryOutcome,
                explain: @escaping (String) throws -> String,
                runNotebook: ((String) throws -> String)? = nil) {
        self.session = session
        self.reader = reader
        self.interactive = interactive
        self.color = interactive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        self.runQuery = runQuery
        self.explain = explain
        self.runNotebook = runNotebook
    }

    /// Terminal width (80 when unknown).
    var width: Int {
        var ws = winsize()
        if interactive, ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 20 { return Int(ws.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 20 { return n }
        return interactive ? 80 : 120
    }

    /// Writes to the output (stdout or the `.output` file).
    func emit(_ s: String) {
        let text = s.utf8.last == 0x0A ? s : s + "\n"
        if let output { output.write(Data(text.utf8)) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Writes an error (always to the terminal).
    func fail(_ s: String) {
        let text = (color ? "\u{1B}[31m" : "") + s + (color ? "\u{1B}[0m" : "") + (s.hasSuffix("\n") ? "" : "\n")
        if interactive { FileHandle.standardOutput.write(Data(text.utf8)) } else { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Writes a note (not an error) where errors go, so CSV or JSON on stdout stays clean.
    func note(_ s: String) {
        let text = s + (s.hasSuffix("\n") ? "" : "\n")
        if interactive { FileHandle.standardOutput.write(Data(text.utf8)) } else { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// The loop. Returns the exit status (non-zero when a piped script had an error).
    @discardableResult
    public func run() -> Int32 {
        if interactive {
            print("Gongkai — \(session.workspace.path): \((try? session.workspace.reportCount()) ?? 0) reports. .help for help, .quit or Ctrl-D to leave.")
        }
        for e in session.pluginErrors { fail("plugin: \(e)") }
        var buffer = StatementBuffer()
        var failed = false
        while running {
            let prompt = buffer.isEmpty ? "gongkai> " : "   ...> "
            switch reader.readLine(prompt: prompt) {
            case .end:
                if case .statement(let s) = buffer.flush() { if !execute(s) { failed = true } }
                running = false
            case .interrupted:
                buffer.reset()
            case .line(let line):
                switch buffer.add(line) {
                case .more, .nothing: continue
                case .command(let c):
                    reader.addHistory(c)
                    if !command(c) { failed = true }
                case .statement(let s):
                    reader.addHistory(s)
                    if !execute(s) { failed = true }
                }
            }
        }
        if interactive { print("") }
        if let r = reader as? EditLineReader { r.save() }
        return failed && !interactive ? 1 : 0
    }

    /// Runs a pipeline; returns false when it failed.
    @discardableResult
    func execute(_ statement: String) -> Bool {
        interruptRequested = 0
        do {
            let outcome = try runQuery(statement, maxRows)
            lastResult = outcome.table
            history.append(statement)
            emit(TableWriter.render(outcome.table, mode: mode, width: width, color: color && output == nil))
            // The table mode's footer says so itself; other modes would cut the result silently.
            let t = outcome.table
            if mode != .table && t.totalRows > t.rows.count {
                note("\(t.totalRows) rows, showing \(t.rows.count) (.maxrows N to show more)")
            }
            if timer { emit(String(format: "time: %.3f s", outcome.seconds)) }
            return true
        } catch let e as QueryFailure {
            fail(e.rendered)
        } catch {
            fail("error: \(error)")
        }
        return false
    }
}
