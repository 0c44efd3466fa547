import Foundation

/// What a pure computation gave for a key, kept for the parser threads' next reports.
///
/// The parser's caches (``LabelSequenceCache``, ``DigitRunCache``) share this mechanism: a
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

/// Results that depend only on the generation and the label normal forms of a sequence of
/// rows, by those labels (how section 三's rows align, which of section 二's rows are read).
///
/// Almost every report prints the standard labels, so most reports repeat a result computed
/// before. One hash over the labels' bytes finds it; a full byte comparison makes sure it is
/// the same, so the result is always what computing it would give (labels of another table
/// that hash alike are computed, not kept).
final class LabelSequenceCache<Value: Sendable>: Sendable {
    /// One result and the labels it was computed from.
    private struct Entry {
        let generation: Generation
        /// The labels' bytes, one after another.
        let bytes: [UInt8]
        /// Where each label's bytes end in ``bytes``.
        let ends: [Int]
        let value: Value
    }

    private let entries: SharedCache<UInt64, Entry>

    /// An empty cache keeping at most `capacity` results.
    init(capacity: Int) { entries = SharedCache(capacity: capacity) }

    /// The result for `rows`' labels (ranges of `labels`) in generation `g`: the one kept for
    /// the same labels, or `compute()`'s (then kept).
    func value(for rows: [TemplateMatcher.Row], labels: [UInt8], generation g: Generation, compute: () -> Value) -> Value {
        labels.withUnsafeBufferPointer { labels in
            let entry = entries.value(for: Self.hash(rows, labels: labels, generation: g)) {
                var bytes: [UInt8] = [], ends: [Int] = []
                ends.reserveCapacity(rows.count)
                for i in rows.indices {
                    bytes.append(contentsOf: labels[rows[i].label])
                    ends.append(bytes.count)
                }
                return Entry(generation: g, bytes: bytes, ends: ends, value: compute())
            }
            return entry.generation == g && Self.labels(of: rows, in: labels, equal: entry) ? entry.value : compute()
        }
    }

    /// Whether the rows' labels are byte for byte those of `entry`.
    private static func labels(of rows: [TemplateMatcher.Row], in labels: UnsafeBufferPointer<UInt8>, equal entry: Entry) -> Bool {
        guard rows.count == entry.ends.count else { return false }
        return entry.bytes.withUnsafeBufferPointer { kept in
            var start = 0
            for (i, end) in entry.ends.enumerated() {
                let label = rows[i].label
                guard label.count == end - start,
                      label.isEmpty || memcmp(labels.baseAddress! + label.lowerBound, kept.baseAddress! + start, label.count) == 0 else { return false }
                start = end
            }
            return true
        }
    }

    /// A hash of the generation and the labels (each with its length), eight bytes at a
    /// time: cheap next to the computation it saves.
    private static func hash(_ rows: [TemplateMatcher.Row], labels: UnsafeBufferPointer<UInt8>, generation g: Generation) -> UInt64 {
        var h: UInt64 = g == .v2019 ? 0x9E37_79B9_7F4A_7C15 : 0xC2B2_AE3D_27D4_EB4F
        @inline(__always) func mix(_ w: UInt64) {
            h = (h ^ w) &* 0x100_0000_01B3
            h ^= h >> 29
        }
        for r in rows.indices {
            let label = rows[r].label
            mix(UInt64(label.count))
            var i = label.lowerBound
            while i + 8 <= label.upperBound {
                mix(UnsafeRawPointer(labels.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            while i < label.upperBound {
                tail = tail << 8 | UInt64(labels[i])
                i += 1
            }
            mix(tail)
        }
        return h
    }
}

/// Results that depend only on a digit run and the number of cells it is split into (the
/// splits a matcher keeps, already ranked where that depends on the run alone), by the run.
///
/// Reports print the same runs again and again (rows of zeros above all), while a search
/// costs far more than looking its run up. Only short runs (``DigitRun/capacity``) are kept.
final class DigitRunCache<Value: Sendable>: Sendable {
    private let entries: SharedCache<DigitRun, Value>

    /// An empty cache keeping at most `capacity` runs.
    init(capacity: Int) { entries = SharedCache(capacity: capacity) }

    /// The result for the run of `tokens` (``DigitRunSolver/joinedBytes(_:)``) split into
    /// `cells` cells: the one kept for the same run, or `compute`'s for the run's bytes (kept
    /// when the run is short).
    func value(for tokens: some Collection<ValueToken>, cells: Int, compute: ([UInt8]) -> Value) -> Value {
        guard let run = DigitRun(tokens, cells: cells) else { return compute(DigitRunSolver.joinedBytes(tokens)) }
        return entries.value(for: run) { compute(run.bytes) }
    }
}
