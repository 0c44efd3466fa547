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
///
/// Public with inlinable members (NarrativeKit is not a product) so that each plugin's memo is
/// specialised for its value type: unspecialised, every look-up fetched tuple metadata and
/// copied entries through value witnesses.
public final class NarrativeMemo<Value: Sendable>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var entries: [(key: [[PluginReport.Paragraph]], fingerprint: Int, value: Value)] = []
    /// Where the newest entry is (the entries form a ring once `capacity` are kept).
    @usableFromInline var newest = -1
    @usableFromInline let capacity: Int

    /// Creates an empty memo keeping the results of the last `capacity` narratives.
    public init(capacity: Int = 16) { self.capacity = max(1, capacity) }

    /// The value computed from `narratives` (one or more, e.g. last year's and this year's),
    /// computing it when it is not remembered.
    @inlinable
    public func value(_ narratives: [PluginReport.Paragraph]..., compute: () -> Value) -> Value {
        let fingerprint = Self.fingerprint(narratives)
        lock.lock()
        // Newest first: a report's table and its checks ask one after the other.
        var hit: Value?
        for step in 0..<entries.count {
            let e = entries[(newest - step + entries.count) % entries.count]
            if e.fingerprint == fingerprint && Self.same(e.key, narratives) { hit = e.value; break }
        }
        lock.unlock()
        if let hit { return hit }
        let value = compute()
        lock.lock()
        newest = (newest + 1) % capacity
        if entries.count < capacity {
            entries.append((narratives, fingerprint, value))
        } else {
            entries[newest] = (narratives, fingerprint, value)
        }
        lock.unlock()
        return value
    }

    /// A number equal for equal narratives (paragraph counts, text lengths and spans), which
    /// tells most different narratives apart without comparing their texts.
    @inlinable
    static func fingerprint(_ narratives: [[PluginReport.Paragraph]]) -> Int {
        var h = narratives.count
        for narrative in narratives {
            h = h &* 31 &+ narrative.count
            for p in narrative { h = (h &* 31 &+ p.text.utf8.count) &* 31 &+ p.span.line &* 7 &+ p.span.endLine }
        }
        return h
    }

    @inlinable
    static func same(_ a: [[PluginReport.Paragraph]], _ b: [[PluginReport.Paragraph]]) -> Bool {
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
