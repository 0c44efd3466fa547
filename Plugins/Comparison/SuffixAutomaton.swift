/// The suffix automaton of a text (Blumer et al.; the smallest automaton accepting its
/// suffixes), which finds the longest substring it shares with another text in one pass
/// over each.
///
/// Built at ingest for one section of every pair of consecutive reports, so it keeps its
/// transitions in one open-addressing table keyed by (state, scalar) instead of a
/// dictionary per state. A state stands for a set of substrings with the same end
/// positions; `firstEnd` is the first of them, which makes the earliest occurrence in the
/// text cheap to report.
struct SuffixAutomaton {
    /// Length of the longest substring of each state.
    private var length: [Int32] = []
    /// Suffix link of each state (-1 for the initial state).
    private var link: [Int32] = []
    /// End position (inclusive) of the first occurrence of each state's substrings.
    private var firstEnd: [Int32] = []
    /// The transitions: key `state << 32 | scalar` (`emptyKey` when the slot is free) and target.
    private var keys: [UInt64]
    private var targets: [Int32]
    private let shift: UInt64
    /// Each state's outgoing scalars, as linked lists (`edgeHead`, `edgeNext`, `edgeScalar`),
    /// read only when a state is cloned.
    private var edgeHead: [Int32] = []
    private var edgeNext: [Int32] = []
    private var edgeScalar: [UInt32] = []

    private static let emptyKey = UInt64.max

    /// Builds the automaton of `text` (time and memory linear in its length).
    init(_ text: [UInt32]) {
        // At most 2n states and 3n transitions; the table stays at most 3/8 full.
        var bits: UInt64 = 4
        while (1 << bits) < 8 * (text.count + 1) { bits += 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: 1 << Int(bits))
        targets = [Int32](repeating: 0, count: 1 << Int(bits))
        shift = 64 - bits
        length.reserveCapacity(2 * text.count + 1)
        link.reserveCapacity(2 * text.count + 1)
        firstEnd.reserveCapacity(2 * text.count + 1)
        _ = addState(length: 0, link: -1, firstEnd: -1)
        var last: Int32 = 0
        for (position, c) in text.enumerated() {
            let current = addState(length: length[Int(last)] + 1, link: 0, firstEnd: Int32(position))
            var p = last
            while p != -1 && next(p, c) == nil {
                put(p, c, current)
                p = link[Int(p)]
            }
            if p != -1 {
                let q = next(p, c)!
                if length[Int(p)] + 1 == length[Int(q)] {
                    link[Int(current)] = q
                } else {
                    let clone = addState(length: length[Int(p)] + 1, link: link[Int(q)], firstEnd: firstEnd[Int(q)])
                    var e = edgeHead[Int(q)]
                    while e != -1 {
                        put(clone, edgeScalar[Int(e)], next(q, edgeScalar[Int(e)])!)
                        e = edgeNext[Int(e)]
                    }
                    while p != -1 && next(p, c) == q {
                        put(p, c, clone)
                        p = link[Int(p)]
                    }
                    link[Int(q)] = clone
                    link[Int(current)] = clone
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
                    state = link[Int(state)]
                    if state != -1 { matched = Int(length[Int(state)]) }
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
                best = (i - matched + 1, Int(firstEnd[Int(state)]) - matched + 1, matched)
            }
        }
        return best
    }

    private mutating func addState(length l: Int32, link s: Int32, firstEnd f: Int32) -> Int32 {
        length.append(l)
        link.append(s)
        firstEnd.append(f)
        edgeHead.append(-1)
        return Int32(length.count - 1)
    }

    private func slot(_ key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) &>> shift) }

    /// The target of `state`'s transition on `c`, nil when it has none.
    private func next(_ state: Int32, _ c: UInt32) -> Int32? {
        let key = UInt64(UInt32(bitPattern: state)) << 32 | UInt64(c)
        var i = slot(key)
        let mask = keys.count - 1
        while true {
            let k = keys[i]
            if k == key { return targets[i] }
            if k == Self.emptyKey { return nil }
            i = (i + 1) & mask
        }
    }

    /// Sets (adding or redirecting) `state`'s transition on `c`.
    private mutating func put(_ state: Int32, _ c: UInt32, _ target: Int32) {
        let key = UInt64(UInt32(bitPattern: state)) << 32 | UInt64(c)
        var i = slot(key)
        let mask = keys.count - 1
        while keys[i] != key && keys[i] != Self.emptyKey { i = (i + 1) & mask }
        if keys[i] == Self.emptyKey {
            keys[i] = key
            edgeScalar.append(c)
            edgeNext.append(edgeHead[Int(state)])
            edgeHead[Int(state)] = Int32(edgeScalar.count - 1)
        }
        targets[i] = target
    }
}
