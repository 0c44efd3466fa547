import Foundation

/// Values the ingest's writer thread is done with (written reports, plugin views it no longer
/// keeps), freed on the parsing threads instead: freeing a report's cells, strings and view
/// was a twentieth of the writer's work, and the writer is the serial part of an ingest.
///
/// The parsing threads ``drain()`` it as they hand over each report. With no one draining (a
/// workspace written to without an ingest), the writer frees the values itself once
/// ``limit`` are waiting, so they never pile up.
final class RetiredValues: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [any Sendable] = []
    /// How many values may wait before the retiring thread frees them itself.
    let limit: Int

    /// A bin freeing its values itself beyond `limit`.
    init(limit: Int = 1024) { self.limit = limit }

    /// Hands `value` over to be freed by the next ``drain()``.
    func retire(_ value: any Sendable) {
        lock.lock()
        values.append(value)
        let full = values.count >= limit
        lock.unlock()
        if full { drain() }
    }

    /// Frees, on the calling thread, every value retired so far.
    func drain() {
        lock.lock()
        let taken = values
        values = []
        lock.unlock()
        withExtendedLifetime(taken) {}
    }
}
