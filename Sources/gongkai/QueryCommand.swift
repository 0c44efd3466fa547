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

    @Argument(help: "The pipeline, e.g. 'from reports | group province (aggregate {n = count()})'.")
    var pipeline: String

    func run() throws {
        guard let mode = TableWriter.Mode(rawValue: format) else {
            throw ValidationError("unknown format \(format); use table, csv, json, markdown or line")
        }
        let session = try options.session()
        do {
            let out = try session.query(pipeline)
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
