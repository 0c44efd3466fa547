import Foundation
#if os(Linux)
import Glibc
#endif

/// The threads an ingest parses on, below the writer's scheduling priority.
///
/// The writer is the serial part of an ingest: when it waits for a core, every parser soon
/// waits for it. Parsers on threads of their own with a higher nice value (Linux keeps one
/// per thread) leave the writer a core whenever it has work, and use every core otherwise.
/// The threads end with the ingest, so no thread of the process keeps the lower priority.
enum ParserThreads {
    /// How much nicer than the rest of the process the parsers run.
    static let niceIncrement: Int32 = 10

    /// Whether parser threads run below the writer here (Linux: per-thread nice values).
    static var belowWriter: Bool {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }

    /// Runs `body` on `count` new threads, each at the lower priority, and returns when all
    /// have returned.
    static func run(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        let group = DispatchGroup()
        for _ in 0..<max(1, count) {
            group.enter()
            let thread = Thread {
                lowerPriority()
                body()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }

    /// Raises the calling thread's nice value by ``niceIncrement`` (on Linux `setpriority`
    /// with `who` 0 changes only the calling thread). Failure only leaves the priority as it was.
    private static func lowerPriority() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(which, 0)
        if errno == 0 { _ = setpriority(which, 0, min(19, current + niceIncrement)) }
        #endif
    }
}
