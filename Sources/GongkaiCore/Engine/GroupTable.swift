/// Dense group numbers for `Int64` keys, by first appearance: an open-addressing hash table
/// (linear probing, multiplicative hashing), which is what grouping and join building spend
/// their time in. Swift's `Dictionary` hashes every key with SipHash, several times slower for
/// integer keys that need no protection against chosen collisions: these are the engine's own
/// codes and key combinations.
struct GroupTable {
    /// Slot contents: a key, or `empty` (the key `empty` itself is kept aside in `emptyKeyGroup`).
    private var keys: [Int64]
    private var groups: [Int32]
    private var mask: Int
    /// 64 − log2(capacity): the product's top bits pick the slot.
    private var shift: UInt64
    private var emptyKeyGroup: Int32 = -1
    /// The number of distinct keys seen, which is the next group number.
    private(set) var count = 0
    private static let empty = Int64.min

    /// A table sized for about `expected` distinct keys.
    init(expected: Int = 16) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        keys = [Int64](repeating: Self.empty, count: capacity)
        groups = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// The group of `key`, numbered next when the key is new.
    @inline(__always)
    mutating func group(_ key: Int64) -> Int32 {
        if key == Self.empty {
            if emptyKeyGroup < 0 { emptyKeyGroup = Int32(count); count += 1 }
            return emptyKeyGroup
        }
        if (count + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return groups[i] }
            if k == Self.empty {
                keys[i] = key
                groups[i] = Int32(count)
                count += 1
                return groups[i]
            }
            i = (i + 1) & mask
        }
    }

    /// A group number for something that is not a key (null rows), counted with the keys'.
    mutating func newGroup() -> Int32 {
        count += 1
        return Int32(count - 1)
    }

    /// The group of `key` if it has been seen.
    func existing(_ key: Int64) -> Int32? {
        if key == Self.empty { return emptyKeyGroup >= 0 ? emptyKeyGroup : nil }
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return groups[i] }
            if k == Self.empty { return nil }
            i = (i + 1) & mask
        }
    }

    /// The groups of many keys at once.
    mutating func groups(_ keys: [Int64]) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: keys.count) { out, made in
            for (k, key) in keys.enumerated() { out[k] = group(key) }
            made = keys.count
        }
    }

    /// Fibonacci hashing: the product's top bits depend on every bit of the key.
    @inline(__always)
    private func slot(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func grow() {
        let oldKeys = keys, oldGroups = groups
        let capacity = keys.count * 2
        keys = [Int64](repeating: Self.empty, count: capacity)
        groups = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (k, g) in zip(oldKeys, oldGroups) where k != Self.empty {
            var i = slot(k)
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = k
            groups[i] = g
        }
    }
}
