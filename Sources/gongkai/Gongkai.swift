import ArgumentParser
import GongkaiCore

/// The `gongkai` command line: parse and check reports.
@main
struct Gongkai: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gongkai",
        abstract: "Analytics for China's government information disclosure annual reports (政府信息公开工作年度报告).",
        subcommands: [Parse.self, Check.self, Ingest.self, Gen.self, Bench.self, Plugins.self, QueryCommand.self, ExplainCommand.self, Repl.self, NotebookCommand.self, CompareCommand.self],
        defaultSubcommand: Repl.self
    )
}
