// Helpers shared by the HTML and DOCX readers: character references, text normalisation
// and turning collected rows into `TableRow`s.

/// HTML character references (named, decimal, hex).
enum HTMLEntities {
    /// Latin-1 names for U+00A0...U+00FF, in code point order.
    private static let latin1 = """
        nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn \
        sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave \
        Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml \
        ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN \
        szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave \
        iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute \
        ucirc uuml yacute thorn yuml
        """

    /// Other names with their code points (HTML 4 set plus common HTML5 punctuation names).
    private static let others = """
        quot 34 amp 38 apos 39 lt 60 gt 62 QUOT 34 AMP 38 LT 60 GT 62 COPY 169 REG 174 \
        Tab 9 NewLine 10 excl 33 num 35 dollar 36 percnt 37 lpar 40 rpar 41 ast 42 plus 43 \
        comma 44 period 46 sol 47 colon 58 semi 59 equals 61 quest 63 commat 64 lsqb 91 lbrack 91 \
        bsol 92 rsqb 93 rbrack 93 Hat 94 lowbar 95 grave 96 lcub 123 lbrace 123 verbar 124 vert 124 \
        rcub 125 rbrace 125 OElig 338 oelig 339 Scaron 352 scaron 353 Yuml 376 fnof 402 circ 710 \
        tilde 732 Alpha 913 Beta 914 Gamma 915 Delta 916 Epsilon 917 Zeta 918 Eta 919 Theta 920 \
        Iota 921 Kappa 922 Lambda 923 Mu 924 Nu 925 Xi 926 Omicron 927 Pi 928 Rho 929 Sigma 931 \
        Tau 932 Upsilon 933 Phi 934 Chi 935 Psi 936 Omega 937 alpha 945 beta 946 gamma 947 \
        delta 948 epsilon 949 zeta 950 eta 951 theta 952 iota 953 kappa 954 lambda 955 mu 956 nu 957 \
        xi 958 omicron 959 pi 960 rho 961 sigmaf 962 sigma 963 tau 964 upsilon 965 phi 966 chi 967 \
        psi 968 omega 969 thetasym 977 upsih 978 piv 982 ensp 8194 emsp 8195 emsp13 8196 \
        emsp14 8197 numsp 8199 puncsp 8200 thinsp 8201 hairsp 8202 ZeroWidthSpace 8203 zwnj 8204 \
        zwj 8205 lrm 8206 rlm 8207 hyphen 8208 dash 8208 ndash 8211 mdash 8212 horbar 8213 \
        Verbar 8214 lsquo 8216 rsquo 8217 sbquo 8218 ldquo 8220 rdquo 8221 bdquo 8222 dagger 8224 \
        Dagger 8225 bull 8226 nldr 8229 hellip 8230 permil 8240 prime 8242 Prime 8243 lsaquo 8249 \
        rsaquo 8250 oline 8254 frasl 8260 NoBreak 8288 euro 8364 image 8465 weierp 8472 real 8476 \
        trade 8482 alefsym 8501 larr 8592 uarr 8593 rarr 8594 darr 8595 harr 8596 crarr 8629 \
        lArr 8656 uArr 8657 rArr 8658 dArr 8659 hArr 8660 forall 8704 part 8706 exist 8707 \
        empty 8709 nabla 8711 isin 8712 notin 8713 ni 8715 prod 8719 sum 8721 minus 8722 \
        lowast 8727 radic 8730 prop 8733 infin 8734 ang 8736 and 8743 or 8744 cap 8745 cup 8746 \
        int 8747 there4 8756 sim 8764 cong 8773 asymp 8776 ne 8800 equiv 8801 le 8804 ge 8805 \
        sub 8834 sup 8835 nsub 8836 sube 8838 supe 8839 oplus 8853 otimes 8855 perp 8869 sdot 8901 \
        lceil 8968 rceil 8969 lfloor 8970 rfloor 8971 lang 9001 rang 9002 loz 9674 spades 9824 \
        clubs 9827 hearts 9829 diams 9830 check 10003 cross 10007 star 9734 starf 9733 \
        square 9633 rect 9645 cir 9675 bigcirc 9711 phone 9742 female 9792 male 9794
        """

    /// Windows-1252 meanings of numeric references &#128;...&#159; (HTML5).
    private static let cp1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static let table: NameTable<UInt32> = {
        var d: [(NameKey, UInt32)] = []
        var code: UInt32 = 0xA0
        for name in latin1.split(separator: " ") { d.append((NameKey(String(name)), code)); code += 1 }
        let parts = others.split(separator: " ")
        var i = 0
        while i + 1 < parts.count {
            d.append((NameKey(String(parts[i])), UInt32(parts[i + 1])!))
            i += 2
        }
        return NameTable(d)
    }()

    /// Decodes the reference starting at `buf[at] == "&"` (not past `end`). Returns the scalar
    /// and the number of bytes consumed, or nil when it is not a reference (a literal `&`).
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> (UInt32, Int)? {
        var i = at + 1
        guard i < end else { return nil }
        if buf[i] == 0x23 { // '#'
            i += 1
            var hex = false
            if i < end && (buf[i] | 0x20) == 0x78 { hex = true; i += 1 }
            var value: UInt32 = 0
            var digits = 0
            while i < end {
                let c = buf[i]
                var d: UInt32
                if c >= 0x30 && c <= 0x39 { d = UInt32(c - 0x30) }
                else if hex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 { d = UInt32((c | 0x20) - 0x61 + 10) }
                else { break }
                value = min(value &* (hex ? 16 : 10) &+ d, 0x110000)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if i < end && buf[i] == 0x3B { i += 1 }
            switch value {
            case 0, 0xD800...0xDFFF, 0x110000...: value = 0xFFFD
            case 0x80...0x9F: value = cp1252[Int(value - 0x80)]
            default: break
            }
            return (value, i - at)
        }
        let nameStart = i
        while i < end && i - nameStart < 32 {
            let c = buf[i]
            if isASCIILetter(c) || (c >= 0x30 && c <= 0x39) { i += 1 } else { break }
        }
        let nameEnd = i
        guard nameEnd > nameStart else { return nil }
        // `&nbsp;`, by far the commonest reference in report pages, without the table.
        if nameEnd - nameStart == 4 && buf[nameStart] == 0x6E && buf[nameStart + 1] == 0x62
            && buf[nameStart + 2] == 0x73 && buf[nameStart + 3] == 0x70 {
            return (0xA0, nameEnd - at + ((nameEnd < end && buf[nameEnd] == 0x3B) ? 1 : 0))
        }
        if let key = NameKey(buf, nameStart, nameEnd), let v = table[key] {
            return (v, nameEnd - at + ((nameEnd < end && buf[nameEnd] == 0x3B) ? 1 : 0))
        }
        // Legacy references without ';' match as a prefix ("&nbspx"), as in browsers.
        var len = min(nameEnd - nameStart, 6)
        while len >= 2 {
            if let key = NameKey(buf, nameStart, nameStart + len), let v = table[key], v <= 0xFF {
                return (v, 1 + len)
            }
            len -= 1
        }
        return nil
    }
}

/// Collects text for one paragraph or cell: decodes references, drops invisible characters,
/// collapses whitespace runs to one space and trims, all without creating intermediate Strings.
///
/// Whitespace is ASCII space/tab/CR/LF/FF, other C0 controls, NBSP, U+3000 and the Unicode
/// spaces; U+200B, U+2060, U+FEFF and soft hyphens vanish. As in CSS (segment break
/// transformation), a run containing a line feed between two East Asian wide characters
/// vanishes, so `本年新\n制作数量` in a source file reads `本年新制作数量`.
struct TextAccumulator {
    private var bytes: [UInt8] = []
    /// The first run of plain text while nothing else has been collected, left in the input
    /// instead of copied into `bytes`: most cells and many paragraphs are one run, and their
    /// String is then made straight from the input (the run is copied as soon as more follows).
    private var runBase: UnsafePointer<UInt8>?
    private var runCount = 0
    private var pendingSpace = false
    private var pendingBreak = false
    private var pendingHard = false
    private var afterBoundary = false
    private var lastWide = false
    /// Span bookkeeping for the owner (offsets and lines of first and last contributing bytes).
    var start = -1, startLine = 0, end = 0, endLine = 0
    /// Where a block element that opened this text started (used as the span start).
    var openStart = -1, openLine = 0

    /// True when some visible text has been collected.
    var hasText: Bool { runCount > 0 || !bytes.isEmpty }

    /// A block boundary: surrounding whitespace vanishes and the pieces join with nothing, or
    /// with one space when `space` is true (and text exists on both sides).
    mutating func boundary(space: Bool = false) {
        pendingSpace = space && hasText
        pendingBreak = false
        pendingHard = space
        afterBoundary = true
    }

    /// Returns the text and resets the accumulator (span bookkeeping included).
    ///
    /// Text collected from valid UTF-8 (`validInput`) is valid: runs are whole scalars, and
    /// references and replaced sequences are encoded scalars. Its string is then made without
    /// validating it again; otherwise invalid sequences become U+FFFD.
    mutating func take(validInput: Bool = false) -> String {
        let s: String
        if runCount > 0 {
            let run = UnsafeBufferPointer(start: runBase, count: runCount)
            s = validInput ? ValidUTF8.string(validated: run) : String(decoding: run, as: UTF8.self)
            runCount = 0
        } else if bytes.isEmpty {
            s = ""
        } else {
            s = validInput ? bytes.withUnsafeBufferPointer(ValidUTF8.string(validated:)) : String(decoding: bytes, as: UTF8.self)
            bytes.removeAll(keepingCapacity: true)
        }
        pendingSpace = false; pendingBreak = false; pendingHard = false; afterBoundary = false; lastWide = false
        start = -1; openStart = -1
        return s
    }

    @inline(__always)
    private mutating func whitespace(isBreak: Bool, hard: Bool) {
        guard hasText && !afterBoundary else { return }
        pendingSpace = true
        if isBreak { pendingBreak = true }
        if hard { pendingHard = true }
    }

    @inline(__always)
    private mutating func beforeVisible(wide: Bool) {
        if runCount > 0 { // more text follows the first run: collect it in `bytes` from now on
            bytes.append(contentsOf: UnsafeBufferPointer(start: runBase, count: runCount))
            runCount = 0
        }
        if pendingSpace {
            if !(pendingBreak && !pendingHard && lastWide && wide) { bytes.append(0x20) }
            pendingSpace = false; pendingBreak = false; pendingHard = false
        }
        afterBoundary = false
        lastWide = wide
    }

    /// Appends one scalar (from a character reference or a decoded byte sequence).
    mutating func append(scalar s: UInt32) {
        if s < 0x80 {
            let b = UInt8(s)
            if b <= 0x20 || b == 0x7F { whitespace(isBreak: b == 0x0A || b == 0x0D, hard: false); return }
            beforeVisible(wide: false)
            bytes.append(b)
            return
        }
        switch s {
        case 0x80...0x9F: whitespace(isBreak: s == 0x85, hard: false); return
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: whitespace(isBreak: false, hard: true); return
        case 0x2028, 0x2029: whitespace(isBreak: true, hard: false); return
        case 0xAD, 0x200B, 0x2060, 0xFEFF: return
        default: break
        }
        beforeVisible(wide: TextAccumulator.isWide(s))
        if s < 0x800 {
            bytes.append(UInt8(0xC0 | (s >> 6))); bytes.append(UInt8(0x80 | (s & 0x3F)))
        } else if s < 0x10000 {
            bytes.append(UInt8(0xE0 | (s >> 12))); bytes.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (s & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (s >> 18))); bytes.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((s >> 6) & 0x3F))); bytes.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    /// Whether `buf[at...]` starts a three-byte character, other than those of lead bytes
    /// E4–E9 (taken before), that a run of plain text may hold: a visible one, copied as it is
    /// when decoded one by one. Leads E3 and EA–EF except ED (whose sequences with any two
    /// continuation bytes are valid scalars); not U+3000 (a space) nor U+FEFF (invisible).
    @inline(__always)
    private static func isPlainThreeByte(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, to: Int) -> Bool {
        let b = buf[i]
        guard b == 0xE3 || (b &- 0xEA <= 0xEF - 0xEA && b != 0xED), i &+ 2 < to else { return false }
        let c1 = buf[i &+ 1], c2 = buf[i &+ 2]
        guard c1 & 0xC0 == 0x80, c2 & 0xC0 == 0x80 else { return false }
        if b == 0xE3 { return c1 != 0x80 || c2 != 0x80 }
        if b == 0xEF { return c1 != 0xBB || c2 != 0xBF }
        return true
    }

    /// The wideness of a character of a plain run starting at `buf[at]`, as the characters
    /// are classed one by one: ASCII is narrow, lead bytes E4–E9 wide, others by ``isWide(_:)``.
    @inline(__always)
    private static func runCharacterIsWide(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let b = buf[i]
        if b < 0x80 { return false }
        if b &- 0xE4 <= 0xE9 - 0xE4 { return true }
        return isWide(UInt32(b & 0x0F) << 12 | UInt32(buf[i &+ 1] & 0x3F) << 6 | UInt32(buf[i &+ 2] & 0x3F))
    }

    /// East Asian wide/fullwidth scalars (Hangul excluded, as CSS does for segment breaks).
    static func isWide(_ s: UInt32) -> Bool {
        switch s {
        case 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default: return false
        }
    }

    /// Appends the UTF-8 text `buf[from..<to]`, decoding references when `entities` is true.
    /// Returns the offset of the first visible character appended, or -1 if none was.
    mutating func append(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int, entities: Bool) -> Int {
        var first = -1
        var i = from
        let amp: UInt8 = entities ? 0x26 : 0x00
        while i < to {
            // Fast path: a run of plain characters (printable ASCII and the three-byte ones that
            // are neither spaces nor invisible: CJK ideographs, CJK and fullwidth punctuation)
            // is copied in one go. Only the wideness of its first and last character matters.
            let runStart = i
            while i < to {
                let b = buf[i]
                if b &- 0xE4 <= 0xE9 - 0xE4 {
                    guard i &+ 2 < to, buf[i &+ 1] & 0xC0 == 0x80, buf[i &+ 2] & 0xC0 == 0x80 else { break }
                    i &+= 3
                } else if b &- 0x21 < 0x7F - 0x21 && b != amp {
                    i &+= 1
                } else if TextAccumulator.isPlainThreeByte(buf, at: i, to: to) {
                    i &+= 3
                } else {
                    break
                }
            }
            if i > runStart {
                let firstWide = TextAccumulator.runCharacterIsWide(buf, at: runStart)
                let runWide = buf[i - 1] >= 0x80 && TextAccumulator.runCharacterIsWide(buf, at: i - 3)
                if !hasText { // the first run stays in the input (see `runBase`)
                    runBase = buf.baseAddress! + runStart
                    runCount = i - runStart
                    afterBoundary = false
                    lastWide = runWide
                    if first < 0 { first = runStart }
                    continue
                }
                beforeVisible(wide: firstWide)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                lastWide = runWide
                if first < 0 { first = runStart }
                continue
            }
            let b = buf[i]
            if b < 0x80 {
                if b == 0x26 {
                    if let (scalar, len) = HTMLEntities.decode(buf, at: i, end: to) {
                        let before = bytes.count
                        append(scalar: scalar)
                        if first < 0 && bytes.count > before { first = i }
                        i += len
                        continue
                    }
                    beforeVisible(wide: false)
                    bytes.append(b)
                    if first < 0 { first = i }
                } else {
                    whitespace(isBreak: b == 0x0A || b == 0x0D, hard: false)
                }
                i += 1
                continue
            }
            // Other multi-byte UTF-8: decode the scalar to classify it, copy the bytes.
            var need = 0
            var s: UInt32 = 0
            if b >= 0xC2 && b <= 0xDF { need = 1; s = UInt32(b & 0x1F) }
            else if b >= 0xE0 && b <= 0xEF { need = 2; s = UInt32(b & 0x0F) }
            else if b >= 0xF0 && b <= 0xF4 { need = 3; s = UInt32(b & 0x07) }
            var ok = need > 0 && i + need < to
            if ok {
                for k in 1...need {
                    let c = buf[i + k]
                    if c & 0xC0 != 0x80 { ok = false; break }
                    s = (s << 6) | UInt32(c & 0x3F)
                }
            }
            if !ok {
                append(scalar: 0xFFFD)
                if first < 0 { first = i }
                i += 1
                continue
            }
            if s == 0xA0 || s == 0x3000 || s == 0x85 || (s >= 0x2000 && s <= 0x206F) || s == 0xAD || s == 0xFEFF
                || s == 0x1680 || s < 0xA0 {
                let before = bytes.count
                append(scalar: s)
                if first < 0 && bytes.count > before { first = i }
            } else {
                beforeVisible(wide: TextAccumulator.isWide(s))
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i...(i + need)]))
                if first < 0 { first = i }
            }
            i += need + 1
        }
        return first
    }
}

/// Collects rows of one table, group by group (HTML `thead`/`tbody`/`tfoot`; a DOCX table is
/// one group), and turns them into `TableRow`s: rows without cells are dropped and every
/// cell's row span is recounted over the rows that remain and clipped to its group.
///
/// Cells arrive as `TableCell`s whose `rowSpan` is the declared one, counted in the row group
/// (0 meaning "to the group's end"); ``endGroup()`` rewrites it in place, so a row's cells
/// array is built once and handed on as it is.
struct TableAssembler {
    private(set) var rows: [TableRow] = []
    private var group: [TableRow] = []

    /// Rows collected so far in the current group (including rows without cells).
    var groupRowCount: Int { group.count }

    /// Adds a row to the current group, taking `cells` and leaving it empty (with room for
    /// as many cells, at least eight, for the next row: a row of one heading cell is often
    /// followed by wider rows).
    mutating func add(cells: inout [TableCell], span: SourceSpan) {
        let count = cells.count
        // Room for a report table's rows at once, instead of growing from one row by doubling.
        if group.capacity == 0 { group.reserveCapacity(16) }
        group.append(TableRow(cells: cells, span: span))
        cells = []
        cells.reserveCapacity(max(count, 8))
    }

    /// Mutates a pending cell of the current group (DOCX vertical merges grow the origin cell).
    mutating func updateCell(row: Int, cell: Int, _ body: (inout TableCell) -> Void) {
        guard row >= 0 && row < group.count && cell >= 0 && cell < group[row].cells.count else { return }
        body(&group[row].cells[cell])
    }

    /// Ends the current row group.
    mutating func endGroup() {
        guard !group.isEmpty else { return }
        let count = group.count
        // Rows kept before each row; only counted when some row has no cells.
        var keptBefore: [Int] = []
        if group.contains(where: { $0.cells.isEmpty }) {
            keptBefore = [Int](repeating: 0, count: count + 1)
            for r in 0..<count { keptBefore[r + 1] = keptBefore[r] + (group[r].cells.isEmpty ? 0 : 1) }
        }
        for r in 0..<count where !group[r].cells.isEmpty {
            group[r].cells.withUnsafeMutableBufferPointer { cells in
                for k in cells.indices {
                    let rowSpan = cells[k].rowSpan
                    // A cell of one row keeps its spans when no row is dropped (most cells).
                    if rowSpan == 1 && keptBefore.isEmpty && cells[k].columnSpan >= 1 { continue }
                    let endRow = rowSpan <= 0 ? count : min(count, r + rowSpan)
                    cells[k].rowSpan = max(1, keptBefore.isEmpty ? endRow - r : keptBefore[endRow] - keptBefore[r])
                    if cells[k].columnSpan < 1 { cells[k].columnSpan = 1 }
                }
            }
        }
        if keptBefore.isEmpty && rows.isEmpty {
            swap(&rows, &group)
        } else if keptBefore.isEmpty {
            rows.append(contentsOf: group)
        } else {
            for r in 0..<count where !group[r].cells.isEmpty { rows.append(group[r]) }
        }
        group.removeAll(keepingCapacity: true)
    }

    /// Ends the table and returns its rows.
    mutating func finish() -> [TableRow] {
        endGroup()
        return rows
    }
}

extension TextAccumulator {
    /// Records where the text starts: at an opening block tag if one was noted, else at `offset`.
    mutating func begin(at offset: Int, line: Int) {
        if openStart >= 0 { start = openStart; startLine = openLine } else { start = offset; startLine = line }
    }

    /// Records that the text (or its element) ends before `offset`, its last byte on `line`.
    mutating func extend(to offset: Int, line: Int) {
        end = offset
        endLine = line
    }

    /// The span from the first to the last contributing byte.
    var span: SourceSpan { SourceSpan(line: startLine, endLine: max(startLine, endLine), byteStart: start, byteEnd: end) }
}

extension Document {
    /// True when some paragraph or cell has text.
    static func anyText(in blocks: [Block]) -> Bool {
        for b in blocks {
            switch b {
            case .paragraph(let p): if !p.text.isEmpty { return true }
            case .table(let t): for r in t.rows { for c in r.cells where !c.text.isEmpty { return true } }
            }
        }
        return false
    }
}

/// UTF-8 bytes known to be valid (checked once, as the file was decoded), whose pieces
/// become strings without the validation `String(decoding:as:)` repeats for every piece:
/// that costs about ten instructions a byte of CJK text, copying a piece costs one.
struct ValidUTF8 {
    /// The bytes: valid UTF-8, as long as the owner keeps them alive.
    let bytes: UnsafeBufferPointer<UInt8>

    /// The string of `bytes[range]`, a range that starts and ends on scalar boundaries.
    @inline(__always)
    func string(_ range: Range<Int>) -> String {
        Self.string(validated: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// The string of `piece`, which must be valid UTF-8: a string made from invalid bytes
    /// breaks the string's invariants.
    static func string(validated piece: UnsafeBufferPointer<UInt8>) -> String {
        String(copying: UTF8Span(unchecked: piece.span, isKnownASCII: isASCII(piece)))
    }

    /// Whether every byte is ASCII, eight at a time: the string records it (as the validating
    /// initialisers do), and later work on the string takes faster paths. Up to 15 bytes the
    /// string is a small one, which works this out itself: that test is inlined, so most
    /// cells and labels cost no call.
    @inline(__always)
    private static func isASCII(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        piece.count > 15 && isLongASCII(piece)
    }

    /// ``isASCII(_:)`` of a piece of more than 15 bytes.
    private static func isLongASCII(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = piece.baseAddress else { return false }
        var i = 0, any: UInt64 = 0
        while i + 8 <= piece.count {
            any |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < piece.count { any |= UInt64(base[i]); i += 1 }
        return any & 0x8080_8080_8080_8080 == 0
    }
}
