/// The suffix automaton of a text (Blumer et al.; the smallest automaton accepting its
/// suffixes), which finds the longest substring it shares with another text in one pass
/// over each.
///
/// Built at ingest for one section of every pair of consecutive reports, so it keeps its
/// transitions in one open-addressing table keyed by (state, scalar) instead of a
/// dictionary per state, and all its numbers in buffers of the largest size the text can
/// need (2n states, 3n transitions), written without growing or copy-on-write checks. A
/// state stands for a set of substrings with the same end positions; `firstEnd` is the
/// first of them, which makes the earliest occurrence in the text cheap to report.
struct SuffixAutomaton {
    /// Length of the longest substring of each state.
    private let length: Slab<Int32>
    /// Suffix link of each state (-1 for the initial state).
    private let link: Slab<Int32>
    /// End position (inclusive) of the first occurrence of each state's substrings.
    private let firstEnd: Slab<Int32>
    /// The transitions: key `state << 32 | scalar` (`emptyKey` when the slot is free) and target.
    private let keys: Slab<UInt64>
    private let targets: Slab<Int32>
    private let mask: Int
    private let shift: UInt64

    private static let emptyKey = UInt64.max

    /// Builds the automaton of `text` (time and memory linear in its length).
    init(_ text: [UInt32]) {
        // At most 2n states and 3n transitions; the table stays at most 3/8 full.
        var bits: UInt64 = 4
        while (1 << bits) < 8 * (text.count + 1) { bits += 1 }
        keys = Slab(count: 1 << Int(bits), filledWith: Self.emptyKey)
        targets = Slab(count: 1 << Int(bits), filledWith: 0)
        mask = (1 << Int(bits)) - 1
        shift = 64 - bits
        let maxStates = 2 * text.count + 1
        length = Slab(count: maxStates, filledWith: 0)
        link = Slab(count: maxStates, filledWith: 0)
        firstEnd = Slab(count: maxStates, filledWith: 0)
        // Each state's outgoing scalars, as linked lists, read only when a state is cloned.
        let edgeHead = Slab<Int32>(count: maxStates, filledWith: -1)
        let edgeNext = Slab<Int32>(count: 3 * text.count + 1, filledWith: 0)
        let edgeScalar = Slab<UInt32>(count: 3 * text.count + 1, filledWith: 0)
        var states: Int32 = 1, edges: Int32 = 0
        link[0] = -1
        firstEnd[0] = -1

        func addState(length l: Int32, link s: Int32, firstEnd f: Int32) -> Int32 {
            length[states] = l
            link[states] = s
            firstEnd[states] = f
            states += 1
            return states - 1
        }
        /// Sets (adding or redirecting) `state`'s transition on `c`, at `slot` (from ``slot(_:_:)``).
        func put(_ slot: Int, _ state: Int32, _ c: UInt32, _ target: Int32) {
            if keys[slot] == Self.emptyKey {
                keys[slot] = Self.key(state, c)
                edgeScalar[edges] = c
                edgeNext[edges] = edgeHead[state]
                edgeHead[state] = edges
                edges += 1
            }
            targets[slot] = target
        }

        var last: Int32 = 0
        for (position, c) in text.enumerated() {
            let current = addState(length: length[last] + 1, link: 0, firstEnd: Int32(position))
            var p = last
            var s = -1
            while p != -1 {
                s = slot(p, c)
                if keys[s] != Self.emptyKey { break }
                put(s, p, c, current)
                p = link[p]
            }
            if p != -1 {
                let q = targets[s]
                if length[p] + 1 == length[q] {
                    link[current] = q
                } else {
                    let clone = addState(length: length[p] + 1, link: link[q], firstEnd: firstEnd[q])
                    var e = edgeHead[q]
                    while e != -1 {
                        let scalar = edgeScalar[e]
                        put(slot(clone, scalar), clone, scalar, targets[slot(q, scalar)])
                        e = edgeNext[e]
                    }
                    while p != -1 {
                        let t = slot(p, c)
                        guard keys[t] != Self.emptyKey, targets[t] == q else { break }
                        targets[t] = clone
                        p = link[p]
                    }
                    link[q] = clone
                    link[current] = clone
                }
            }
            last = current
        }
    }

    /// The longest substring of `other` that occurs in the text: its start in `other`, the
    /// start of its first occurrence in the text, and its length. Among equally long ones,
    /// the one that starts earliest in `other`; (0, 0, 0) when they share nothing.
    func longestCommon(with other: [UInt32]) -> (startOther: Int, startText: Int, length: Int) {
        var best = (startOther: 0, startText: 0, length: 0)
        var state: Int32 = 0, matched = 0
        for (i, c) in other.enumerated() {
            if let t = next(state, c) {
                state = t
                matched += 1
            } else {
                while state != -1 && next(state, c) == nil {
                    state = link[state]
                    if state != -1 { matched = Int(length[state]) }
                }
                if state == -1 {
                    state = 0
                    matched = 0
                } else {
                    state = next(state, c)!
                    matched += 1
                }
            }
            // The first position reaching a longer match starts the earliest such passage.
            if matched > best.length {
                best = (i - matched + 1, Int(firstEnd[state]) - matched + 1, matched)
            }
        }
        return best
    }

    private static func key(_ state: Int32, _ c: UInt32) -> UInt64 { UInt64(UInt32(bitPattern: state)) << 32 | UInt64(c) }

    /// The table slot holding `state`'s transition on `c`, or the free slot where it would go.
    private func slot(_ state: Int32, _ c: UInt32) -> Int {
        let key = Self.key(state, c)
        var i = Int((key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
        while keys[i] != key && keys[i] != Self.emptyKey { i = (i + 1) & mask }
        return i
    }

    /// The target of `state`'s transition on `c`, nil when it has none.
    private func next(_ state: Int32, _ c: UInt32) -> Int32? {
        let i = slot(state, c)
        return keys[i] == Self.emptyKey ? nil : targets[i]
    }
}

/// A fixed number of plain values in one allocation, indexed without bounds, growth or
/// copy-on-write checks (the automaton sizes each for the most its text can need, and
/// never writes after it is built).
private final class Slab<Element: BitwiseCopyable> {
    private let base: UnsafeMutablePointer<Element>
    private let count: Int

    init(count: Int, filledWith value: Element) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: value, count: count)
    }

    deinit { base.deallocate() }

    subscript(i: Int32) -> Element {
        get { self[Int(i)] }
        set { self[Int(i)] = newValue }
    }

    subscript(i: Int) -> Element {
        get { assert(i >= 0 && i < count); return base[i] }
        set { assert(i >= 0 && i < count); base[i] = newValue }
    }
}
