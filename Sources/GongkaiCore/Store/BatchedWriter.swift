import Foundation

/// The one writer of an ingest: parsed reports are handed to it from any worker and written
/// on its own serial queue, many reports per transaction.
///
/// Workers do not wait for the database (they go on parsing) unless `capacity` reports are
/// already waiting, which bounds memory. Each report's completion is called on the writer's
/// queue after its transaction commits (or fails), in submission order.
final class BatchedWriter: @unchecked Sendable {
    /// A report to write and what to do once it is written.
    struct Item: Sendable {
        var pending: PendingReport
        var done: @Sendable (Result<Int64, Error>) -> Void
    }

    private let workspace: Workspace
    private let batchSize: Int
    private let queue = DispatchQueue(label: "gongkai.ingest.writer")
    private let room: DispatchSemaphore
    private var waiting: [Item] = []

    /// Creates a writer committing every `batchSize` reports, with at most `capacity` waiting.
    init(_ workspace: Workspace, batchSize: Int, capacity: Int) {
        self.workspace = workspace
        self.batchSize = max(1, batchSize)
        room = DispatchSemaphore(value: max(self.batchSize, capacity))
    }

    /// Queues a report; blocks only while the writer is `capacity` reports behind. Frees, on
    /// the calling thread, what the writer has retired (``RetiredValues``).
    func submit(_ item: Item) {
        workspace.retired.drain()
        room.wait()
        queue.async {
            self.waiting.append(item)
            if self.waiting.count >= self.batchSize { self.flush() }
        }
    }

    /// Writes what is still waiting and returns when everything submitted is written.
    func finish() {
        queue.sync {
            flush()
            workspace.endBatches()
        }
    }

    /// Writes the waiting reports, leaving foreign-key checks as the batch needed them for
    /// the next (``finish()`` turns them back on).
    private func flush() {
        guard !waiting.isEmpty else { return }
        let items = waiting
        waiting.removeAll(keepingCapacity: true)
        let results = workspace.store(batch: items.map(\.pending), moreToCome: true)
        for (item, result) in zip(items, results) {
            item.done(result)
            room.signal()
        }
        workspace.retired.retire(items)
    }
}
