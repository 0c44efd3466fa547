/// Words to find at a position, longest first, indexed by their first scalar.
///
/// The matching itself is done by a non-generic ``LexiconIndex`` that answers with the number
/// of the matching entry; this wrapper only maps that number to the entry's value. Hot loops
/// use ``find(_:at:end:)`` and ``value(_:)``, whose result types are not generic: the
/// plugins call these methods unspecialised, and a generic result such as the tuple of
/// ``match(_:at:end:)`` would have its metadata looked up at run time on every call.
public struct Lexicon<Value: Sendable>: Sendable {
    @usableFromInline let index: LexiconIndex
    @usableFromInline let values: [Value]

    /// Builds the table.
    package init(_ entries: [(String, Value)]) {
        index = LexiconIndex(entries.map { Array($0.0.unicodeScalars) })
        values = entries.map(\.1)
    }

    /// Builds a table of words whose value is only that they are there.
    package init(words: [String]) where Value == Bool {
        self.init(words.map { ($0, true) })
    }

    /// The longest word spelled at `i` of `a`: which entry it is and its length.
    @inlinable
    package func find(_ a: [Unicode.Scalar], at i: Int, end: Int? = nil) -> LexiconIndex.Match? {
        guard i >= 0, i < a.count, index.firsts.mayContain(a[i]) else { return nil }
        return index.match(a, at: i, end: end ?? a.count)
    }

    /// The longest word spelled at `i` of the text: which entry it is and its length.
    @inlinable
    package func find(_ t: ScanText, at i: Int) -> LexiconIndex.Match? {
        guard let c = t[i], index.firsts.mayContain(c) else { return nil }
        return index.match(t.scalars, at: i, end: t.scalars.count)
    }

    /// The first scalars of the words (a scalar outside starts none).
    @inlinable
    package var firsts: ScalarFilter { index.firsts }

    /// The value of an entry found by ``find(_:at:end:)``.
    @inlinable
    package func value(_ m: LexiconIndex.Match) -> Value { values[m.entry] }

    /// The longest word spelled at `i` of `a`.
    @inlinable
    package func match(_ a: [Unicode.Scalar], at i: Int, end: Int? = nil) -> (value: Value, length: Int)? {
        guard let m = index.match(a, at: i, end: end ?? a.count) else { return nil }
        return (values[m.entry], m.length)
    }

    /// The longest word spelled at `i` of the text.
    @inlinable
    package func match(_ t: ScanText, at i: Int) -> (value: Value, length: Int)? { match(t.scalars, at: i) }

    /// Whether `a` is entirely made of words of the table, skipping quoted names (`“…”`, `《…》`).
    @inlinable
    package func covers(_ a: ArraySlice<Unicode.Scalar>, allowQuoted: Bool = true) -> Bool {
        index.covers(a, allowQuoted: allowQuoted)
    }

    /// The first word of the table found in `a`.
    @inlinable
    package func firstMatch(in a: [Unicode.Scalar]) -> (value: Value, at: Int, length: Int)? {
        guard let m = index.firstMatch(in: a) else { return nil }
        return (values[m.entry], m.at, m.length)
    }

    /// Whether any word of the table occurs anywhere in `a` (``containsAny(_:_:)`` with the
    /// words indexed once instead of compared one by one).
    @inlinable
    package func occurs(in a: ArraySlice<Unicode.Scalar>) -> Bool { index.firstMatch(in: a) != nil }

    /// Whether any of `words` occurs in `a`.
    package static func containsAny(_ a: [Unicode.Scalar], _ words: [String]) -> Bool {
        LexiconIndex.containsAny(a[...], words)
    }

    /// Whether any of `words` occurs in `a`.
    package static func containsAny(_ a: ArraySlice<Unicode.Scalar>, _ words: [String]) -> Bool {
        LexiconIndex.containsAny(a, words)
    }
}

/// The matching behind ``Lexicon``: words grouped by their first scalar, longest first, in a
/// small open-addressing table keyed by the scalar value (no `Hasher`, no allocation per match).
public struct LexiconIndex: Sendable {
    /// A word found: the number of its entry and its length in scalars.
    public struct Match: Sendable {
        /// The entry's number (its position in the table the index was built from).
        @usableFromInline package var entry: Int
        /// The word's length in scalars.
        @usableFromInline package var length: Int
    }

    /// A word and the number of its entry in the table it was built from.
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var word: [Unicode.Scalar]
        @usableFromInline var entry: Int
    }

    /// Slot keys: a first scalar's value, or `UInt32.max` for an empty slot.
    private var keys: [UInt32]
    /// For each slot, the range of `entries` holding the words that start with its scalar.
    private var ranges: [Range<Int>]
    /// The words, grouped by first scalar, longest first within a group.
    private var entries: [Entry]
    /// `keys.count - 1` (the table size is a power of two).
    private var mask: Int
    /// The first scalars of the words: a scalar outside starts no word, which most scalars of
    /// a text are turned away by, inlined.
    @usableFromInline package let firsts: ScalarFilter

    /// Builds the index of `words`; entry numbers are positions in `words`.
    package init(_ words: [[Unicode.Scalar]]) {
        // Group as a dictionary first; within a group the words keep their order, then sort
        // longest first exactly as the table always did.
        var byFirst: [Unicode.Scalar: [Entry]] = [:]
        var firsts: [Unicode.Scalar] = []
        for (n, word) in words.enumerated() {
            guard let f = word.first else { continue }
            if byFirst[f] == nil { firsts.append(f) }
            byFirst[f, default: []].append(Entry(word: word, entry: n))
        }
        var size = 8
        while size < firsts.count * 4 { size *= 2 }
        keys = Array(repeating: UInt32.max, count: size)
        ranges = Array(repeating: 0..<0, count: size)
        entries = []
        mask = size - 1
        self.firsts = ScalarFilter(firsts)
        for f in firsts {
            var group = byFirst[f] ?? []
            group.sort { $0.word.count > $1.word.count }
            var slot = Self.slot(f.value, mask)
            while keys[slot] != UInt32.max { slot = (slot + 1) & mask }
            keys[slot] = f.value
            ranges[slot] = entries.count..<(entries.count + group.count)
            entries += group
        }
    }

    @inline(__always)
    private static func slot(_ v: UInt32, _ mask: Int) -> Int { Int(truncatingIfNeeded: (v &* 0x9E37_79B1) >> 7) & mask }

    /// The words starting with `c` (empty when none does).
    @inline(__always)
    private func group(_ c: Unicode.Scalar) -> Range<Int> {
        var slot = Self.slot(c.value, mask)
        while true {
            let k = keys[slot]
            if k == c.value { return ranges[slot] }
            if k == UInt32.max { return 0..<0 }
            slot = (slot + 1) & mask
        }
    }

    /// The longest word spelled at `i` of `a` before `end`: its entry number and length.
    @usableFromInline
    func match(_ a: [Unicode.Scalar], at i: Int, end: Int) -> Match? {
        a.withUnsafeBufferPointer { match($0, at: i, end: end) }
    }

    private func match(_ a: UnsafeBufferPointer<Unicode.Scalar>, at i: Int, end: Int) -> Match? {
        let limit = min(end, a.count)
        guard i >= 0, i < limit else { return nil }
        for e in group(a[i]) {
            let word = entries[e].word
            guard i + word.count <= limit else { continue }
            var ok = true
            var k = 1
            while k < word.count {
                if a[i + k] != word[k] { ok = false; break }
                k += 1
            }
            if ok { return Match(entry: entries[e].entry, length: word.count) }
        }
        return nil
    }

    /// Whether `a` is entirely made of words, skipping quoted names (`“…”`, `《…》`).
    @usableFromInline
    func covers(_ a: ArraySlice<Unicode.Scalar>, allowQuoted: Bool) -> Bool {
        a.withUnsafeBufferPointer { arr in
            var i = 0
            while i < arr.count {
                if allowQuoted, arr[i] == "“" || arr[i] == "《" || arr[i] == "\"" {
                    let close: Unicode.Scalar = arr[i] == "《" ? "》" : (arr[i] == "“" ? "”" : "\"")
                    var j = i + 1
                    while j < arr.count, arr[j] != close, j - i < 24 { j += 1 }
                    guard j < arr.count, arr[j] == close else { return false }
                    i = j + 1
                    continue
                }
                guard let m = match(arr, at: i, end: arr.count) else { return false }
                i += m.length
            }
            return true
        }
    }

    /// The first word found in `a`: its entry number, position and length.
    @usableFromInline
    func firstMatch(in a: [Unicode.Scalar]) -> (entry: Int, at: Int, length: Int)? {
        firstMatch(in: a[...])
    }

    /// The first word found in `a`: its entry number, position (from `a`'s start) and length.
    @usableFromInline
    func firstMatch(in a: ArraySlice<Unicode.Scalar>) -> (entry: Int, at: Int, length: Int)? {
        a.withUnsafeBufferPointer { buf in
            var i = 0
            while i < buf.count {
                if let m = match(buf, at: i, end: buf.count) { return (m.entry, i, m.length) }
                i += 1
            }
            return nil
        }
    }

    /// Whether any of `words` occurs in `a` (each word is compared scalar by scalar in place).
    static func containsAny(_ a: ArraySlice<Unicode.Scalar>, _ words: [String]) -> Bool {
        a.withUnsafeBufferPointer { buf in
            for w in words where occurs(w.unicodeScalars, in: buf) { return true }
            return false
        }
    }

    private static func occurs(_ word: String.UnicodeScalarView, in a: UnsafeBufferPointer<Unicode.Scalar>) -> Bool {
        guard let first = word.first else { return false }
        let n = word.count
        guard n <= a.count else { return false }
        var i = 0
        while i + n <= a.count {
            if a[i] == first {
                var k = i
                var same = true
                for c in word {
                    if a[k] != c { same = false; break }
                    k += 1
                }
                if same { return true }
            }
            i += 1
        }
        return false
    }
}
