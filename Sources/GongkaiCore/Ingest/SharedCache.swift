import Foundation

/// What a pure computation gave for a key, kept for the parser threads' next reports.
///
/// The parser's caches (``AlignmentCache``, ``SplitCache``) share this mechanism: a
/// dictionary under a lock that is never held while computing (two threads may compute the
/// same value once each), bounded by emptying it when full — the entries worth keeping come
/// back at once.
final class SharedCache<Key: Hashable, Value>: @unchecked Sendable {
    private var entries: [Key: Value] = [:]
    private let lock = NSLock()
    /// The most entries kept.
    let capacity: Int

    /// An empty cache keeping at most `capacity` entries.
    init(capacity: Int) { self.capacity = capacity }

    /// The value kept for `key`, or `compute()`'s (then kept).
    func value(for key: Key, compute: () -> Value) -> Value {
        lock.lock()
        let kept = entries[key]
        lock.unlock()
        if let kept { return kept }
        let value = compute()
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
        lock.unlock()
        return value
    }
}
