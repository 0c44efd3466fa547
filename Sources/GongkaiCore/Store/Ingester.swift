import Foundation

/// Ingests files into a workspace: finds them (recursively), parses them in parallel, and
/// writes them through one writer, whole reports per transaction (``BatchedWriter``). A broken file never stops the
/// batch; it is reported with its path and reason.
public struct Ingester: Sendable {
    /// Extensions that are reports; other files in a directory are skipped.
    public static let extensions: Set<String> = ["txt", "md", "markdown", "html", "htm", "shtml", "xhtml", "pdf", "docx"]

    /// Progress so far, for a progress bar or log lines.
    public struct Progress: Sendable {
        /// Files to do in all.
        public var total: Int
        /// Files done (ingested, unchanged or failed).
        public var done: Int
        /// Newly stored (or replaced) reports.
        public var ingested: Int
        /// Files whose content was already in the workspace.
        public var unchanged: Int
        /// Files that could not be ingested.
        public var failed: Int
        /// Seconds since the start.
        public var elapsed: Double
        /// The file just finished.
        public var lastFile: String
    }

    /// The outcome of a batch.
    public struct Summary: Sendable {
        /// Newly stored reports (including replacements).
        public var ingested = 0
        /// Reports replaced by a changed file.
        public var replaced = 0
        /// Files already in the workspace.
        public var unchanged = 0
        /// Files that failed, with their reasons.
        public var failures: [(path: String, reason: String)] = []
        /// Seconds taken.
        public var elapsed = 0.0
    }

    /// How many files to parse at once.
    public var jobs: Int
    /// Reports written per transaction (an interrupted ingest loses at most the reports of
    /// the transaction it was in; a re-run stores them).
    public var batchSize = 64
    /// The parser.
    public var parser = ReportParser()

    /// Parsers to run beside the writer by default: one per core where parsers run below the
    /// writer's priority (``ParserThreads``), so the writer gets a core whenever it has work
    /// and the parsers use the rest; elsewhere one per core less the writer's. Parsing costs
    /// more than writing, so on two cores one parser left the writer's core half idle.
    public static var defaultJobs: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return max(1, ParserThreads.belowWriter ? cores : cores - 1)
    }

    /// Creates an ingester using `jobs` parallel parsers (default: ``defaultJobs``).
    public init(jobs: Int = Ingester.defaultJobs) {
        self.jobs = max(1, jobs)
    }

    /// Expands directories recursively into report files, sorted; reports paths that do not exist.
    public static func files(in paths: [String]) -> (files: [String], missing: [String]) {
        var out: [String] = []
        var missing: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { missing.append(p); continue }
            if !isDir.boolValue { out.append(p); continue }
            let found = ReportFiles.walk(p, extensions: extensions)
            out += found.sorted()
        }
        return (out, missing)
    }

    /// Ingests `paths` (files or directories) into `workspace`, calling `progress` from the
    /// writer after each file.
    public func ingest(_ paths: [String], into workspace: Workspace, progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        let (files, missing) = Self.files(in: paths)
        let known = try workspace.knownSources()
        try workspace.loadCellCodes()
        let state = IngestState(known: known, total: files.count)
        for m in missing { state.summary.failures.append((m, "\(m): no such file or directory")) }

        let next = AtomicCounter()
        let parser = self.parser
        let writer = BatchedWriter(workspace, batchSize: batchSize, capacity: 4 * batchSize)
        let workers = min(jobs, max(1, files.count))
        ParserThreads.run(workers) {
            while true {
                let i = next.increment()
                if i >= files.count { return }
                let path = files[i]
                let bytes: [UInt8]
                switch ReportFiles.read(path, limit: parser.maxFileSize) {
                case .success(let content): bytes = content
                case .failure(.tooLarge(let size)):
                    state.finish(path, .failed(parser.tooLarge(path, size: size).message), start: start, progress: progress)
                    continue
                case .failure(.unreadable):
                    state.finish(path, .failed("\(path): cannot read the file"), start: start, progress: progress)
                    continue
                }
                let sha = SHA256.hex(bytes)
                guard state.claim(sha: sha) else {
                    state.finish(path, .unchanged, start: start, progress: progress)
                    continue
                }
                let report: Report
                do { report = try parser.parse(data: bytes, source: path) } catch {
                    state.release(sha: sha)
                    state.finish(path, .failed(error.message), start: start, progress: progress)
                    continue
                }
                let old = state.storedID(of: path)
                let pending = PendingReport(report, sha256: sha, replacing: old, for: workspace)
                writer.submit(BatchedWriter.Item(pending: pending) { result in
                    switch result {
                    case .success: state.finish(path, .stored(replaced: old != nil), start: start, progress: progress)
                    case .failure(let error):
                        state.release(sha: sha)
                        state.finish(path, .failed("\(path): cannot store: \(error)"), start: start, progress: progress)
                    }
                })
            }
        }
        writer.finish()
        try workspace.refreshCrossYearFindings()
        var s = state.summary
        s.failures.sort { $0.path < $1.path }
        s.elapsed = Date().timeIntervalSince(start)
        return s
    }

    /// How one file ended.
    enum Outcome {
        case unchanged
        case stored(replaced: Bool)
        case failed(String)
    }
}

/// The bookkeeping of an ingest, shared by the workers and the writer: which contents are
/// stored or being stored, the summary, and the progress calls (one at a time).
final class IngestState: @unchecked Sendable {
    private let lock = NSLock()
    var summary = Ingester.Summary()
    /// Contents already stored, or handed to the writer by this run.
    private var shas: Set<String>
    private let bySource: [String: (id: Int64, sha: String)]
    private let total: Int
    private var done = 0

    init(known: (bySource: [String: (id: Int64, sha: String)], shas: Set<String>), total: Int) {
        shas = known.shas
        bySource = known.bySource
        self.total = total
    }

    /// Claims a content for this worker; false when it is stored or claimed already (an
    /// unchanged file, or a copy of a file in this batch).
    func claim(sha: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return shas.insert(sha).inserted
    }

    /// Gives a claimed content back (its file could not be parsed or stored).
    func release(sha: String) {
        lock.lock(); shas.remove(sha); lock.unlock()
    }

    /// The report an earlier ingest stored for this path (replaced when its content changed).
    func storedID(of path: String) -> Int64? { bySource[path]?.id }

    func finish(_ path: String, _ outcome: Ingester.Outcome, start: Date, progress: (Ingester.Progress) -> Void) {
        lock.lock(); defer { lock.unlock() }
        switch outcome {
        case .unchanged: summary.unchanged += 1
        case .failed(let reason): summary.failures.append((path, reason))
        case .stored(let replaced):
            summary.ingested += 1
            if replaced { summary.replaced += 1 }
        }
        done += 1
        progress(Ingester.Progress(total: total, done: done, ingested: summary.ingested, unchanged: summary.unchanged,
                                   failed: summary.failures.count, elapsed: Date().timeIntervalSince(start), lastFile: path))
    }
}

/// A thread-safe counter handing out work indices.
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}

extension Error {
    /// The user-facing message of an error (an ``IngestError``'s message, or a description).
    public var message: String {
        if let e = self as? IngestError { return e.message }
        return String(describing: self)
    }
}
