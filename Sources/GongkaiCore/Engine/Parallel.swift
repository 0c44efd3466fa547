import Dispatch

/// Runs independent pieces of work on all cores and collects their results in order.
///
/// Public only for ``defaultChunkSize``; the helpers are internal to the engine.
public enum Parallel {
    /// Rows per chunk: big enough to amortise scheduling, small enough to split work on 2+ cores.
    public static let defaultChunkSize = 16_384

    /// `body(0..<n)` in parallel when `n > 1`; results in index order; the first error is rethrown.
    static func map<T>(_ n: Int, _ body: (Int) throws -> T) throws -> [T] {
        if n <= 1 { return try (0..<n).map(body) }
        return try withoutActuallyEscaping(body) { escapable in
            let box = SlotBox(count: n, body: escapable)
            defer { box.release() }
            DispatchQueue.concurrentPerform(iterations: n) { i in box.run(i) }
            return try box.collect()
        }
    }

    /// Row ranges of at most `chunkSize` rows covering `0..<count` (one empty range for 0 rows).
    static func ranges(_ count: Int, size: Int) -> [Range<Int>] {
        if count == 0 { return [0..<0] }
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }
}

/// One result slot per task; each task writes only its own slot, so no lock is needed.
private final class SlotBox<T>: @unchecked Sendable {
    let body: (Int) throws -> T
    let slots: UnsafeMutableBufferPointer<Result<T, Error>?>

    init(count: Int, body: @escaping (Int) throws -> T) {
        self.body = body
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func run(_ i: Int) { slots[i] = Result { try body(i) } }

    func collect() throws -> [T] {
        try slots.map { r in
            guard let r else { throw QueryError(.invalidPlan, "parallel task produced no result") }
            return try r.get()
        }
    }

    func release() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
