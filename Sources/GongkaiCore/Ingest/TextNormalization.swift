/// Text helpers shared by the readers and the matcher: whitespace that real reports use
/// (NBSP, ideographic space) and the label normal form the matcher compares.
enum TextNormalization {
    /// Whitespace as reports print it: ASCII, NBSP, ideographic space, zero-width characters.
    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0x200B, 0x200C, 0x200D, 0xFEFF, 0x2002...0x200A, 0x202F, 0x205F:
            return true
        default:
            return false
        }
    }

    /// The label normal form: no whitespace, full-width ASCII folded to half-width
    /// (`（一）` → `(一)`, `１` → `1`), a few look-alike marks unified.
    ///
    /// Works on UTF-8 bytes: this runs on every label and paragraph of every report.
    static func label(_ text: some StringProtocol) -> String {
        let normal = text.utf8.withContiguousStorageIfAvailable { labelIfChanged(utf8: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { labelIfChanged(utf8: $0) }
        return normal ?? String(text)
    }

    /// ``label(_:)`` of a string, returning the string itself when it is already in normal
    /// form (all printable ASCII, or no byte the normal form changes): no new string is made.
    static func label(_ text: String) -> String {
        let normal = text.utf8.withContiguousStorageIfAvailable { utf8 -> String? in
            if utf8.allSatisfy({ $0 < 0x80 && !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) { return nil }
            return labelIfChanged(utf8: utf8)
        } ?? Array(text.utf8).withUnsafeBufferPointer { labelIfChanged(utf8: $0) }
        return normal ?? text
    }

    /// The UTF-8 bytes of ``label(_:)`` (no string is made).
    static func labelUTF8(_ text: String) -> [UInt8] {
        text.utf8.withContiguousStorageIfAvailable { labelUTF8(bytes: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { labelUTF8(bytes: $0) }
    }

    /// ``labelUTF8(_:)`` of (valid) UTF-8 bytes. A short text is rewritten in a stack buffer
    /// and copied into the array: an array made with uninitialized room goes through an
    /// unspecialized allocation that costs as much as normalising a short text. A long one
    /// (stack space beyond 1 KiB is checked at a cost) is written straight into the array.
    private static func labelUTF8(bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return [] }
        guard bytes.count > 1024 else {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
                guard let written = writeLabel(bytes, into: buffer.baseAddress!) else { return Array(bytes) }
                return Array(UnsafeBufferPointer(rebasing: buffer[..<written]))
            }
        }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, count in
            if let written = writeLabel(bytes, into: out.baseAddress!) {
                count = written
            } else {
                out.baseAddress!.initialize(from: source, count: bytes.count)
                count = bytes.count
            }
        }
    }

    /// Appends the label normal form of (valid) UTF-8 bytes to `out`: the bytes are copied
    /// and rewritten where they lie (the normal form only drops bytes or replaces a scalar by
    /// one byte, so what is written never overtakes what is still to be read), so a label
    /// costs no buffer or string of its own.
    static func appendLabel(of bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard bytes.count > 0 else { return }
        let start = out.count
        out.append(contentsOf: bytes)
        let written = out.withUnsafeMutableBufferPointer { all in
            let copy = all.baseAddress! + start
            return writeLabel(UnsafeBufferPointer(start: copy, count: bytes.count), into: copy)
        }
        if let written { out.removeLast(bytes.count - written) }
    }

    /// The label normal form of (valid) UTF-8 bytes as a string, or nil when it is the
    /// bytes themselves: for callers that have the bytes' string, or make it only when
    /// needed. A short text is rewritten in a stack buffer, so only the string is
    /// allocated (stack space beyond 1 KiB is checked at a cost: longer texts use an array).
    /// The normal form replaces whole scalars of valid UTF-8 by ASCII bytes or nothing, so it
    /// is valid too: the string is made without validating its bytes again.
    static func labelIfChanged(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count > 0 else { return nil }
        guard bytes.count <= 1024 else {
            let normal = labelUTF8(bytes: bytes)
            return normal.count == bytes.count ? nil : normal.withUnsafeBufferPointer(ValidUTF8.string(validated:))
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
            writeLabel(bytes, into: buffer.baseAddress!).map { ValidUTF8.string(validated: UnsafeBufferPointer(rebasing: buffer[..<$0])) }
        }
    }

    /// The number of scalars of `text`: its bytes that start one (no continuation byte).
    static func scalarCount(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { b in
            var n = 0
            for c in b { n &+= c & 0xC0 == 0x80 ? 0 : 1 }
            return n
        } ?? text.unicodeScalars.count
    }

    /// The value and length of the scalar whose (valid) UTF-8 encoding starts at `i`.
    @inline(__always)
    static func decodeScalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        // One branch per length, no loop: this decodes every scalar of most texts.
        let lead = b[i]
        if lead < 0xC0 { return (UInt32(lead), 1) }
        let c1 = UInt32(b[i + 1] & 0x3F)
        if lead < 0xE0 { return (UInt32(lead & 0x1F) << 6 | c1, 2) }
        let c2 = UInt32(b[i + 2] & 0x3F)
        if lead < 0xF0 { return (UInt32(lead & 0x0F) << 12 | c1 << 6 | c2, 3) }
        return (UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | UInt32(b[i + 3] & 0x3F), 4)
    }

    /// The value and start of the scalar whose (valid) UTF-8 encoding ends right before
    /// `end` (> 0): what comes before a match found by a byte search.
    @inline(__always)
    static func decodeScalar(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> (value: UInt32, start: Int) {
        var start = end - 1
        while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
        return (decodeScalar(b, at: start).value, start)
    }

    /// Whether the label normal form of `text` is empty (`label(text).isEmpty`), deciding
    /// without making the string when the text starts with a printable ASCII character (a
    /// number, mostly) or is all ASCII whitespace.
    static func labelIsEmpty(_ text: String) -> Bool {
        for b in text.utf8 {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { continue }
            if b < 0x80 { return false }
            return label(text).isEmpty
        }
        return true
    }

    /// A rewrite of UTF-8 bytes into `out` (room for as many bytes as the source) that
    /// writes nothing until the first change. Bytes not replaced are kept: they are copied in
    /// runs, when the next change (or the end) comes, not one sequence at a time.
    private struct Rewrite {
        let source: UnsafeBufferPointer<UInt8>
        let out: UnsafeMutablePointer<UInt8>
        /// Bytes written to `out`.
        var count = 0
        /// Whether any byte was replaced or dropped.
        var changed = false
        /// Where the kept run not yet copied to `out` starts.
        var pending = 0

        /// Replaces `source[range]` with `byte` (nothing when nil).
        @inline(__always)
        mutating func replace(_ range: Range<Int>, with byte: UInt8?) {
            changed = true
            copyKept(upTo: range.lowerBound)
            if let byte { out[count] = byte; count += 1 }
            pending = range.upperBound
        }

        /// Copies the kept bytes from `pending` up to `end`.
        @inline(__always)
        private mutating func copyKept(upTo end: Int) {
            guard pending < end else { return }
            UnsafeMutableRawPointer(out + count).copyMemory(from: source.baseAddress! + pending, byteCount: end - pending)
            count += end - pending
        }

        /// The number of bytes written, with the last kept run copied; nil when nothing
        /// changed (and nothing was written).
        mutating func finish() -> Int? {
            guard changed else { return nil }
            copyKept(upTo: source.count)
            return count
        }
    }

    /// Writes the label normal form of `bytes` into `out` (room for `bytes.count`): the
    /// number of bytes written, or nil when the normal form is `bytes` itself.
    private static func writeLabel(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        var w = Rewrite(source: bytes, out: out)
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { w.replace(i..<(i + 1), with: nil) }
                i += 1
                continue
            }
            // CJK ideographs (U+4E00–U+9FFF, lead bytes E4–E9), most of a report, are kept.
            if b >= 0xE4 && b <= 0xE9 && i + 3 <= n { i = afterIdeographs(bytes, from: i + 3); continue }
            // A sequence: its lead byte and as many of the bytes it announces as there are.
            let count = min(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2, n - i)
            let r = i..<(i + count)
            defer { i += count }
            if count == 2 && b == 0xC2 {
                let b1 = bytes[i + 1]
                if b1 == 0xA0 { w.replace(r, with: nil); continue }                   // NBSP
                if b1 == 0xB7 { w.replace(r, with: 0x2E); continue }                  // middle dot
            } else if count == 3 && b >= 0xE0 && b < 0xF0 {
                let (b1, b2) = (bytes[i + 1], bytes[i + 2])
                switch b {
                case 0xEF:
                    // U+FF01…U+FF5E full-width ASCII: EF BC 81…EF BD 9E.
                    if b1 == 0xBC && b2 >= 0x81 { w.replace(r, with: b2 - 0x81 + 0x21); continue }
                    if b1 == 0xBD && b2 <= 0x9E { w.replace(r, with: b2 - 0x80 + 0x60); continue }
                    if b1 == 0xBB && b2 == 0xBF { w.replace(r, with: nil); continue }                 // BOM
                    if b1 == 0xB9 && b2 == 0xA3 { w.replace(r, with: 0x2D); continue }                // small hyphen-minus
                case 0xE3:
                    if b1 == 0x80 && b2 == 0x80 { w.replace(r, with: nil); continue }                 // ideographic space
                    if b1 == 0x83 && b2 == 0xBB { w.replace(r, with: 0x2E); continue }                // katakana middle dot
                case 0xE2:
                    if b1 == 0x80 {
                        if (b2 >= 0x82 && b2 <= 0x8D) || b2 == 0xAF { w.replace(r, with: nil); continue }  // spaces, zero-width
                        if b2 >= 0x93 && b2 <= 0x95 { w.replace(r, with: 0x2D); continue }               // dashes
                        if b2 == 0xA7 { w.replace(r, with: 0x2E); continue }
                    }
                    if b1 == 0x81 && b2 == 0x9F { w.replace(r, with: nil); continue }
                    if b1 == 0x88 && b2 == 0x92 { w.replace(r, with: 0x2D); continue }                // minus sign
                default: break
                }
            }
        }
        return w.finish()
    }

    /// A scalar after which a character always ends: not a prepended mark (those, in
    /// U+0600–U+0DFF and beyond the BMP, join the next character).
    @inline(__always)
    static func neverJoinsNext(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x600 || (c.value >= 0xE00 && c.value <= 0xFFFF)
    }

    /// A scalar that never extends the character before it (ASCII and Latin-1, CJK
    /// ideographs, CJK and general punctuation, full-width forms: no combining or spacing
    /// marks and no joiners among them). Other scalars may or may not; callers then fall back
    /// to splitting by characters.
    @inline(__always)
    static func neverJoinsPrevious(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0..<0x300, 0x2010...0x2027, 0x3000...0x3029, 0x4E00...0x9FFF, 0xFF00...0xFF9D: return true
        default: return false
        }
    }

    /// `String(text.prefix(n))`, its first `n` characters. While the scalars are ones that
    /// always form a character of their own next to each other (``neverJoinsPrevious(_:)``
    /// minus CR, which joins a following LF), characters are scalars and no grapheme
    /// breaking is needed; otherwise the character view decides.
    static func prefix(_ text: String, characters n: Int) -> String {
        // No more bytes than `n`: no more characters either.
        if text.utf8.count <= n { return text }
        let cut = text.utf8.withContiguousStorageIfAvailable { b -> Int? in
            var count = 0, i = 0
            while i < b.count {
                let (value, length) = decodeScalar(b, at: i)
                // Scalar n is checked too: it must not join the n-th character.
                guard value != 0x0D, let s = Unicode.Scalar(value), neverJoinsPrevious(s) else { return nil }
                if count == n { return i }
                count += 1
                i += length
            }
            return b.count
        }
        switch cut {
        case .some(.some(let end)): return end == text.utf8.count ? text : String(decoding: text.utf8.prefix(end), as: UTF8.self)
        default: return String(text.prefix(n))
        }
    }

    /// `text.hasPrefix(prefix)`, decided on UTF-8 bytes while the scalars compared are plain
    /// (ASCII, CJK ideographs, full-width forms: none has a canonical decomposition or joins
    /// the scalar before it, so each is a character of its own and characters are equal
    /// exactly when their scalars are). The text has the prefix when its scalars are the
    /// prefix's and the scalar after them cannot join the last
    /// (``TextNormalization/neverJoinsPrevious(_:)``); it has not when they differ at a plain
    /// scalar, or it ends first. Anything else is left to the character comparison, which
    /// costs more (in the metadata reader, more than the rest of parsing a title).
    static func hasPrefix(_ text: some StringProtocol, _ prefix: String) -> Bool {
        @inline(__always) func plain(_ v: UInt32) -> Bool { v < 0x80 && v != 0x0D || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xFF01 && v <= 0xFF5E) }
        let decided = text.utf8.withContiguousStorageIfAvailable { t in
            prefix.utf8.withContiguousStorageIfAvailable { p -> Bool? in
                var i = 0
                while i < p.count {
                    guard i < t.count else { return false }
                    let (ts, length) = TextNormalization.decodeScalar(t, at: i)
                    let (ps, _) = TextNormalization.decodeScalar(p, at: i)
                    guard plain(ts), plain(ps) else { return nil }
                    if ts != ps { return false }
                    i += length
                }
                guard i < t.count else { return true }
                guard let next = Unicode.Scalar(TextNormalization.decodeScalar(t, at: i).value),
                      TextNormalization.neverJoinsPrevious(next) else { return nil }
                return true
            }
        }
        if case .some(.some(.some(let answer))) = decided { return answer }
        return text.hasPrefix(prefix)
    }

    /// `text.hasSuffix(suffix)`, decided on bytes when the suffix is all CJK ideographs
    /// (U+4E00–U+9FFF, the 3-byte sequences led by E4–E9) and the text ends in one.
    ///
    /// Such an ideograph has no decomposition, combining class 0 and no canonical equivalent
    /// in that block, and two of them are never one character (only a prepended mark before
    /// one joins it). So when the text ends in an ideograph other than the suffix's last one,
    /// or ends in as many ideographs as the suffix has but not the same, it cannot end in the
    /// suffix; when it ends in the same ones, it does, unless the scalar before them may join
    /// the first. Anything else is left to the character comparison.
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let decided = text.utf8.withContiguousStorageIfAvailable { t in
            suffix.utf8.withContiguousStorageIfAvailable { s in ideographSuffix(t, s) }
        }
        if case .some(.some(.some(let answer))) = decided { return answer }
        return text.hasSuffix(suffix)
    }

    /// ``hasSuffix(_:_:)`` on UTF-8 bytes; nil when the bytes do not decide.
    private static func ideographSuffix(_ t: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> Bool? {
        @inline(__always) func isIdeographLead(_ b: UInt8) -> Bool { b >= 0xE4 && b <= 0xE9 }
        let n = t.count, m = s.count
        guard m > 0, m % 3 == 0, n >= 3 else { return nil }
        for j in stride(from: 0, to: m, by: 3) where !isIdeographLead(s[j]) { return nil }
        // The text's last scalar is an ideograph (a lead byte three from the end).
        guard isIdeographLead(t[n - 3]) else { return nil }
        if t[n - 3] != s[m - 3] || t[n - 2] != s[m - 2] || t[n - 1] != s[m - 1] { return false }
        guard n >= m else { return nil }
        let start = n - m
        for j in stride(from: start, to: n, by: 3) where !isIdeographLead(t[j]) { return nil }
        for j in 0..<m where t[start + j] != s[j] { return false }
        guard start > 0 else { return true }
        var lead = start - 1
        while lead > 0 && t[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard let before = Unicode.Scalar(decodeScalar(t, at: lead).value), neverJoinsNext(before) else { return nil }
        return true
    }

    /// Folds one scalar: full-width forms to ASCII, look-alike dots and colons.
    @inline(__always)
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
        switch v {
        case 0x2212, 0x2013, 0x2014, 0x2015, 0xFE63: return "-"   // minus and dashes
        case 0x00B7, 0x2027, 0x30FB: return "."                      // middle dots used as item dots
        default: return s
        }
    }

    /// Collapses runs of whitespace to one ASCII space and trims both ends.
    static func collapseSpaces(_ text: some StringProtocol) -> String {
        if let s = text.utf8.withContiguousStorageIfAvailable({ collapseSpaces(utf8: $0) }) { return s }
        return Array(text.utf8).withUnsafeBufferPointer { collapseSpaces(utf8: $0) }
    }

    /// ``collapseSpaces(_:)`` on (valid) UTF-8 bytes: whitespace scalars are recognised by
    /// their encodings, every other scalar is copied as it is.
    static func collapseSpaces(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > 0 else { return "" }
        // The result is never longer than the input: write it straight into the string.
        return String(unsafeUninitializedCapacity: bytes.count) { collapseSpaces(utf8: bytes, into: $0) }
    }

    /// ``collapseSpaces(utf8:)`` written into `out` (at least as long as `bytes`): the
    /// number of bytes written.
    static func collapseSpaces(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        var count = 0
        var pendingSpace = false
        var i = 0
        while i < n {
            let space = spaceLength(bytes, at: i)
            if space > 0 { pendingSpace = count > 0; i += space; continue }
            if pendingSpace { out[count] = 0x20; count += 1; pendingSpace = false }
            // Copy the run of scalars up to the next whitespace in one piece.
            let runStart = i
            repeat {
                let b = bytes[i]
                i += min(b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2, n - i)
                // CJK ideographs (lead bytes E4–E9) are never whitespace.
                i = afterIdeographs(bytes, from: i)
            } while i < n && spaceLength(bytes, at: i) == 0
            UnsafeMutableRawPointer(out.baseAddress! + count).copyMemory(from: bytes.baseAddress! + runStart, byteCount: i - runStart)
            count += i - runStart
        }
        return count
    }

    /// The offset after the CJK ideographs (U+4E00–U+9FFF: three bytes led by E4–E9) that
    /// follow one another from `i` on, `i` itself when none starts there. Most of a report's
    /// text is runs of them, which the scans looking for other characters step over: two are
    /// looked at per step.
    @inline(__always)
    static func afterIdeographs(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        @inline(__always) func isLead(_ c: UInt8) -> Bool { c &- 0xE4 < 6 }
        var i = i
        let n = b.count
        while i + 6 <= n && isLead(b[i]) && isLead(b[i + 3]) { i += 6 }
        if i + 3 <= n && isLead(b[i]) { i += 3 }
        return i
    }

    /// The length in bytes of the whitespace scalar (see ``isSpace(_:)``) encoded at `i`, or 0.
    @inline(__always)
    static func spaceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 1 : 0 }
        let n = b.count
        switch c {
        case 0xC2:
            return i + 1 < n && b[i + 1] == 0xA0 ? 2 : 0                           // U+00A0
        case 0xE3:
            return i + 2 < n && b[i + 1] == 0x80 && b[i + 2] == 0x80 ? 3 : 0         // U+3000
        case 0xE2:
            guard i + 2 < n else { return 0 }
            let (c1, c2) = (b[i + 1], b[i + 2])
            if c1 == 0x80 && ((c2 >= 0x82 && c2 <= 0x8D) || c2 == 0xAF) { return 3 } // U+2002…U+200D, U+202F
            return c1 == 0x81 && c2 == 0x9F ? 3 : 0                                  // U+205F
        case 0xEF:
            return i + 2 < n && b[i + 1] == 0xBB && b[i + 2] == 0xBF ? 3 : 0         // U+FEFF
        default:
            return 0
        }
    }

    /// The string of `scalars`, encoded straight to UTF-8 (appending scalars to a
    /// `String.UnicodeScalarView` one by one costs several times more).
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count * 3)
        for s in scalars { appendUTF8(s, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 encoding of `s`.
    @inline(__always)
    static func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        let v = s.value
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
