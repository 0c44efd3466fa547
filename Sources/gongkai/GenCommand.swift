import ArgumentParser
import Foundation
import GongkaiCore
import GongkaiSession

/// `gongkai gen`: write a synthetic corpus with truth files (demo data, tests, benchmarks), or
/// store it straight into a workspace.
struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write realistic synthetic reports (all layouts) with their truth JSON, or store them straight into a workspace.",
        discussion: """
            With --out, report files and truth JSON are written to a directory (for `gongkai ingest`).
            With --workspace, no files are written: each report is rendered in memory, parsed, run through the
            plugins and stored as ingest stores it (whole reports, 64 per transaction; source synthetic/seed-S/FILE).
            A run that was interrupted resumes: reports already in the workspace are skipped.
            """)

    @Option(name: .long, help: "How many reports.")
    var reports: Int = 100

    @Option(name: .long, help: "Random seed; the same seed writes the same corpus.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output directory (truth files go to OUT/truth).")
    var out: String?

    @Option(name: .long, help: "Store the reports into this workspace instead of writing files.")
    var workspace: String?

    @Option(name: .long, help: "Reports parsed at once with --workspace (default: one fewer than the cores, as the writer needs one).")
    var jobs: Int = SyntheticWorkspaceWriter.defaultJobs

    func validate() throws {
        if (out == nil) == (workspace == nil) { throw ValidationError("give exactly one of --out DIR or --workspace W") }
        if reports < 0 { throw ValidationError("--reports must be at least 0") }
    }

    func run() throws {
        let start = Date()
        if let out {
            try SyntheticCorpus(seed: seed).write(count: reports, to: out)
            print(String(format: "wrote %d reports to %@ in %.1f s", reports, out, Date().timeIntervalSince(start)))
            return
        }
        guard let workspace else { return }
        let session = try Session(workspace: workspace)
        let bar = ProgressBar(tty: isatty(2) == 1)
        let s = try SyntheticWorkspaceWriter(jobs: jobs).write(SyntheticCorpus(seed: seed), count: reports, into: session.workspace) { bar.update($0) }
        bar.finish()
        print(String(format: "stored %d reports in %@ (%d already there, %d failed) in %.1f s (%.0f reports/s); "
                     + "render %.1f s, parse %.1f s, plugins %.1f s (summed over %d workers), store %.1f s (one writer)",
                     s.stored, workspace, s.skipped, s.failures.count, s.elapsed, s.elapsed > 0 ? Double(s.stored) / s.elapsed : 0,
                     s.renderSeconds, s.parseSeconds, s.pluginSeconds, jobs, s.storeSeconds))
        for f in s.failures.prefix(20) { FileHandle.standardError.write(Data("failed: \(f.reason)\n".utf8)) }
        if !s.failures.isEmpty { throw ExitCode(2) }
    }
}
