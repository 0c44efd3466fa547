/// A set of scalars kept as 1024 bits, one per scalar value modulo 1024: a scalar whose bit is
/// clear is surely not in the set, one whose bit is set may be. Scans ask it at every scalar,
/// inlined, before the exact tests.
public struct ScalarFilter: Sendable {
    /// 16 words of 64 bits.
    @usableFromInline var bits: [UInt64]

    /// The filter of `scalars`.
    package init(_ scalars: some Sequence<Unicode.Scalar>) {
        bits = Array(repeating: 0, count: 16)
        for c in scalars {
            let v = Int(c.value & 1023)
            bits[v >> 6] |= 1 << UInt64(v & 63)
        }
    }

    /// The filter of the scalars of both filters.
    package func union(_ other: ScalarFilter) -> ScalarFilter {
        var u = self
        for k in 0..<16 { u.bits[k] |= other.bits[k] }
        return u
    }

    /// Whether `c` may be in the set (false: it surely is not).
    @inlinable @inline(__always)
    package func mayContain(_ c: Unicode.Scalar) -> Bool {
        let v = Int(c.value & 1023)
        return bits[v >> 6] & (1 << UInt64(v & 63)) != 0
    }
}
