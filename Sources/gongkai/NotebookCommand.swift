import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiNotebook
import GongkaiSession

/// `gongkai run NOTEBOOK.md`: run a notebook and write an HTML or Markdown report.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a notebook and render it as HTML or Markdown.")

    @OptionGroup var options: WorkspaceOption

    @Option(name: [.customShort("p"), .long], help: "Set a parameter: -p year=2021 (repeatable).")
    var param: [String] = []

    @Option(name: .long, help: "Output format: html or md.")
    var to: String = "html"

    @Option(name: .shortAndLong, help: "Output file (default: the notebook's name with .html or .md).")
    var output: String?

    @Flag(name: .long, help: "Render a failing cell's error in place and go on.")
    var keepGoing = false

    @Argument(help: "The notebook (.md).")
    var notebook: String

    func run() throws {
        guard to == "html" || to == "md" else { throw ValidationError("--to must be html or md") }
        guard let text = try? String(contentsOfFile: notebook, encoding: .utf8) else {
            throw NotebookFailure("cannot read \(notebook)")
        }
        let nb = try Notebook.parse(text, name: notebook)
        // The notebook's own workspace applies unless --workspace was given.
        let wsPath = CommandLine.arguments.contains("--workspace") ? options.workspace : (nb.workspace.map { Self.resolve($0, relativeTo: notebook) } ?? options.workspace)
        let session = try Session(workspace: wsPath, pluginPaths: options.plugin)
        let result: NotebookRun
        do {
            result = try Self.runner(session).run(nb, overrides: param, keepGoing: keepGoing)
        } catch let e as NotebookError {
            FileHandle.standardError.write(Data("gongkai run: \(notebook): \(e.message)\n".utf8))
            throw ExitCode(1)
        }
        let rendered = to == "html" ? NotebookRenderer.html(result) : NotebookRenderer.markdown(result)
        let out = output ?? ((notebook as NSString).deletingPathExtension + (to == "html" ? ".html" : ".out.md"))
        try rendered.write(toFile: out, atomically: true, encoding: .utf8)
        print("wrote \(out)")
    }

    static func resolve(_ path: String, relativeTo notebook: String) -> String {
        path.hasPrefix("/") ? path : ((notebook as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
    }

    static func runner(_ session: Session) -> NotebookRunner {
        NotebookRunner(runQuery: { try session.query($0, maxRows: $1) }, runCommand: { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == ".tables" { return TableWriter.render(session.tablesTable(), mode: .markdown) }
            if t == ".metrics" { return TableWriter.render(session.metricsTable(), mode: .markdown) }
            if t == ".plugins" { return TableWriter.render(session.pluginsTable(), mode: .markdown) }
            if t.hasPrefix(".schema "), let s = session.schemaTable(String(t.dropFirst(8)).trimmingCharacters(in: .whitespaces)) {
                return TableWriter.render(s, mode: .markdown)
            }
            if t.hasPrefix(".explain ") { return try session.explain(String(t.dropFirst(9))) }
            throw NotebookError("notebook cells support .tables, .schema, .metrics, .plugins and .explain; not \(t)")
        })
    }

    /// Runs a notebook inside the REPL (`.run`), returning its Markdown rendering.
    static func runToText(path: String, session: Session) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw NotebookFailure("cannot read \(path)") }
        let nb = try Notebook.parse(text, name: path)
        return NotebookRenderer.markdown(try runner(session).run(nb))
    }
}

/// A notebook-level failure message.
struct NotebookFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
