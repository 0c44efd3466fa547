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

    /// The eight state words, A … H.
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The digest as lowercase hex.
    public static func hex(_ data: [UInt8]) -> String { hex(data, accelerated: accelerated) }

    /// The digest with the SHA extensions or with the portable rounds (tests check both).
    static func hex(_ data: [UInt8], accelerated: Bool) -> String {
        var h: State = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
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
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                data.withUnsafeBytes { buf in
                    for chunk in stride(from: 0, to: whole, by: 64) { compress(buf.baseAddress! + chunk, &h, w, k) }
                }
                tail.withUnsafeBytes { buf in
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
    ///
    /// The rounds go eight at a time with the roles of the working variables rotated in the
    /// calls (``round(_:_:_:_:_:_:_:_:_:)``) instead of the variables shifted after every
    /// round, and the words are loaded whole and byte-swapped: a third fewer instructions than
    /// the textbook loop, which matters where the SHA extensions are missing.
    @inline(__always)
    private static func compress(_ p: UnsafeRawPointer, _ h: inout State, _ w: UnsafeMutableBufferPointer<UInt32>,
                                 _ k: UnsafeBufferPointer<UInt32>) {
        for i in 0..<16 { w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
        for i in 16..<64 {
            let x = w[i - 15], y = w[i - 2]
            let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
            let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        var bc = b ^ c
        for i in stride(from: 0, to: 64, by: 8) {
            round(a, b, c, &d, e, f, g, &hh, &bc, k[i] &+ w[i])
            round(hh, a, b, &c, d, e, f, &g, &bc, k[i + 1] &+ w[i + 1])
            round(g, hh, a, &b, c, d, e, &f, &bc, k[i + 2] &+ w[i + 2])
            round(f, g, hh, &a, b, c, d, &e, &bc, k[i + 3] &+ w[i + 3])
            round(e, f, g, &hh, a, b, c, &d, &bc, k[i + 4] &+ w[i + 4])
            round(d, e, f, &g, hh, a, b, &c, &bc, k[i + 5] &+ w[i + 5])
            round(c, d, e, &f, g, hh, a, &b, &bc, k[i + 6] &+ w[i + 6])
            round(b, c, d, &e, f, g, hh, &a, &bc, k[i + 7] &+ w[i + 7])
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    /// One round on the working variables in the roles `a` … `h`, with `kw` = K[t] + W[t]:
    /// `d` takes the new E and `h` the new A (the others keep their values and change roles).
    /// `bc` is B ⊕ C on entry and A ⊕ B on return — the next round's B ⊕ C — so the majority
    /// costs three operations. The Σ rotations are nested (`Σ1(e) = ((e ⋙ 14 ⊕ e) ⋙ 5 ⊕ e) ⋙ 6`),
    /// which needs no copy of `e` per rotation.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ bc: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6) &+ (g ^ (e & (f ^ g))) &+ kw
        let ab = a ^ b
        d = d &+ t1
        h = t1 &+ rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2) &+ (b ^ (ab & bc))
        bc = ab
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
