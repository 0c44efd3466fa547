import CSHA256

/// SHA-256 of a file's bytes: the content hash that makes re-ingesting an unchanged file a no-op.
///
/// A small self-contained implementation (FIPS 180-4) so the core needs no crypto package.
/// On x86-64 CPUs with the SHA extensions the whole blocks go through them (`CSHA256`):
/// the portable rounds were a twentieth of an ingest's CPU.
public enum SHA256 {
    /// Whether this CPU compresses blocks with the SHA extensions.
    static let accelerated = gk_sha256_accelerated() != 0

    /// The round constants (kept once, in `CSHA256`).
    nonisolated(unsafe) private static let k = UnsafeBufferPointer(start: gk_sha256_round_constants(), count: 64)

    /// The digest as lowercase hex.
    public static func hex(_ data: [UInt8]) -> String { hex(data, accelerated: accelerated) }

    /// The digest with the SHA extensions or with the portable rounds (tests check both).
    static func hex(_ data: [UInt8], accelerated: Bool) -> String {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        // Whole blocks straight from the input; the padded tail (one or two blocks) apart.
        let whole = data.count / 64 * 64
        var tail = Array(data[whole...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bitLength = UInt64(data.count) &* 8
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        if accelerated {
            withUnsafeMutableBytes(of: &h) { state in
                let words = state.baseAddress!.assumingMemoryBound(to: UInt32.self)
                data.withUnsafeBufferPointer { gk_sha256_blocks_accelerated(words, $0.baseAddress!, whole / 64) }
                tail.withUnsafeBufferPointer { gk_sha256_blocks_accelerated(words, $0.baseAddress!, $0.count / 64) }
            }
        } else {
            var w = [UInt32](repeating: 0, count: 64)
            w.withUnsafeMutableBufferPointer { w in
                data.withUnsafeBufferPointer { buf in
                    for chunk in stride(from: 0, to: whole, by: 64) { compress(buf.baseAddress! + chunk, &h, w, k) }
                }
                tail.withUnsafeBufferPointer { buf in
                    for chunk in stride(from: 0, to: buf.count, by: 64) { compress(buf.baseAddress! + chunk, &h, w, k) }
                }
            }
        }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for v in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
            for s in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((v >> UInt32(s)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One 64-byte block into the state `h`, with `w` as the message schedule.
    @inline(__always)
    private static func compress(_ p: UnsafePointer<UInt8>, _ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
                                 _ w: UnsafeMutableBufferPointer<UInt32>, _ k: UnsafeBufferPointer<UInt32>) {
        for i in 0..<16 {
            w[i] = UInt32(p[i * 4]) << 24 | UInt32(p[i * 4 + 1]) << 16 | UInt32(p[i * 4 + 2]) << 8 | UInt32(p[i * 4 + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
