import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiSession

/// `gongkai plugins`: every plugin, its version and what it registered.
struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List plugins and what they registered.")

    @OptionGroup var options: WorkspaceOption

    func run() throws {
        let session = try options.session()
        for p in session.registry.plugins {
            print("\(p.id) \(p.version)  (API \(p.apiVersion), \(p.source))")
            func line(_ label: String, _ items: [String]) { if !items.isEmpty { print("  \(label): \(items.joined(separator: ", "))") } }
            line("tables", p.tables)
            line("metrics", p.metrics)
            line("checks", p.checks)
            line("commands", p.commands.map { "." + $0 })
            line("charts", p.charts)
        }
        for e in session.pluginErrors { FileHandle.standardError.write(Data("gongkai: \(e)\n".utf8)) }
        if !session.pluginErrors.isEmpty { throw ExitCode(2) }
    }
}
