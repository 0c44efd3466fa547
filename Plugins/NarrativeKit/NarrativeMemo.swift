import Foundation
import GongkaiPluginAPI

/// Remembers what a plugin computed from the narratives of the last few reports, so that a
/// table and a check of the same report (the host calls each with the same report view) read
/// the narrative once.
///
/// An entry is found by comparing narratives by value — paragraph texts and spans — so a hit
/// can only return what the computation would have returned for that narrative. The view the
/// host hands to a plugin's table and to its check shares its storage, which makes the
/// comparison a few pointer checks. Safe for concurrent workers: a lock guards the entries and
/// is never held while computing; each worker's report stays among the last `capacity` ones
/// while its plugins run, so they find it.
package final class NarrativeMemo<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(key: [[PluginReport.Paragraph]], value: Value)] = []
    private var next = 0
    private let capacity: Int

    /// Creates an empty memo keeping the results of the last `capacity` narratives.
    package init(capacity: Int = 16) { self.capacity = max(1, capacity) }

    /// The value computed from `narratives` (one or more, e.g. last year's and this year's),
    /// computing it when it is not remembered.
    package func value(_ narratives: [PluginReport.Paragraph]..., compute: () -> Value) -> Value {
        lock.lock()
        let hit = entries.first { Self.same($0.key, narratives) }?.value
        lock.unlock()
        if let hit { return hit }
        let value = compute()
        lock.lock()
        if entries.count < capacity {
            entries.append((narratives, value))
        } else {
            entries[next] = (narratives, value)
            next = (next + 1) % capacity
        }
        lock.unlock()
        return value
    }

    private static func same(_ a: [[PluginReport.Paragraph]], _ b: [[PluginReport.Paragraph]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where p.span != q.span || p.text != q.text { return false }
        }
        return true
    }
}

extension ScanText {
    /// The scan text of a narrative, built once for the plugins that read the same report
    /// (MediaOutput and DisclosureVolume each scan it).
    package static func shared(_ paragraphs: [PluginReport.Paragraph]) -> ScanText {
        memo.value(paragraphs) { ScanText(paragraphs) }
    }

    private static let memo = NarrativeMemo<ScanText>()
}
