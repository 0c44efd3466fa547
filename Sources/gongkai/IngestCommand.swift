import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiSession

/// Options shared by every command that opens a workspace.
struct WorkspaceOption: ParsableArguments {
    @Option(name: .long, help: "The workspace file (SQLite).")
    var workspace: String = "gongkai.db"

    @Option(name: .long, help: "Load a plugin library (.so); repeatable. Libraries in a plugins/ folder beside the workspace load too.")
    var plugin: [String] = []

    /// Opens the session, reporting plugins that failed to load on stderr.
    func session() throws -> Session {
        let s = try Session(workspace: workspace, pluginPaths: plugin)
        return s
    }
}

/// `gongkai ingest PATH...`: parse files (directories recursively) into the workspace.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest report files or directories (recursively) into the workspace.")

    @OptionGroup var options: WorkspaceOption

    @Option(name: .long, help: "Files parsed at once (default: one per core, below the writer's priority; where threads cannot have their own priority, one fewer than the cores).")
    var jobs: Int = Ingester.defaultJobs

    @Argument(help: "Files or directories.")
    var paths: [String]

    func run() throws {
        let session = try options.session()
        for e in session.pluginErrors { FileHandle.standardError.write(Data("gongkai: \(e)\n".utf8)) }
        let ws = session.workspace
        let bar = ProgressBar(tty: isatty(2) == 1)
        let summary = try Ingester(jobs: jobs).ingest(paths, into: ws) { p in bar.update(p) }
        bar.finish()
        print("ingested \(summary.ingested)" + (summary.replaced > 0 ? " (\(summary.replaced) replaced)" : "")
              + ", unchanged \(summary.unchanged), failed \(summary.failures.count)"
              + String(format: " in %.1f s", summary.elapsed)
              + (summary.elapsed > 0 && summary.ingested > 0 ? String(format: " (%.0f reports/s)", Double(summary.ingested) / summary.elapsed) : ""))
        for f in summary.failures { FileHandle.standardError.write(Data("failed: \(f.reason)\n".utf8)) }
        if !summary.failures.isEmpty { throw ExitCode(2) }
    }
}

/// Shows ingest progress: a redrawn bar on a terminal, a plain line every few seconds otherwise.
final class ProgressBar: @unchecked Sendable {
    let tty: Bool
    private var lastDraw = 0.0
    private var drewAny = false

    init(tty: Bool) { self.tty = tty }

    func update(_ p: Ingester.Progress) {
        let interval = tty ? 0.1 : 5.0
        guard p.elapsed - lastDraw >= interval || p.done == p.total else { return }
        lastDraw = p.elapsed
        let rate = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
        let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
        let stats = String(format: "%d/%d files  %.0f files/s  ETA %@  failed %d", p.done, p.total, rate, Self.duration(eta), p.failed)
        if tty {
            let width = 30
            let filled = p.total > 0 ? width * p.done / p.total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(stats)".utf8))
            drewAny = true
        } else {
            FileHandle.standardError.write(Data("progress: \(stats)\n".utf8))
        }
    }

    func finish() {
        if tty && drewAny { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
