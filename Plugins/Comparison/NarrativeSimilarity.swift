import GongkaiPluginAPI

/// The narrative sections compared across years.
public enum NarrativeSection: String, Sendable, Hashable, CaseIterable {
    /// 一、总体情况.
    case overview = "总体情况"
    /// 五、存在的主要问题及改进情况.
    case problems = "存在的主要问题及改进情况"
    /// 六、其他需要报告的事项.
    case otherMatters = "其他需要报告的事项"
}

/// How similar one narrative section is between two reports.
///
/// The texts are normalised (whitespace and punctuation/symbols removed, every run of decimal
/// digits replaced by one `#`), cut into character 4-grams, and scored by **Jaccard**
/// similarity |A ∩ B| / |A ∪ B| (`score`); containment |A ∩ B| / min(|A|, |B|) is given too.
public struct SectionSimilarity: Sendable, Hashable {
    /// The section.
    public var section: NarrativeSection
    /// Jaccard similarity of the 4-gram sets in [0, 1]; nil when the section is missing in either report.
    public var score: Double?
    /// Containment of the smaller 4-gram set in the larger in [0, 1]; nil when the section is missing.
    public var containment: Double?
    /// Length (in normalised characters) of the longest passage common to both sections.
    public var longestCommonLength: Int
    /// The longest common passage in normalised form (digit runs shown as `#`).
    public var longestCommonNormalised: String
    /// The same passage as it reads in the earlier report (approximately: from its first to its last character).
    public var longestCommonOriginal: String
    /// Normalised length of the section in the earlier and in the later report (0 when missing).
    public var lengthA = 0, lengthB = 0
    /// The section text found in the earlier report (nil when missing).
    public var textA: String?
    /// The section text found in the later report (nil when missing).
    public var textB: String?
}

/// Section extraction and shingle similarity of narrative texts.
///
/// Works on Unicode scalars (not grapheme clusters): the texts are Chinese prose, where the
/// two agree, and scalar comparisons keep a comparison of two reports well under a millisecond
/// — it runs at ingest for every pair of consecutive reports.
public enum NarrativeSimilarity {
    /// Shingle length in characters.
    public static let shingleLength = 4
    /// Placeholder that replaces every digit run.
    public static let digitPlaceholder: Unicode.Scalar = "#"

    /// The first scalars of ``allHeadings`` (a handful: a linear search beats hashing each scalar of a text).
    static let headingFirsts: [Unicode.Scalar] = allHeadings.reduce(into: []) { firsts, title in
        if !firsts.contains(title[0]) { firsts.append(title[0]) }
    }

    /// A bit per ``headingFirsts`` scalar value modulo 64: most scalars of a text fail this
    /// one test before the list is searched.
    static let headingFirstMask: UInt64 = headingFirsts.reduce(0) { $0 | 1 << ($1.value & 63) }

    /// Title prefixes of the six template sections, used to find where a section ends.
    static let allHeadings = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请",
                              "政府信息公开行政复议", "因政府信息公开工作被申请行政复议",
                              "存在的主要问题及改进情况", "其他需要报告的事项"].map { Array($0.unicodeScalars) }

    /// Compares one section of two narrative texts.
    public static func compare(section: NarrativeSection, _ a: String, _ b: String) -> SectionSimilarity {
        compare(Prepared(a).section(section), Prepared(b).section(section), section: section)
    }

    /// Compares sections 一, 五 and 六 of two narrative texts (each text is scanned once).
    ///
    /// Without `texts`, `textA`, `textB` and `longestCommonNormalised` are left out (nil, nil
    /// and empty): the pair table made at ingest reads only the scores, lengths and passage.
    public static func compareAll(_ a: String, _ b: String, texts: Bool = true) -> [SectionSimilarity] {
        compareAll(Prepared(a), Prepared(b), texts: texts)
    }

    /// ``compareAll(_:_:texts:)`` of two prepared texts.
    public static func compareAll(_ a: Prepared, _ b: Prepared, texts: Bool = true) -> [SectionSimilarity] {
        NarrativeSection.allCases.map { compare(a.section($0), b.section($0), section: $0, texts: texts) }
    }

    /// One text's side of a comparison: for each section its scalars, normal form and
    /// shingles, made once. At ingest an agency's report is compared with the year before and
    /// then, as the earlier one, with the year after; preparing it once saves that second pass.
    public struct Prepared: Sendable {
        let sections: [Side?]

        /// Finds and prepares the sections of `text`.
        public init(_ text: String) {
            let found = Sections(text)
            sections = NarrativeSection.allCases.map { found.text($0).map(Side.init) }
        }

        /// The prepared section, nil when its heading is not in the text.
        func section(_ section: NarrativeSection) -> Side? {
            sections[NarrativeSection.allCases.firstIndex(of: section)!]
        }
    }

    /// A section's text, its normal form, and the normal form's shingles (nil when they cannot be packed).
    struct Side: Sendable {
        let text: ArraySlice<Unicode.Scalar>
        let normal: (chars: [Unicode.Scalar], origin: [Range<Int>])
        let shingles: [UInt64]?

        init(_ text: ArraySlice<Unicode.Scalar>) {
            self.text = text
            normal = normalise(text)
            shingles = planeShingles(normal.chars)
        }
    }

    /// Compares one section of two prepared texts (`section` names it in the result).
    static func compare(_ a: Side?, _ b: Side?, section: NarrativeSection, texts: Bool = true) -> SectionSimilarity {
        guard let a, let b else {
            return SectionSimilarity(section: section, score: nil, containment: nil, longestCommonLength: 0,
                                     longestCommonNormalised: "", longestCommonOriginal: "",
                                     textA: texts ? a.map { string($0.text) } : nil, textB: texts ? b.map { string($0.text) } : nil)
        }
        let ta = a.text, tb = b.text, na = a.normal, nb = b.normal
        let (j, c) = scores(a, b)
        let lcs = longestCommonSubstring(na.chars, nb.chars)
        var original = ""
        if lcs.length > 0 {
            let lo = na.origin[lcs.startA].lowerBound, hi = na.origin[lcs.startA + lcs.length - 1].upperBound
            original = string(ta[(ta.startIndex + lo)..<(ta.startIndex + hi)])
        }
        return SectionSimilarity(section: section, score: j, containment: c, longestCommonLength: lcs.length,
                                 longestCommonNormalised: texts ? string(na.chars[lcs.startA..<(lcs.startA + lcs.length)]) : "",
                                 longestCommonOriginal: original, lengthA: na.chars.count, lengthB: nb.chars.count,
                                 textA: texts ? string(ta) : nil, textB: texts ? string(tb) : nil)
    }

    /// The text of a section (after its heading up to the next section heading), nil when its heading is not found.
    ///
    /// A heading is its title preceded by a numbering mark (`、`, `.`, `．`, `）`) or at the start of a line,
    /// so numbering may vary and headings inside one long crawled paragraph are found.
    public static func sectionText(_ section: NarrativeSection, in text: String) -> String? {
        Sections(text).text(section).map(string)
    }

    /// A text's scalars and where each template heading occurs in it (found in one pass).
    struct Sections {
        let scalars: [Unicode.Scalar]
        /// Positions of each of ``allHeadings`` as a heading, in order.
        let positions: [[Int]]

        init(_ text: String) {
            let scalars = NarrativeSimilarity.scalars(of: text)
            self.scalars = scalars
            var found = [[Int]](repeating: [], count: allHeadings.count)
            for i in scalars.indices where headingFirstMask & (1 << (scalars[i].value & 63)) != 0 && headingFirsts.contains(scalars[i]) {
                for (h, title) in allHeadings.enumerated()
                where title[0] == scalars[i] && i + title.count <= scalars.count
                    && scalars[i..<(i + title.count)].elementsEqual(title) && isHeadingStart(i, in: scalars) {
                    found[h].append(i)
                }
            }
            positions = found
        }

        /// The section's body, nil when its heading is not found.
        func text(_ section: NarrativeSection) -> ArraySlice<Unicode.Scalar>? {
            let title = Array(section.rawValue.unicodeScalars)
            guard let h = allHeadings.firstIndex(of: title), let start = positions[h].first else { return nil }
            let bodyStart = start + title.count
            var end = scalars.count
            for p in positions {
                if let next = p.first(where: { $0 >= bodyStart }), next < end { end = backToNumbering(next, in: scalars) }
            }
            guard bodyStart <= end else { return nil }
            return scalars[bodyStart..<end]
        }
    }

    /// The scalars of a text, decoded from its UTF-8 in one pass into an array of the
    /// largest size they can need (appending each of `unicodeScalars`, or `Array(_:)`, which
    /// counts them first, took twice as long). A Swift string's UTF-8 is always valid.
    static func scalars(of text: String) -> [Unicode.Scalar] {
        var text = text
        return text.withUTF8 { u in
            [Unicode.Scalar](unsafeUninitializedCapacity: u.count) { out, count in
                var i = 0, n = 0
                while i < u.count {
                    let b = UInt32(u[i])
                    var v: UInt32
                    if b < 0x80 {
                        v = b; i += 1
                    } else if b < 0xE0 {
                        v = (b & 0x1F) << 6 | UInt32(u[i + 1] & 0x3F); i += 2
                    } else if b < 0xF0 {
                        v = (b & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F); i += 3
                    } else {
                        v = (b & 0x07) << 18 | UInt32(u[i + 1] & 0x3F) << 12 | UInt32(u[i + 2] & 0x3F) << 6 | UInt32(u[i + 3] & 0x3F)
                        i += 4
                    }
                    (out.baseAddress! + n).initialize(to: unsafeBitCast(v, to: Unicode.Scalar.self))
                    n += 1
                }
                count = n
            }
        }
    }

    /// The text of a run of scalars, encoded straight into the string's storage
    /// (`String.UnicodeScalarView.append` took a fifth of the comparison's time).
    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        String(unsafeUninitializedCapacity: scalars.count * 4) { out in
            var n = 0
            for s in scalars {
                UTF8.encode(s) { out[n] = $0; n += 1 }
            }
            return n
        }
    }

    /// Characters a section number is written with.
    static let numerals: Set<Unicode.Scalar> = Set("一二三四五六七八九十0123456789０１２３４５６７８９".unicodeScalars)
    static let spaces: Set<Unicode.Scalar> = [" ", "\t", "\u{3000}"]
    static let newlines: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
    static let numberingMarks: Set<Unicode.Scalar> = Set("、.．)）".unicodeScalars)
    static let numberingPrefix: Set<Unicode.Scalar> = Set("、.．)）（( \t\u{3000}一二三四五六七八九十0123456789".unicodeScalars)

    /// True when `i` starts a line or follows a section number (`五、`, `5.`, `（五）`), skipping spaces.
    /// A title in a list (`总体情况、主动公开…`) is therefore not a heading.
    static func isHeadingStart(_ i: Int, in chars: [Unicode.Scalar]) -> Bool {
        func skipSpaces(_ k: Int) -> Int {
            var j = k
            while j >= 0, spaces.contains(chars[j]) { j -= 1 }
            return j
        }
        let j = skipSpaces(i - 1)
        if j < 0 || newlines.contains(chars[j]) { return true }
        guard numberingMarks.contains(chars[j]) else { return false }
        let k = skipSpaces(j - 1)
        return k >= 0 && numerals.contains(chars[k])
    }

    /// Moves a heading position back over its numbering (`五、`, `（五）`, `5.`) so it is not part of the previous section.
    static func backToNumbering(_ i: Int, in chars: [Unicode.Scalar]) -> Int {
        var j = i
        while j > 0, numberingPrefix.contains(chars[j - 1]), i - j < 6 { j -= 1 }
        return j
    }

    /// Normalises a text: drops whitespace, punctuation and symbols; each decimal-digit run becomes one `#`.
    /// `origin[k]` is the range of original scalars that normalised scalar `k` came from.
    public static func normalise(_ text: String) -> (chars: [Unicode.Scalar], origin: [Range<Int>]) {
        normalise(Array(text.unicodeScalars)[...])
    }

    /// Normalises a run of scalars (offsets in `origin` count from the start of the slice).
    static func normalise(_ text: ArraySlice<Unicode.Scalar>) -> (chars: [Unicode.Scalar], origin: [Range<Int>]) {
        var chars: [Unicode.Scalar] = [], origin: [Range<Int>] = []
        chars.reserveCapacity(text.count)
        origin.reserveCapacity(text.count)
        var inDigits = false
        for (i, ch) in text.enumerated() {
            let kind = ScalarKind(ch)
            if kind == .dropped { continue }   // keeps a digit run going across `.` or `,`
            if kind == .digit {
                if inDigits, let last = origin.last {
                    origin[origin.count - 1] = last.lowerBound..<(i + 1)
                } else {
                    chars.append(digitPlaceholder)
                    origin.append(i..<(i + 1))
                    inDigits = true
                }
            } else {
                chars.append(ch)
                origin.append(i..<(i + 1))
                inDigits = false
            }
        }
        return (chars, origin)
    }

    /// What ``normalise(_:)`` does with a scalar. ASCII comes from a table and the CJK
    /// Unified Ideographs block (all letters) is kept without a property look-up: the
    /// narratives are mostly these, and Unicode property look-ups were a fifth of the
    /// comparison's time.
    enum ScalarKind {
        case dropped, digit, kept

        init(_ ch: Unicode.Scalar) {
            let v = ch.value
            if v < 0x80 { self = ScalarKind.ascii[Int(v)]; return }
            if v >= 0x4E00 && v <= 0x9FFF { self = .kept; return }
            self = ScalarKind(properties: ch.properties)
        }

        init(properties p: Unicode.Scalar.Properties) {
            if p.isWhitespace || isPunctuationOrSymbol(p.generalCategory) { self = .dropped }
            else if p.generalCategory == .decimalNumber { self = .digit }
            else { self = .kept }
        }

        static let ascii: [ScalarKind] = (0..<0x80).map { ScalarKind(properties: Unicode.Scalar(UInt8($0)).properties) }
    }

    static func isPunctuationOrSymbol(_ c: Unicode.GeneralCategory) -> Bool {
        switch c {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Jaccard and containment of the character-shingle sets of two texts (shingles of
    /// ``shingleLength`` characters, one shingle for a shorter text), computed on packed integers.
    public static func scores(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> (jaccard: Double, containment: Double) {
        guard let sa = planeShingles(a), let sb = planeShingles(b) else { return scoresByCodes(a, b) }
        return scores(sortedShingles: sa, sb)
    }

    /// ``scores(_:_:)`` of two prepared sections (their shingles made once).
    static func scores(_ a: Side, _ b: Side) -> (jaccard: Double, containment: Double) {
        guard let sa = a.shingles, let sb = b.shingles else { return scoresByCodes(a.normal.chars, b.normal.chars) }
        return scores(sortedShingles: sa, sb)
    }

    /// Jaccard and containment of two sorted lists of distinct shingles.
    static func scores(sortedShingles sa: [UInt64], _ sb: [UInt64]) -> (jaccard: Double, containment: Double) {
        // Both sorted and distinct: count the common ones in one merge.
        var i = 0, j = 0, common = 0
        while i < sa.count && j < sb.count {
            if sa[i] < sb[j] { i += 1 } else if sb[j] < sa[i] { j += 1 } else { common += 1; i += 1; j += 1 }
        }
        return scores(intersection: common, sa.count, sb.count)
    }

    /// The distinct shingles of a text of at least ``shingleLength`` scalars of the Basic
    /// Multilingual Plane, sorted, each packed from its scalars' own values (16 bits each:
    /// exact, and no code table to build); nil for any other text. (Sorting a section's few
    /// hundred shingles costs a third of hashing them into a set.)
    static func planeShingles(_ chars: [Unicode.Scalar]) -> [UInt64]? {
        guard chars.count >= shingleLength, chars.allSatisfy({ $0.value <= 0xFFFF }) else { return nil }
        var shingles: [UInt64] = []
        shingles.reserveCapacity(chars.count)
        var window: UInt64 = 0
        for (i, c) in chars.enumerated() {
            window = window << 16 | UInt64(c.value)
            if i >= shingleLength - 1 { shingles.append(window) }
        }
        shingles.sort()
        var n = 1
        for k in 1..<shingles.count where shingles[k] != shingles[n - 1] {
            shingles[n] = shingles[k]
            n += 1
        }
        shingles.removeLast(shingles.count - n)
        return shingles
    }

    /// ``scores(_:_:)`` through small codes shared by both texts (any text).
    static func scoresByCodes(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> (jaccard: Double, containment: Double) {
        var ids: [UInt32: UInt64] = [:]
        let ca = codes(a, &ids), cb = codes(b, &ids)
        let sa = packedShingles(ca, alphabet: ids.count), sb = packedShingles(cb, alphabet: ids.count)
        return scores(intersection: sa.intersection(sb).count, sa.count, sb.count)
    }

    /// Small integer codes (from 1) for the scalars, shared between texts through `ids`.
    static func codes(_ chars: [Unicode.Scalar], _ ids: inout [UInt32: UInt64]) -> [UInt64] {
        chars.map { c in
            if let v = ids[c.value] { return v }
            let v = UInt64(ids.count + 1)
            ids[c.value] = v
            return v
        }
    }
    /// Shingles as integers: the character codes of a shingle packed in base `alphabet + 1`
    /// (a text shorter than the shingle is one shingle; lengths differ so they cannot collide
    /// with full shingles, whose codes are all non-zero).
    static func packedShingles(_ codes: [UInt64], alphabet: Int) -> Set<UInt64> {
        guard !codes.isEmpty else { return [] }
        let base = UInt64(alphabet + 1)
        func pack(_ slice: ArraySlice<UInt64>) -> UInt64 { slice.reduce(0) { $0 &* base &+ $1 } }
        guard codes.count >= shingleLength else { return [pack(codes[...])] }
        var s = Set<UInt64>(minimumCapacity: codes.count)
        for i in 0...(codes.count - shingleLength) { s.insert(pack(codes[i..<(i + shingleLength)])) }
        return s
    }

    static func scores(intersection: Int, _ a: Int, _ b: Int) -> (jaccard: Double, containment: Double) {
        if a == 0 && b == 0 { return (1, 1) }
        let inter = Double(intersection)
        let union = Double(a + b) - inter
        let smaller = Double(min(a, b))
        return (union > 0 ? inter / union : 0, smaller > 0 ? inter / smaller : 0)
    }

    /// The longest common substring of two character arrays, from a suffix automaton of `b`
    /// (linear time). Among equally long passages the one earliest in `a` is returned, at its
    /// earliest place in `b`.
    public static func longestCommonSubstring(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> (startA: Int, startB: Int, length: Int) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 0, 0) }
        let found = SuffixAutomaton(b.map(\.value)).longestCommon(with: a.map(\.value))
        return (found.startOther, found.startText, found.length)
    }
}
