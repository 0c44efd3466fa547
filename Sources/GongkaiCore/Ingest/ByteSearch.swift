#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over UTF-8 bytes: `memchr` finds each candidate first byte and `memcmp`
/// checks the rest, far cheaper than a bounds-checked byte-by-byte loop.
enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `hay`; nil when there is none or the
    /// needle is empty.
    static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty, needle.count <= hay.count, let h = hay.baseAddress, let n = needle.baseAddress else { return nil }
        let last = hay.count - needle.count, first = Int32(n[0]), rest = needle.count - 1
        var i = 0
        while i <= last {
            guard let found = memchr(h + i, first, last - i + 1) else { return nil }
            i = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
            // The second byte first: CJK lead bytes repeat, so most candidates fail there.
            if rest == 0 || (h[i + 1] == n[1] && memcmp(h + i + 1, n + 1, rest) == 0) { return i }
            i += 1
        }
        return nil
    }

    /// Offset of the first `byte` in `hay`.
    static func firstOffset(of byte: UInt8, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let h = hay.baseAddress, let found = memchr(h, Int32(byte), hay.count) else { return nil }
        return UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
    }
}
