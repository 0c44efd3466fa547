#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Character-set detection and decoding for markup files, producing UTF-8 bytes.
///
/// Policy (in this order):
/// 1. A byte-order mark wins (UTF-8, UTF-16 LE/BE); invalid sequences after a UTF-8 BOM become
///    U+FFFD. UTF-16 without a BOM is recognised when at least 70% of the odd (or even) bytes of
///    the first kilobyte are NUL and almost none of the others.
/// 2. NUL bytes anywhere, PDF/ZIP signatures, or more than 5% control bytes in the first 64 KB
///    mean binary data (`.binary`).
/// 3. Bytes that are valid UTF-8 are read as UTF-8, whatever a `<meta charset>` says (GBK text
///    of any length is practically never valid UTF-8, while pages re-saved as UTF-8 often keep
///    a stale `charset=gbk`).
/// 4. Otherwise the charset declared in the first 8 KB (`<meta charset>`, `http-equiv`
///    content, XML declaration) is used; GBK, GB2312 and GB18030 (and undeclared or wrongly
///    declared UTF-8) are all decoded as GB18030 through glibc `iconv`. A Western single-byte
///    label (ISO-8859-*, windows-125*) is overridden when the bytes are flawless GB18030.
/// 5. If more than 2% of the bytes are undecodable, the file is binary.
enum TextEncoding: Equatable, Sendable {
    case utf8
    case utf16LE
    case utf16BE
    /// Any other charset, by its iconv name.
    case charset(String)

    /// The result of decoding: either the original bytes (UTF-8, decoding starts after any
    /// BOM so offsets stay file offsets) or freshly transcoded UTF-8.
    enum Decoded {
        case original(start: Int)
        case transcoded([UInt8])
    }

    /// Detects the encoding of `data` and returns UTF-8 (see the type's policy).
    static func decodeMarkup(_ data: [UInt8], what: String) throws(IngestError) -> (Decoded, TextEncoding) {
        if data.isEmpty { throw IngestError(.empty, "\(what) is empty (0 bytes)") }
        // 1. Byte-order marks.
        if data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
            return (try decodeUTF8(data, start: 3, what: what), .utf8)
        }
        if data.count >= 2 && data[0] == 0xFF && data[1] == 0xFE {
            return (try decodeUTF16Checked(data, from: 2, littleEndian: true, what: what), .utf16LE)
        }
        if data.count >= 2 && data[0] == 0xFE && data[1] == 0xFF {
            return (try decodeUTF16Checked(data, from: 2, littleEndian: false, what: what), .utf16BE)
        }
        if let le = sniffUTF16(data) {
            return (try decodeUTF16Checked(data, from: 0, littleEndian: le, what: what), le ? .utf16LE : .utf16BE)
        }
        // 2. Binary data. 3. Valid UTF-8 wins.
        if try rejectBinaryAndCheckUTF8(data, what: what) { return (.original(start: 0), .utf8) }
        // 4. Declared charset, else GB18030.
        var charset = "GB18030"
        if let declared = declaredCharset(data), declared != "UTF-8" { charset = declared }
        // Chinese reports mislabelled with a Western single-byte charset: bytes that decode as
        // GB18030 without a single error are GB18030 (Latin-1 text almost never does).
        if isWesternSingleByte(charset), let (bytes, errors) = convert(data, from: "GB18030"), errors == 0 {
            return (.transcoded(bytes), .charset("GB18030"))
        }
        if let (bytes, errors) = convert(data, from: charset), errors * 50 <= data.count {
            return (.transcoded(bytes), .charset(charset))
        }
        if charset != "GB18030", let (bytes, errors) = convert(data, from: "GB18030"), errors * 50 <= data.count {
            return (.transcoded(bytes), .charset("GB18030"))
        }
        throw IngestError(.binary, "\(what) is neither UTF-8 nor GBK/GB18030 text; it looks like binary data")
    }

    private static func isWesternSingleByte(_ charset: String) -> Bool {
        ["ISO-8859", "ISO8859", "WINDOWS-125", "CP125", "LATIN", "US-ASCII", "ASCII"].contains { charset.hasPrefix($0) }
    }

    /// UTF-16 to UTF-8, rejecting text that turns out to be binary.
    private static func decodeUTF16Checked(_ data: [UInt8], from start: Int, littleEndian: Bool, what: String) throws(IngestError) -> Decoded {
        let bytes = decodeUTF16(data, from: start, littleEndian: littleEndian)
        if !bytes.isEmpty { try rejectBinary(bytes, what: what) }
        return .transcoded(bytes)
    }

    /// UTF-8 after a BOM: used as is when valid, otherwise repaired by GB18030 or replacement.
    private static func decodeUTF8(_ data: [UInt8], start: Int, what: String) throws(IngestError) -> Decoded {
        if data.count == start { throw IngestError(.empty, "\(what) holds only a byte-order mark") }
        if try rejectBinaryAndCheckUTF8(data, what: what) { return .original(start: start) }
        // A UTF-8 BOM is a strong statement; repair invalid sequences with U+FFFD.
        let repaired = String(decoding: data[start...], as: UTF8.self)
        return .transcoded(Array(repaired.utf8))
    }

    /// Throws `.binary` for NUL bytes, known binary signatures or mostly control bytes.
    static func rejectBinary(_ data: [UInt8], what: String) throws(IngestError) {
        try rejectSignatures(data, what: what)
        let sample = min(data.count, 65_536)
        let controls = data.withUnsafeBufferPointer { countControls($0, from: 0, to: sample) }
        try rejectControls(controls, sample: sample, what: what)
    }

    /// ``rejectBinary(_:what:)`` and then strict UTF-8 validation, in one pass over the bytes
    /// instead of two: the control bytes are counted while validating.
    ///
    /// ASCII is taken up to eight bytes at a time (as far as the first byte that is not),
    /// its controls counted in the word; CJK text four three-byte sequences at a time, then two.
    static func rejectBinaryAndCheckUTF8(_ data: [UInt8], what: String) throws(IngestError) -> Bool {
        try rejectSignatures(data, what: what)
        let sample = min(data.count, 65_536)
        let (valid, controls) = data.withUnsafeBufferPointer { buf -> (Bool, Int) in
            guard let base = buf.baseAddress else { return (true, 0) }
            @inline(__always) func word(at i: Int) -> UInt64 {
                UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            }
            var i = 0, controls = 0
            scan: while i < sample {
                let b = buf[i]
                if b < 0x80 {
                    guard i + 8 <= sample else {
                        if isControl(b) { controls += 1 }
                        i += 1
                        continue
                    }
                    var w = word(at: i)
                    // Words of ASCII without controls (most of the markup) in a tight loop,
                    // after the first one 16 bytes at a time.
                    while w & 0x8080_8080_8080_8080 == 0 && !mayHoldControls(w) {
                        i = ByteSearch.skip(buf, from: i + 8, until: notPrintableASCII)
                        guard i + 8 <= sample else { continue scan }
                        w = word(at: i)
                    }
                    let high = w & 0x8080_8080_8080_8080
                    let ascii = high == 0 ? 8 : high.trailingZeroBitCount >> 3
                    if mayHoldOtherControls(w) {
                        let first: UInt64 = ascii == 8 ? ~0 : (1 << UInt64(8 * ascii)) - 1
                        let found = controlBytes(w) & first
                        if found != 0 { controls += found.nonzeroBitCount }
                    }
                    i += ascii
                    continue
                }
                let runStart = i
                while i + 16 <= sample && fourPlainThreeByteSequences(at: base + i) { i += 12 }
                while i + 8 <= sample && twoPlainThreeByteSequences(word(at: i)) { i += 6 }
                if i > runStart { continue }
                let length = sequenceLength(buf, at: i)
                if length == 0 { return (false, controls + countControls(buf, from: i, to: sample)) }
                i += length
            }
            return (validUTF8(buf, from: i), controls)
        }
        try rejectControls(controls, sample: sample, what: what)
        return valid
    }

    /// Whether the 12 bytes at `p` (16 readable) are four valid three-byte sequences with
    /// leads E1–EC or EE–EF, as ``twoPlainThreeByteSequences(_:)`` checks two: with vector
    /// compares, as most of a report's text is runs of such sequences. (A byte E0 or ED among
    /// the four bytes after them gives a false no, which the slower checks then answer.)
    @inline(__always)
    private static func fourPlainThreeByteSequences(at p: UnsafePointer<UInt8>) -> Bool {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
        let mask = SIMD16<UInt8>(0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0, 0, 0, 0, 0)
        let want = SIMD16<UInt8>(0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80, 0, 0, 0, 0)
        // E0 and ED are never continuation bytes: compared in every lane, they can only be leads.
        let excluded = (v .== SIMD16<UInt8>(repeating: 0xE0)) .| (v .== SIMD16<UInt8>(repeating: 0xED))
        let ok = ((v & mask) .== want) .& .!excluded
        let lanes = unsafeBitCast(ok, to: SIMD2<UInt64>.self)
        return lanes[0] & lanes[1] == ~0
    }

    /// The bytes that are not printable ASCII (0x20–0x7E): non-ASCII bytes and controls.
    @inline(__always)
    private static func notPrintableASCII(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (v &- SIMD16<UInt8>(repeating: 0x20)) .>= SIMD16<UInt8>(repeating: 0x5F)
    }

    /// Whether the first six bytes of `w` are two valid three-byte sequences with leads
    /// E1–EC or EE–EF (CJK ideographs and punctuation), which any two continuation bytes
    /// complete.
    @inline(__always)
    private static func twoPlainThreeByteSequences(_ w: UInt64) -> Bool {
        guard w & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0 else { return false }
        let lead0 = UInt8(truncatingIfNeeded: w), lead1 = UInt8(truncatingIfNeeded: w >> 24)
        return lead0 != 0xE0 && lead0 != 0xED && lead1 != 0xE0 && lead1 != 0xED
    }

    /// The bytes of `w` (ASCII or not) that are controls (``isControl(_:)``), each marked by
    /// its high bit; exact per byte, unlike ``mayHoldControls(_:)``.
    @inline(__always)
    private static func controlBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        /// The zero bytes of `x`, marked by their high bit (no carry crosses bytes).
        @inline(__always) func zeros(_ x: UInt64) -> UInt64 { ~(((x & lows) &+ lows) | x) & highs }
        let below20 = ~(((w & lows) &+ ones &* 0x60) | w) & highs
        let allowed = zeros(w ^ (ones &* 0x09)) | zeros(w ^ (ones &* 0x0A)) | zeros(w ^ (ones &* 0x0D))
            | zeros(w ^ (ones &* 0x0C)) | zeros(w ^ (ones &* 0x1B))
        return (below20 & ~allowed) | zeros(w ^ (ones &* 0x7F))
    }

    /// The NUL-byte and PDF/ZIP-signature part of ``rejectBinary(_:what:)``.
    private static func rejectSignatures(_ data: [UInt8], what: String) throws(IngestError) {
        let hasNul = data.withUnsafeBufferPointer { buf in
            memchr(buf.baseAddress!, 0, buf.count) != nil
        }
        if data.starts(with: Array("%PDF-".utf8)) {
            throw IngestError(.binary, "\(what) is a PDF file, not HTML")
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw IngestError(.binary, "\(what) is a ZIP archive (perhaps DOCX), not HTML")
        }
        if hasNul { throw IngestError(.binary, "\(what) contains NUL bytes; it looks like binary data, not text") }
    }

    /// The control-byte part of ``rejectBinary(_:what:)``: more than 5% of the sample.
    private static func rejectControls(_ controls: Int, sample: Int, what: String) throws(IngestError) {
        if controls * 20 > sample {
            throw IngestError(.binary, "\(what) is mostly control bytes; it looks like binary data, not text")
        }
    }

    /// A control byte that text does not hold (tab, LF, FF, CR and ESC are fine).
    @inline(__always)
    private static func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B) || b == 0x7F
    }

    /// False when none of the eight bytes of `w` is a control other than a tab or a line feed
    /// (``isControl(_:)``; most words of text, whose ASCII is mostly those and digits); true
    /// may be wrong (CR, FF, ESC), ``controlBytes(_:)`` tells.
    @inline(__always)
    private static func mayHoldOtherControls(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func zeros(_ x: UInt64) -> UInt64 { ~(((x & lows) &+ lows) | x) & highs }
        let below20 = ~(((w & lows) &+ ones &* 0x60) | w) & highs
        let tabsAndFeeds = zeros(w ^ (ones &* 0x09)) | zeros(w ^ (ones &* 0x0A))
        return (below20 & ~tabsAndFeeds) | zeros(w ^ (ones &* 0x7F)) != 0
    }

    /// False when none of the eight bytes of `w` is below 0x20 or is 0x7F (most words of text).
    @inline(__always)
    private static func mayHoldControls(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (w &- ones &* 0x20) & ~w & highs
        let del = w ^ (ones &* 0x7F)
        let is7F = (del &- ones) & ~del & highs
        return below20 != 0 || is7F != 0
    }

    /// Control bytes (``isControl(_:)``) in `buf[from..<to]`.
    private static func countControls(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var controls = 0, i = from
        while i < to {
            if i + 8 <= to {
                let w = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if !mayHoldControls(w) { i += 8; continue }
            }
            if isControl(buf[i]) { controls += 1 }
            i += 1
        }
        return controls
    }

    /// Returns true for UTF-16 without BOM (`true` = little endian, `false` = big endian).
    static func sniffUTF16(_ data: [UInt8]) -> Bool? {
        let pairs = min(data.count, 1024) / 2
        guard pairs >= 2 else { return nil }
        // Without a NUL byte among them (every page but UTF-16) no count can reach the bar.
        let sampleHasNul = data.withUnsafeBufferPointer { memchr($0.baseAddress!, 0, 2 * pairs) != nil }
        guard sampleHasNul else { return nil }
        var evenZero = 0, oddZero = 0
        for i in 0..<pairs {
            if data[2 * i] == 0 { evenZero += 1 }
            if data[2 * i + 1] == 0 { oddZero += 1 }
        }
        if oddZero * 10 >= pairs * 7 && evenZero * 20 <= pairs { return true }
        if evenZero * 10 >= pairs * 7 && oddZero * 20 <= pairs { return false }
        return nil
    }

    /// Whether `bytes` are valid UTF-8 (strictly, see ``validUTF8(_:from:)``).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { validUTF8($0, from: 0) }
    }

    /// Strict UTF-8 validation of `buf[from...]` (no overlongs, no surrogates, nothing above U+10FFFF).
    private static func validUTF8(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        let n = buf.count
        guard let base = buf.baseAddress else { return true }
        var i = from
        while i < n {
            if buf[i] < 0x80 {
                // ASCII fast path, eight bytes at a time.
                if i + 8 <= n {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
                }
                i += 1
                continue
            }
            let length = sequenceLength(buf, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// The length of the valid multi-byte UTF-8 sequence starting at `buf[i]` (a byte of 0x80
    /// or more), or 0 when it is invalid.
    @inline(__always)
    private static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        let b = buf[i]
        // The common three-byte sequences (most CJK text): two plain continuation bytes,
        // checked with one load when four bytes are readable.
        if b &- 0xE1 <= 0xEC - 0xE1 || b &- 0xEE <= 1 {
            if i &+ 4 <= n {
                let w = UInt32(littleEndian: UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt32.self))
                return w & 0x00C0_C000 == 0x0080_8000 ? 3 : 0
            }
            guard i + 2 < n, buf[i + 1] & 0xC0 == 0x80, buf[i + 2] & 0xC0 == 0x80 else { return 0 }
            return 3
        }
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return 0
        }
        if i + need >= n { return 0 }
        let c1 = buf[i + 1]
        if c1 < lo || c1 > hi { return 0 }
        var k = 2
        while k <= need {
            let c = buf[i + k]
            if c < 0x80 || c > 0xBF { return 0 }
            k += 1
        }
        return need + 1
    }

    /// Finds a charset declared in a leading XML declaration or a `<meta>` tag in the first 8 KB,
    /// normalised: `UTF-8`, `GB18030` for the GB family, otherwise upper-cased as written.
    static func declaredCharset(_ data: [UInt8]) -> String? {
        let n = min(data.count, 8192)
        var i = 0
        while i + 5 < n {
            guard data[i] == 0x3C else { i += 1; continue } // '<'
            let isMeta = lower(data[i + 1]) == 0x6D && lower(data[i + 2]) == 0x65 && lower(data[i + 3]) == 0x74
                && lower(data[i + 4]) == 0x61 // "meta"
            let isXML = data[i + 1] == 0x3F // "<?"
            guard isMeta || isXML else { i += 1; continue }
            var end = i + 1
            while end < n && data[end] != 0x3E { end += 1 }
            let key: [UInt8] = isMeta ? Array("charset".utf8) : Array("encoding".utf8)
            if let name = valueAfter(key, in: data, from: i, to: end) { return normalise(name) }
            i = end
        }
        return nil
    }

    private static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    /// The token after `key` `=` (optionally quoted) inside `data[from..<to]`, case-insensitively.
    private static func valueAfter(_ key: [UInt8], in data: [UInt8], from: Int, to: Int) -> String? {
        var i = from
        while i + key.count < to {
            var match = true
            for k in 0..<key.count where lower(data[i + k]) != key[k] { match = false; break }
            if !match { i += 1; continue }
            var j = i + key.count
            while j < to && (data[j] == 0x20 || data[j] == 0x09 || data[j] == 0x0A || data[j] == 0x0D) { j += 1 }
            guard j < to && data[j] == 0x3D else { i += 1; continue } // '='
            j += 1
            while j < to && (data[j] == 0x20 || data[j] == 0x09 || data[j] == 0x22 || data[j] == 0x27) { j += 1 }
            var e = j
            while e < to, data[e] < 0x80,
                  (data[e] >= 0x30 && data[e] <= 0x39) || (lower(data[e]) >= 0x61 && lower(data[e]) <= 0x7A)
                    || data[e] == 0x2D || data[e] == 0x5F || data[e] == 0x3A || data[e] == 0x2E { e += 1 }
            if e > j { return String(decoding: data[j..<e], as: UTF8.self) }
            i = j
        }
        return nil
    }

    /// Maps charset labels to the name handed to iconv.
    static func normalise(_ label: String) -> String {
        let l = label.lowercased()
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode":
            return "UTF-8" // HTML: a utf-16 label in a meta tag of a byte-readable file means UTF-8
        case "gbk", "gb2312", "gb_2312-80", "gb_2312", "gb18030", "x-gbk", "cp936", "windows-936",
             "ms936", "euc-cn", "csgb2312", "iso-ir-58", "chinese", "csiso58gb231280", "gb-2312":
            return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5": return "BIG5-HKSCS"
        default: return label.uppercased()
        }
    }

    /// Converts with glibc iconv; returns UTF-8 and the count of undecodable bytes (each
    /// replaced by U+FFFD), or nil when iconv does not know `charset`.
    static func convert(_ data: [UInt8], from charset: String) -> ([UInt8], Int)? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: data.count + data.count / 2 + 16)
        var produced = 0
        var errors = 0
        data.withUnsafeBufferPointer { inBuf in
            var inPtr = UnsafeMutablePointer<CChar>(mutating: UnsafeRawPointer(inBuf.baseAddress!)
                .assumingMemoryBound(to: CChar.self))
            var inLeft = inBuf.count
            while inLeft > 0 {
                var outLeft = out.count - produced
                let result: Int = out.withUnsafeMutableBufferPointer { outBuf in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                    let before = outLeft
                    let r = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                    inPtr = inOpt!
                    produced += before - outLeft
                    return r == -1 ? Int(errno) : 0
                }
                if result == 0 { break }
                if result == E2BIG {
                    out.append(contentsOf: repeatElement(0, count: max(64, out.count / 2)))
                } else if result == EILSEQ || result == EINVAL {
                    // Undecodable (or truncated) sequence: replace one byte and go on.
                    errors += 1
                    if out.count - produced < 3 { out.append(contentsOf: repeatElement(0, count: 64)) }
                    out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                    produced += 3
                    inPtr += 1
                    inLeft -= 1
                } else {
                    errors += inLeft
                    break
                }
            }
        }
        out.removeSubrange(produced...)
        return (out, errors)
    }

    /// Decodes UTF-16 to UTF-8; unpaired surrogates become U+FFFD, a trailing odd byte is dropped.
    static func decodeUTF16(_ data: [UInt8], from start: Int, littleEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity((data.count - start) / 2)
        var i = start
        while i + 1 < data.count {
            let a = UInt16(data[i]), b = UInt16(data[i + 1])
            units.append(littleEndian ? a | (b << 8) : (a << 8) | b)
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
