#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over UTF-8 bytes: `memchr` finds each candidate byte and `memcmp`
/// checks the rest, far cheaper than a bounds-checked byte-by-byte loop.
enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `hay`; nil when there is none or the
    /// needle is empty.
    ///
    /// `memchr` looks for the needle's last byte: in CJK text a lead byte (E4–E9) starts
    /// nearly every character, but a continuation byte takes one of 64 values, so far fewer
    /// places are candidates. Candidates come in order, so the first match is the first
    /// occurrence.
    static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty, needle.count <= hay.count, let h = hay.baseAddress, let n = needle.baseAddress else { return nil }
        let rest = needle.count - 1, lastByte = Int32(n[rest])
        // `end` is where the last byte of a match may be, from `rest` to the end of `hay`.
        var end = rest
        while end < hay.count {
            guard let found = memchr(h + end, lastByte, hay.count - end) else { return nil }
            end = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
            let start = end - rest
            if rest == 0 || (h[start] == n[0] && memcmp(h + start, n, rest) == 0) { return start }
            end += 1
        }
        return nil
    }

    /// The offset of the first byte of `b` from `i` on that `stop` marks, or, when fewer
    /// than 16 bytes are left before it, an offset at most 16 bytes from the end: the bytes
    /// up to the offset are not marked, and the caller looks at the rest one by one.
    ///
    /// Scans that look for a few kinds of bytes (ASCII, or the lead bytes of the few
    /// characters they handle) in text that is mostly CJK step over 16 bytes at a time with
    /// vector compares. `stop` should compare with whole vectors (`SIMD16(repeating:)`):
    /// a compare with a scalar is not vectorised.
    @inline(__always)
    static func skip(_ b: UnsafeBufferPointer<UInt8>, from i: Int, until stop: (SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>>) -> Int {
        guard let base = b.baseAddress else { return i }
        var i = i
        while i &+ 16 <= b.count {
            let marks = stop(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self))
            let lanes = unsafeBitCast(marks, to: SIMD2<UInt64>.self)
            if lanes[0] != 0 { return i &+ lanes[0].trailingZeroBitCount >> 3 }
            if lanes[1] != 0 { return i &+ 8 &+ lanes[1].trailingZeroBitCount >> 3 }
            i &+= 16
        }
        return i
    }

    /// Offset of the first `byte` in `hay`.
    static func firstOffset(of byte: UInt8, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let h = hay.baseAddress, let found = memchr(h, Int32(byte), hay.count) else { return nil }
        return UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
    }
}
