import Foundation

/// Writes a synthetic corpus straight into a workspace, with no files in between.
///
/// Each report is rendered in its layout in memory, parsed by the same ``ReportParser`` that
/// `gongkai ingest` uses, run through the workspace's plugins, and stored by the same path as
/// ingest (whole reports per transaction), so the workspace holds exactly what ingesting the
/// files `gongkai gen --out` writes would hold, except that each report's `source` is the
/// virtual path ``source(seed:file:)``. Workers parse a chunk of reports while the writer
/// stores the previous one. Reports whose source is already in the workspace are skipped, so
/// an interrupted run resumes where it stopped.
public struct SyntheticWorkspaceWriter: Sendable {
    /// What a run did and where its time went.
    public struct Summary: Sendable {
        /// Reports stored by this run.
        public var stored = 0
        /// Reports already in the workspace (an earlier, interrupted run).
        public var skipped = 0
        /// Reports that could not be parsed or stored, with the reason.
        public var failures: [(source: String, reason: String)] = []
        /// Wall-clock seconds.
        public var elapsed = 0.0
        /// Seconds spent rendering, summed over workers.
        public var renderSeconds = 0.0
        /// Seconds spent parsing (reader, matcher, checks), summed over workers.
        public var parseSeconds = 0.0
        /// Seconds spent in the plugins' tables and checks and in packing cells, summed over workers.
        public var pluginSeconds = 0.0
        /// Seconds the single writer spent storing.
        public var storeSeconds = 0.0
    }

    /// Reports parsed at once.
    public var jobs: Int
    /// Reports handed to the writer together.
    public var chunkSize: Int
    /// Reports written per transaction.
    public var batchSize: Int

    /// Workers by default: one per core less the writer's (they run at the writer's
    /// priority, a chunk at a time).
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    /// Creates a writer using `jobs` parallel workers (default: ``defaultJobs``).
    public init(jobs: Int = SyntheticWorkspaceWriter.defaultJobs, chunkSize: Int = 256, batchSize: Int = 64) {
        self.jobs = max(1, jobs)
        self.chunkSize = max(1, chunkSize)
        self.batchSize = max(1, batchSize)
    }

    /// The `source` recorded for a generated report: `synthetic/seed-S/000001_2020.txt`. The
    /// extension tells the parser the layout's format, as a file's would.
    public static func source(seed: UInt64, file: String) -> String { "synthetic/seed-\(seed)/\(file)" }

    /// Stores the first `count` reports of `corpus` into `workspace`, calling `progress` from
    /// the writer after each report.
    public func write(_ corpus: SyntheticCorpus, count: Int, into workspace: Workspace,
                      progress: @escaping @Sendable (Ingester.Progress) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        let known = try workspace.knownSources().bySource
        try workspace.loadCellCodes()
        let state = GenState(total: count, start: start, progress: progress)
        let writer = DispatchQueue(label: "gongkai.gen.writer")
        let inFlight = DispatchSemaphore(value: 2)
        let jobs = self.jobs, batchSize = self.batchSize
        var chunk: [SyntheticCorpus.Report] = []
        chunk.reserveCapacity(chunkSize)

        func flush() {
            guard !chunk.isEmpty else { return }
            let items = chunk
            chunk.removeAll(keepingCapacity: true)
            let slots = Slots(items.count)
            DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { worker in
                var times = PhaseTimes()
                for i in stride(from: worker, to: items.count, by: jobs) {
                    slots.set(i, Self.prepare(items[i], seed: corpus.seed, for: workspace, times: &times))
                }
                state.add(times)
            }
            inFlight.wait()
            writer.async {
                let values = slots.values
                for first in stride(from: 0, to: values.count, by: batchSize) {
                    state.store(values[first..<min(first + batchSize, values.count)], into: workspace)
                }
                inFlight.signal()
            }
        }

        corpus.forEachReport(count: count) { r in
            if known[Self.source(seed: corpus.seed, file: r.file)] != nil {
                state.skip()
                return
            }
            chunk.append(r)
            if chunk.count >= chunkSize { flush() }
        }
        flush()
        writer.sync {}
        workspace.endBatches()
        try workspace.refreshCrossYearFindings()
        var s = state.summary
        s.elapsed = Date().timeIntervalSince(start)
        return s
    }

    /// Renders, parses and readies one report to be written into `workspace` (a worker's
    /// part: plugins run and cells packed here, not on the writer).
    static func prepare(_ r: SyntheticCorpus.Report, seed: UInt64, for workspace: Workspace, times: inout PhaseTimes) -> Prepared {
        let source = source(seed: seed, file: r.file)
        var t = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { t = now }
            return Double(now - t) / 1e9
        }
        let bytes = Array(r.render().utf8)
        let sha = SHA256.hex(bytes)
        times.render += lap()
        do {
            let report = try ReportParser().parse(data: bytes, source: source)
            times.parse += lap()
            let pending = PendingReport(report, sha256: sha, replacing: nil, for: workspace)
            times.plugins += lap()
            return Prepared(source: source, result: .success(pending))
        } catch {
            times.parse += lap()
            return Prepared(source: source, result: .failure(error))
        }
    }

    struct Prepared: Sendable {
        var source: String
        var result: Result<PendingReport, IngestError>
    }

    struct PhaseTimes {
        var render = 0.0, parse = 0.0, plugins = 0.0
    }
}

/// The results of one chunk, filled by index from the workers.
private final class Slots: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [SyntheticWorkspaceWriter.Prepared?]
    init(_ n: Int) { stored = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ v: SyntheticWorkspaceWriter.Prepared) { lock.lock(); stored[i] = v; lock.unlock() }
    var values: [SyntheticWorkspaceWriter.Prepared] { lock.lock(); defer { lock.unlock() }; return stored.compactMap { $0 } }
}

/// The summary and progress of a run, shared by the workers and the writer.
private final class GenState: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var summary = SyntheticWorkspaceWriter.Summary()
    let total: Int
    let start: Date
    let progress: @Sendable (Ingester.Progress) -> Void

    init(total: Int, start: Date, progress: @escaping @Sendable (Ingester.Progress) -> Void) {
        self.total = total
        self.start = start
        self.progress = progress
    }

    func skip() { lock.lock(); summary.skipped += 1; lock.unlock() }

    func add(_ t: SyntheticWorkspaceWriter.PhaseTimes) {
        lock.lock()
        summary.renderSeconds += t.render
        summary.parseSeconds += t.parse
        summary.pluginSeconds += t.plugins
        lock.unlock()
    }

    /// Stores prepared reports, whole reports per transaction (called on the writer queue only).
    func store(_ batch: ArraySlice<SyntheticWorkspaceWriter.Prepared>, into workspace: Workspace) {
        let t = DispatchTime.now().uptimeNanoseconds
        var failures: [(String, String)] = []
        var ready: [(source: String, pending: PendingReport)] = []
        for p in batch {
            switch p.result {
            case .success(let pending):
                ready.append((p.source, pending))
            case .failure(let e):
                failures.append((p.source, e.message))
            }
        }
        let results = workspace.store(batch: ready.map(\.pending), moreToCome: true)
        var stored = 0
        for (r, result) in zip(ready, results) {
            switch result {
            case .success: stored += 1
            case .failure(let error): failures.append((r.source, "\(r.source): cannot store: \(error)"))
            }
        }
        lock.lock()
        summary.storeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
        summary.failures += failures
        summary.stored += stored
        let s = summary
        lock.unlock()
        progress(Ingester.Progress(total: total, done: s.stored + s.skipped + s.failures.count, ingested: s.stored,
                                   unchanged: s.skipped, failed: s.failures.count,
                                   elapsed: Date().timeIntervalSince(start), lastFile: batch.last?.source ?? ""))
    }
}
