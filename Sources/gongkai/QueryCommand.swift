import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiSession

/// `gongkai query '<pipeline>'`: run a pipeline against the workspace.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Run a pipeline and print the result.")

    @OptionGroup var options: WorkspaceOption

    @Option(name: .long, help: "Output format: table, csv, json, markdown or line.")
    var format: String = "table"

    @Flag(name: .long, help: "Start CSV output with a UTF-8 byte order mark (for Excel).")
    var bom = false

    @Option(name: .customLong("repeat"), help: "Run the pipeline N times in this process and print the last result (later runs reuse the loaded columns).")
    var repeatCount: Int = 1

    @Flag(name: .long, help: "Print timings to stderr: `timing: open MS` (opening the workspace), then `timing: run I MS` per run.")
    var timing = false

    @Argument(help: "The pipeline, e.g. 'from reports | group province (aggregate {n = count()})'.")
    var pipeline: String

    func validate() throws {
        if repeatCount < 1 { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        guard let mode = TableWriter.Mode(rawValue: format) else {
            throw ValidationError("unknown format \(format); use table, csv, json, markdown or line")
        }
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ what: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            if timing { FileHandle.standardError.write(Data(String(format: "timing: %@ %.3f\n", what, Double(now - clock) / 1e6).utf8)) }
            clock = now
        }
        let session = try options.session()
        lap("open")
        do {
            var out = try session.query(pipeline)
            lap("run 1")
            for i in stride(from: 2, through: repeatCount, by: 1) {
                out = try session.query(pipeline)
                lap("run \(i)")
            }
            print(TableWriter.render(out.table, mode: mode, width: 160, bom: bom), terminator: "")
        } catch let e as QueryFailure {
            FileHandle.standardError.write(Data((e.rendered + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// `gongkai explain '<pipeline>'`: the plan before and after optimisation.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Show a pipeline's plan before and after optimisation.")

    @OptionGroup var options: WorkspaceOption

    @Argument(help: "The pipeline.")
    var pipeline: String

    func run() throws {
        let session = try options.session()
        do { print(try session.explain(pipeline)) } catch let e as QueryFailure {
            FileHandle.standardError.write(Data((e.rendered + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
