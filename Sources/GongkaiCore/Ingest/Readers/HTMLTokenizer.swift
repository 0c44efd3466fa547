#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A tag or entity name of up to 16 bytes packed into two words, for allocation-free lookup.
struct NameKey: Hashable, Sendable {
    var a: UInt64
    var b: UInt64

    /// A key from its two words.
    init(a: UInt64, b: UInt64) {
        self.a = a
        self.b = b
    }

    /// Packs `buf[from..<to]`; nil when empty or longer than 16 bytes.
    @inline(__always)
    init?(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        let n = to - from
        guard n > 0 && n <= 16 else { return nil }
        var a: UInt64 = 0, b: UInt64 = 0
        for i in 0..<n {
            let c = buf[from + i]
            if i < 8 { a |= UInt64(c) << UInt64(8 * i) } else { b |= UInt64(c) << UInt64(8 * (i - 8)) }
        }
        self.a = a
        self.b = b
    }

    /// Packs a literal name (table construction only).
    init(_ name: String) {
        let bytes = Array(name.utf8)
        let key = bytes.withUnsafeBufferPointer { NameKey($0, 0, $0.count) }
        self = key!
    }
}

/// A small open-addressing hash table keyed by ``NameKey`` (cheaper than `Dictionary`'s
/// seeded hashing on the tokenizer's hot path).
struct NameTable<Value: Sendable>: Sendable {
    private var keys: [NameKey]
    private var values: [Value?]
    private let mask: Int

    init(_ pairs: [(NameKey, Value)]) {
        var size = 16
        while size < pairs.count * 4 { size *= 2 }
        mask = size - 1
        keys = [NameKey](repeating: NameKey(a: 0, b: 0), count: size)
        values = [Value?](repeating: nil, count: size)
        for (k, v) in pairs {
            var i = NameTable.slot(k, mask)
            while values[i] != nil && keys[i] != k { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }

    @inline(__always)
    private static func slot(_ k: NameKey, _ mask: Int) -> Int {
        let h = (k.a &* 0x9E37_79B9_7F4A_7C15) ^ (k.b &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: h >> 40) & mask
    }

    @inline(__always)
    subscript(_ k: NameKey) -> Value? {
        var i = NameTable.slot(k, mask)
        while let v = values[i] {
            if keys[i] == k { return v }
            i = (i + 1) & mask
        }
        return nil
    }
}

/// The HTML elements the reader treats specially; everything else is `.other` (inline).
enum HTMLTag: UInt8, Sendable, CaseIterable {
    case other
    case html, head, body, title, meta
    case script, style, noscript, template, xmp, iframe, noembed, noframes, textarea
    case table, caption, colgroup, col, thead, tbody, tfoot, tr, td, th
    case br, pre, listing
    case p, div, h1, h2, h3, h4, h5, h6, li, ul, ol, dl, dt, dd
    case section, article, aside, nav, header, footer, main, blockquote, address, center
    case figure, figcaption, form, fieldset, legend, details, summary, hr, hgroup, menu, dir
    case option, dialog, plaintext

    /// Block-level elements: their start and end split paragraphs (and vanish inside cells).
    var isBlock: Bool { rawValue >= HTMLTag.p.rawValue || self == .html || self == .head || self == .body }

    /// Elements whose content is skipped entirely (raw text that is not report text).
    var dropsContent: Bool { rawValue >= HTMLTag.script.rawValue && rawValue <= HTMLTag.noframes.rawValue }

    /// Elements whose content is text only (no tags inside), kept: `title`, `textarea`.
    @inline(__always)
    var isRCDATA: Bool { self == .title || self == .textarea }

    /// The lower-case name of a raw-text element (``dropsContent`` or ``isRCDATA``), for
    /// finding its end tag; a static string, so no String is made per element.
    var rawTextName: StaticString {
        switch self {
        case .script: "script"
        case .style: "style"
        case .noscript: "noscript"
        case .template: "template"
        case .xmp: "xmp"
        case .iframe: "iframe"
        case .noembed: "noembed"
        case .noframes: "noframes"
        case .title: "title"
        case .textarea: "textarea"
        default: ""
        }
    }

    /// Looks up a tag name case-insensitively.
    ///
    /// Every known name is lower-case letters and digits, so setting bit 0x20 of each byte (a
    /// word at a time) lower-cases a name well enough: the only bytes it wrongly maps into that
    /// alphabet are controls 0x10...0x19 (to digits), which only `h1`...`h6` contain and are
    /// checked there.
    @inline(__always)
    static func lookup(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> HTMLTag {
        let n = to &- from
        // The common case inline: a name of up to 8 bytes with 8 bytes readable at its start.
        guard n > 0 && n <= 8 && from &+ 8 <= buf.count, let base = buf.baseAddress else {
            return lookupAnyLength(buf, from, to)
        }
        let word = UInt64(littleEndian: UnsafeRawPointer(base + from).loadUnaligned(as: UInt64.self))
        let mask: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(8 &* n)) &- 1
        return checkedHeading(shortName((word | 0x2020_2020_2020_2020) & mask), buf, from)
    }

    /// ``lookup(_:_:_:)`` for names near the end of the input or longer than 8 bytes.
    private static func lookupAnyLength(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> HTMLTag {
        let n = to - from
        guard n > 0 && n <= 10 else { return .other }
        let low = foldedWord(buf, from, min(n, 8))
        if n > 8 { return longName(low, foldedWord(buf, from + 8, n - 8)) }
        return checkedHeading(shortName(low), buf, from)
    }

    /// `tag`, unless it is `h1`...`h6` reached by folding a control byte into the digit.
    @inline(__always)
    private static func checkedHeading(_ tag: HTMLTag, _ buf: UnsafeBufferPointer<UInt8>, _ from: Int) -> HTMLTag {
        if tag.rawValue &- HTMLTag.h1.rawValue <= HTMLTag.h6.rawValue &- HTMLTag.h1.rawValue && buf[from + 1] < 0x30 { return .other }
        return tag
    }

    /// The element named by up to 8 bytes folded by ``foldedWord(_:_:_:)`` (little-endian:
    /// `0x6474` is "td"); a switch on constants costs a few comparisons, less than hashing.
    private static func shortName(_ word: UInt64) -> HTMLTag {
        switch word {
        case 0x6C6D7468: .html // "html"
        case 0x64616568: .head // "head"
        case 0x79646F62: .body // "body"
        case 0x656C746974: .title // "title"
        case 0x6174656D: .meta // "meta"
        case 0x747069726373: .script // "script"
        case 0x656C797473: .style // "style"
        case 0x7470697263736F6E: .noscript // "noscript"
        case 0x6574616C706D6574: .template // "template"
        case 0x706D78: .xmp // "xmp"
        case 0x656D61726669: .iframe // "iframe"
        case 0x6465626D656F6E: .noembed // "noembed"
        case 0x73656D6172666F6E: .noframes // "noframes"
        case 0x6165726174786574: .textarea // "textarea"
        case 0x656C626174: .table // "table"
        case 0x6E6F6974706163: .caption // "caption"
        case 0x70756F72676C6F63: .colgroup // "colgroup"
        case 0x6C6F63: .col // "col"
        case 0x6461656874: .thead // "thead"
        case 0x79646F6274: .tbody // "tbody"
        case 0x746F6F6674: .tfoot // "tfoot"
        case 0x7274: .tr // "tr"
        case 0x6474: .td // "td"
        case 0x6874: .th // "th"
        case 0x7262: .br // "br"
        case 0x657270: .pre // "pre"
        case 0x676E697473696C: .listing // "listing"
        case 0x70: .p // "p"
        case 0x766964: .div // "div"
        case 0x3168: .h1 // "h1"
        case 0x3268: .h2 // "h2"
        case 0x3368: .h3 // "h3"
        case 0x3468: .h4 // "h4"
        case 0x3568: .h5 // "h5"
        case 0x3668: .h6 // "h6"
        case 0x696C: .li // "li"
        case 0x6C75: .ul // "ul"
        case 0x6C6F: .ol // "ol"
        case 0x6C64: .dl // "dl"
        case 0x7464: .dt // "dt"
        case 0x6464: .dd // "dd"
        case 0x6E6F6974636573: .section // "section"
        case 0x656C6369747261: .article // "article"
        case 0x6564697361: .aside // "aside"
        case 0x76616E: .nav // "nav"
        case 0x726564616568: .header // "header"
        case 0x7265746F6F66: .footer // "footer"
        case 0x6E69616D: .main // "main"
        case 0x73736572646461: .address // "address"
        case 0x7265746E6563: .center // "center"
        case 0x657275676966: .figure // "figure"
        case 0x6D726F66: .form // "form"
        case 0x746573646C656966: .fieldset // "fieldset"
        case 0x646E6567656C: .legend // "legend"
        case 0x736C6961746564: .details // "details"
        case 0x7972616D6D7573: .summary // "summary"
        case 0x7268: .hr // "hr"
        case 0x70756F726768: .hgroup // "hgroup"
        case 0x756E656D: .menu // "menu"
        case 0x726964: .dir // "dir"
        case 0x6E6F6974706F: .option // "option"
        case 0x676F6C616964: .dialog // "dialog"
        default: .other
        }
    }

    /// The element named by 9 or 10 bytes, given as two folded words (see ``shortName(_:)``).
    private static func longName(_ low: UInt64, _ high: UInt64) -> HTMLTag {
        switch (low, high) {
        case (0x6F75716B636F6C62, 0x6574): .blockquote // "blockquote"
        case (0x6974706163676966, 0x6E6F): .figcaption // "figcaption"
        case (0x7865746E69616C70, 0x74): .plaintext // "plaintext"
        default: .other
        }
    }

    /// `count` (1...8) bytes at `at` as a little-endian word, each with bit 0x20 set.
    @inline(__always)
    private static func foldedWord(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> UInt64 {
        var w: UInt64 = 0
        if at + 8 <= buf.count {
            w = UInt64(littleEndian: UnsafeRawPointer(buf.baseAddress! + at).loadUnaligned(as: UInt64.self))
        } else {
            for k in 0..<count { w |= UInt64(buf[at + k]) << UInt64(8 * k) }
        }
        let mask: UInt64 = count >= 8 ? ~0 : (1 << UInt64(8 * count)) - 1
        return (w | 0x2020_2020_2020_2020) & mask
    }
}

/// One token of markup: a text run, a start tag, an end tag, or a CDATA section (XML mode).
struct HTMLToken {
    /// What the token is.
    enum Kind: UInt8 { case text, startTag, endTag, cdata }
    var kind: Kind
    /// The element, for tags in HTML mode (`.other` for unknown names and in XML mode).
    var tag: HTMLTag = .other
    /// Offset of the first byte (`<` for tags).
    var start: Int
    /// Offset one past the last byte (`>` for tags).
    var end: Int
    /// The tag name's byte range.
    var nameStart = 0, nameEnd = 0
    /// The attribute region's byte range (between the name and `>`).
    var attrStart = 0, attrEnd = 0
    /// The tag ended with `/>`.
    var selfClosing = false
}

@inline(__always) func isHTMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

/// A forgiving, linear-time tokenizer over UTF-8 bytes.
///
/// Follows the HTML5 tokenizer where it matters (comments, bogus comments, `<!...>`, `<?...>`,
/// quoted attribute values, an unfinished tag at end of file is dropped, a `<` that does not
/// start a tag is text). In HTML mode the content of `script`/`style`/`noscript`/`template`/
/// `xmp`/`iframe`/`noembed`/`noframes` is skipped and `title`/`textarea` content is text only.
/// In XML mode (used for DOCX) names are not interpreted and CDATA sections become tokens.
struct HTMLTokenizer {
    let buf: UnsafeBufferPointer<UInt8>
    let xml: Bool
    private(set) var pos: Int
    private var rcdata: HTMLTag = .other
    private var queued: HTMLToken?
    private var rcdataEndMissing: Set<UInt8> = []

    init(_ buf: UnsafeBufferPointer<UInt8>, start: Int = 0, xml: Bool = false) {
        self.buf = buf
        self.xml = xml
        self.pos = min(max(start, 0), buf.count)
    }

    /// Offset of the next `byte` at or after `from`, or `buf.count`.
    @inline(__always)
    func find(_ byte: UInt8, from: Int) -> Int {
        guard from < buf.count, let base = buf.baseAddress else { return buf.count }
        guard let p = memchr(base + from, Int32(byte), buf.count - from) else { return buf.count }
        return UnsafeRawPointer(p) - UnsafeRawPointer(base)
    }

    /// Returns the next token, or nil at end of input. Inlined into the readers' loops: the
    /// token then stays in registers instead of being copied out and in again. Only text and
    /// ordinary tags are read here; whatever else follows a `<`, and the content of a raw-text
    /// element, is left to functions called out of line, keeping the inlined loop small.
    @inline(__always)
    mutating func next() -> HTMLToken? {
        if rcdata != .other || queued != nil { return rawTextToken() }
        let n = buf.count
        while pos < n {
            let start = pos
            if buf[pos] != 0x3C { // text up to the next '<'
                pos = find(0x3C, from: pos)
                return HTMLToken(kind: .text, start: start, end: pos)
            }
            guard pos + 1 < n else { pos = n; return HTMLToken(kind: .text, start: start, end: n) }
            let c = buf[pos + 1]
            if isASCIILetter(c) || (xml && (c == 0x5F || c >= 0x80)) {
                guard var t = scanTag(at: pos, isEnd: false) else { continue }
                if !xml {
                    t.tag = HTMLTag.lookup(buf, t.nameStart, t.nameEnd)
                    if t.tag.dropsContent {
                        skipContent(of: t.tag)
                        continue
                    }
                    if t.tag.isRCDATA && !t.selfClosing && !rcdataEndMissing.contains(t.tag.rawValue) { rcdata = t.tag }
                }
                return t
            }
            if c == 0x2F && pos + 2 < n && (isASCIILetter(buf[pos + 2]) || (xml && (buf[pos + 2] == 0x5F || buf[pos + 2] >= 0x80))) {
                guard var t = scanTag(at: pos, isEnd: true) else { continue }
                if !xml { t.tag = HTMLTag.lookup(buf, t.nameStart, t.nameEnd) }
                return t
            }
            if let t = otherMarkup(at: start, after: c) { return t }
        }
        return nil
    }

    /// The token after a raw-text or RCDATA start tag (its text, then its end tag, the latter
    /// queued), or a queued token.
    private mutating func rawTextToken() -> HTMLToken? {
        if let q = queued { queued = nil; return q }
        let tag = rcdata
        rcdata = .other
        if let e = findEndTag(tag.rawTextName, from: pos) {
            let textStart = pos
            if var endTag = scanTag(at: e, isEnd: true) {
                endTag.tag = tag
                if e > textStart {
                    queued = endTag
                    return HTMLToken(kind: .text, start: textStart, end: e)
                }
                return endTag
            }
            // The end tag is unfinished at end of file: the text before it still counts.
            if e > textStart { return HTMLToken(kind: .text, start: textStart, end: e) }
            return nil
        }
        rcdataEndMissing.insert(tag.rawValue) // tokenise the rest normally
        return next()
    }

    /// Skips an element whose content is dropped (`script`, `style`, ...), its end tag included.
    private mutating func skipContent(of tag: HTMLTag) {
        let n = buf.count
        if let e = findEndTag(tag.rawTextName, from: pos) {
            pos = e
            if scanTag(at: e, isEnd: true) == nil { pos = n }
        } else {
            pos = n
        }
    }

    /// What a `<` at `start` that opens no ordinary tag starts (`c` follows it): a comment,
    /// `<!...>`, `<?...>` or `</...>` that is skipped (nil, `pos` moved past it), a CDATA
    /// section (XML mode), or text.
    private mutating func otherMarkup(at start: Int, after c: UInt8) -> HTMLToken? {
        let n = buf.count
        if c == 0x2F { // '/' not followed by a name
            if pos + 2 >= n { pos = n; return HTMLToken(kind: .text, start: start, end: n) }
            pos = find(0x3E, from: pos + 2) + 1 // "</>" or a bogus comment
            return nil
        }
        if c == 0x21 { // '!'
            if pos + 3 < n && buf[pos + 2] == 0x2D && buf[pos + 3] == 0x2D { skipComment(); return nil }
            if xml, pos + 8 < n, buf[pos + 2] == 0x5B, buf[pos + 3] == 0x43 { // "<![C" → CDATA
                let contentStart = pos + 9
                var e = contentStart
                while true {
                    e = find(0x5D, from: e)
                    if e + 2 >= n { e = n; break }
                    if buf[e + 1] == 0x5D && buf[e + 2] == 0x3E { break }
                    e += 1
                }
                pos = min(n, e + 3)
                return HTMLToken(kind: .cdata, start: start, end: pos, attrStart: min(contentStart, e), attrEnd: e)
            }
            pos = min(n, find(0x3E, from: pos + 2) + 1) // doctype, <![if ...]>, bogus comment
            return nil
        }
        if c == 0x3F { // '?': processing instruction / bogus comment
            pos = min(n, find(0x3E, from: pos + 2) + 1)
            return nil
        }
        // A '<' that starts nothing is text, up to the next '<'.
        pos = find(0x3C, from: pos + 1)
        return HTMLToken(kind: .text, start: start, end: pos)
    }

    /// Skips `<!-- ... -->` (also `<!-->`, `<!--->` and `--!>`); an unclosed comment runs to EOF.
    private mutating func skipComment() {
        let n = buf.count
        var i = pos + 4
        if i < n && buf[i] == 0x3E { pos = i + 1; return }
        if i + 1 < n && buf[i] == 0x2D && buf[i + 1] == 0x3E { pos = i + 2; return }
        while true {
            i = find(0x2D, from: i)
            if i + 2 >= n { pos = n; return }
            if buf[i + 1] == 0x2D {
                if buf[i + 2] == 0x3E { pos = i + 3; return }
                if buf[i + 2] == 0x21 && i + 3 < n && buf[i + 3] == 0x3E { pos = i + 4; return }
            }
            i += 1
        }
    }

    /// Scans a tag starting at `at` (`<` or `</`). Returns nil, consuming the rest of the input,
    /// when the tag is unfinished at end of file (HTML5 drops such a tag).
    @inline(__always)
    private mutating func scanTag(at: Int, isEnd: Bool) -> HTMLToken? {
        let n = buf.count
        var i = at + (isEnd ? 2 : 1)
        let nameStart = i
        while i < n {
            let b = buf[i]
            if b <= 0x3E && (isHTMLSpace(b) || b == 0x2F || b == 0x3E) { break }
            i += 1
        }
        if i < n && buf[i] == 0x3E { // no attributes (`<p>`, `</td>`): most tags
            pos = i + 1
            return HTMLToken(kind: isEnd ? .endTag : .startTag, start: at, end: i + 1,
                             nameStart: nameStart, nameEnd: i, attrStart: i, attrEnd: i)
        }
        return scanAttributes(at: at, isEnd: isEnd, nameStart: nameStart, nameEnd: i)
    }

    /// The rest of ``scanTag(at:isEnd:)`` for a tag with something after its name.
    private mutating func scanAttributes(at: Int, isEnd: Bool, nameStart: Int, nameEnd: Int) -> HTMLToken? {
        let n = buf.count
        var i = nameEnd
        var afterEquals = false
        while i < n {
            let b = buf[i]
            if b == 0x3E { break }
            if b == 0x3D { afterEquals = true; i += 1; continue }
            if (b == 0x22 || b == 0x27) && afterEquals {
                let q = find(b, from: i + 1)
                if q >= n { i = n; break }
                i = q + 1
                afterEquals = false
                continue
            }
            if !isHTMLSpace(b) { afterEquals = false }
            i += 1
        }
        if i >= n { pos = n; return nil }
        pos = i + 1
        let selfClosing = i > nameEnd && buf[i - 1] == 0x2F || (i == nameEnd && i > nameStart && buf[i - 1] == 0x2F)
        return HTMLToken(kind: isEnd ? .endTag : .startTag, start: at, end: i + 1,
                         nameStart: nameStart, nameEnd: nameEnd, attrStart: nameEnd, attrEnd: i,
                         selfClosing: selfClosing)
    }

    /// Offset of the `<` of the next `</name` (case-insensitive, followed by space, `/` or `>`).
    private func findEndTag(_ staticName: StaticString, from: Int) -> Int? {
        let n = buf.count
        let name = UnsafeBufferPointer(start: staticName.utf8Start, count: staticName.utf8CodeUnitCount)
        var i = from
        while true {
            i = find(0x3C, from: i)
            if i + 2 + name.count > n { return nil }
            if buf[i + 1] == 0x2F {
                var ok = true
                for k in 0..<name.count where asciiLower(buf[i + 2 + k]) != name[k] { ok = false; break }
                if ok {
                    let after = i + 2 + name.count
                    if after == n || isHTMLSpace(buf[after]) || buf[after] == 0x2F || buf[after] == 0x3E { return i }
                }
            }
            i += 1
        }
    }
}

/// Reads the attributes of a tag token from the input bytes; apart from ``HTMLTokenizer`` so
/// that a reader asks it without copying the tokenizer (a call on the tokenizer it holds did).
struct TagAttributes {
    let buf: UnsafeBufferPointer<UInt8>

    /// Calls `body` with the name range and value range (nil for a bare attribute) of each
    /// attribute of a tag, in order, until it returns false. Forgiving like browsers: quoted or
    /// unquoted values, stray slashes, unterminated quotes.
    @inline(__always)
    func forEachAttribute(of t: HTMLToken, _ body: (Range<Int>, Range<Int>?) -> Bool) {
        var i = t.attrStart
        let end = t.attrEnd
        while i < end {
            while i < end && (isHTMLSpace(buf[i]) || buf[i] == 0x2F) { i += 1 }
            let ns = i
            while i < end && !isHTMLSpace(buf[i]) && buf[i] != 0x3D && buf[i] != 0x2F { i += 1 }
            let ne = i
            var j = i
            while j < end && isHTMLSpace(buf[j]) { j += 1 }
            var value: Range<Int>?
            if j < end && buf[j] == 0x3D {
                j += 1
                while j < end && isHTMLSpace(buf[j]) { j += 1 }
                if j < end && (buf[j] == 0x22 || buf[j] == 0x27) {
                    let q = buf[j]
                    let vs = j + 1
                    j = vs
                    while j < end && buf[j] != q { j += 1 }
                    value = vs..<j
                    if j < end { j += 1 }
                } else {
                    let vs = j
                    while j < end && !isHTMLSpace(buf[j]) { j += 1 }
                    value = vs..<j
                }
                i = j
            }
            if ne > ns && !body(ns..<ne, value) { return }
            if ne == ns && i == ns { i += 1 }
        }
    }

    /// The value of attribute `name` (lower-case ASCII, compared case-insensitively) of a tag,
    /// as a byte range; nil when absent. A bare attribute yields an empty range.
    func attribute(_ name: [UInt8], of t: HTMLToken) -> Range<Int>? {
        var found: Range<Int>?
        forEachAttribute(of: t) { n, v in
            guard n.count == name.count, matches(n.lowerBound, name) else { return true }
            found = v ?? n.upperBound..<n.upperBound
            return false
        }
        return found
    }

    /// `colspan` and `rowspan` of a cell tag in one pass over its attributes; inlined, so that
    /// a cell tag without attributes (`<td>`, common in generated pages) costs one comparison.
    @inline(__always)
    func spanAttributes(of t: HTMLToken) -> (colspan: Int?, rowspan: Int?) {
        guard t.attrEnd > t.attrStart else { return (nil, nil) }
        return scanSpanAttributes(of: t)
    }

    /// ``spanAttributes(of:)`` for a tag with something after its name.
    private func scanSpanAttributes(of t: HTMLToken) -> (colspan: Int?, rowspan: Int?) {
        var colspan: Int?, rowspan: Int?
        forEachAttribute(of: t) { n, v in
            if n.count == 7, let v, asciiLower(buf[n.lowerBound + 4]) == 0x70 /* p */ {
                let c0 = asciiLower(buf[n.lowerBound])
                if c0 == 0x63 && matches(n.lowerBound, TagAttributes.colspanName) { colspan = colspan ?? integer(in: v) }
                else if c0 == 0x72 && matches(n.lowerBound, TagAttributes.rowspanName) { rowspan = rowspan ?? integer(in: v) }
            }
            return true
        }
        return (colspan, rowspan)
    }

    private static let colspanName = Array("colspan".utf8)
    private static let rowspanName = Array("rowspan".utf8)

    @inline(__always)
    private func matches(_ at: Int, _ name: [UInt8]) -> Bool {
        for k in 0..<name.count where asciiLower(buf[at + k]) != name[k] { return false }
        return true
    }

    /// Reads a non-negative integer like browsers do (leading spaces, digits, junk after the
    /// digits ignored); nil when there are no digits.
    func integer(in r: Range<Int>) -> Int? {
        var i = r.lowerBound
        while i < r.upperBound && isHTMLSpace(buf[i]) { i += 1 }
        if i < r.upperBound && buf[i] == 0x2B { i += 1 }
        var value = 0, digits = 0
        while i < r.upperBound, buf[i] >= 0x30, buf[i] <= 0x39 {
            if value < 1_000_000 { value = value * 10 + Int(buf[i] - 0x30) }
            i += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// Parses a non-negative integer attribute like browsers do (leading spaces, digits, junk
    /// after the digits ignored); nil when absent or not a number.
    func integerAttribute(_ name: [UInt8], of t: HTMLToken) -> Int? {
        guard let r = attribute(name, of: t) else { return nil }
        return integer(in: r)
    }
}
