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

    /// Offset of the first `byte` in `hay`.
    static func firstOffset(of byte: UInt8, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let h = hay.baseAddress, let found = memchr(h, Int32(byte), hay.count) else { return nil }
        return UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
    }
}
