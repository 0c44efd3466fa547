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
    /// The section text found in the earlier report (nil when missing).
    public var textA: String?
    /// The section text found in the later report (nil when missing).
    public var textB: String?
}

/// Section extraction and shingle similarity of narrative texts.
public enum NarrativeSimilarity {
    /// Shingle length in characters.
    public static let shingleLength = 4
    /// Placeholder that replaces every digit run.
    public static let digitPlaceholder: Character = "#"

    /// Title prefixes of the six template sections, used to find where a section ends.
    static let allHeadings = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请",
                              "政府信息公开行政复议", "因政府信息公开工作被申请行政复议",
                              "存在的主要问题及改进情况", "其他需要报告的事项"]

    /// Compares one section of two narrative texts.
    public static func compare(section: NarrativeSection, _ a: String, _ b: String) -> SectionSimilarity {
        let ta = sectionText(section, in: a), tb = sectionText(section, in: b)
        guard let ta, let tb else {
            return SectionSimilarity(section: section, score: nil, containment: nil, longestCommonLength: 0,
                                     longestCommonNormalised: "", longestCommonOriginal: "", textA: ta, textB: tb)
        }
        let na = normalise(ta), nb = normalise(tb)
        let (j, c) = scores(na.chars, nb.chars)
        let lcs = longestCommonSubstring(na.chars, nb.chars)
        var original = ""
        if lcs.length > 0 {
            let lo = na.origin[lcs.startA].lowerBound, hi = na.origin[lcs.startA + lcs.length - 1].upperBound
            original = String(Array(ta)[lo..<hi])
        }
        return SectionSimilarity(section: section, score: j, containment: c, longestCommonLength: lcs.length,
                                 longestCommonNormalised: String(na.chars[lcs.startA..<(lcs.startA + lcs.length)]),
                                 longestCommonOriginal: original, textA: ta, textB: tb)
    }

    /// The text of a section (after its heading up to the next section heading), nil when its heading is not found.
    ///
    /// A heading is its title preceded by a numbering mark (`、`, `.`, `．`, `）`) or at the start of a line,
    /// so numbering may vary and headings inside one long crawled paragraph are found.
    public static func sectionText(_ section: NarrativeSection, in text: String) -> String? {
        let chars = Array(text)
        guard let start = headingPositions(section.rawValue, in: chars).first else { return nil }
        let bodyStart = start + section.rawValue.count
        var end = chars.count
        for h in allHeadings {
            if let next = headingPositions(h, in: chars).first(where: { $0 >= bodyStart }), next < end {
                end = backToNumbering(next, in: chars)
            }
        }
        guard bodyStart <= end else { return nil }
        return String(chars[bodyStart..<end])
    }

    /// Positions where `title` occurs as a heading.
    static func headingPositions(_ title: String, in chars: [Character]) -> [Int] {
        let t = Array(title)
        guard !t.isEmpty, chars.count >= t.count else { return [] }
        var out: [Int] = []
        var i = 0
        while i + t.count <= chars.count {
            if chars[i] == t[0], Array(chars[i..<(i + t.count)]) == t, isHeadingStart(i, in: chars) { out.append(i) }
            i += 1
        }
        return out
    }

    /// Characters a section number is written with.
    static let numerals: Set<Character> = Set("一二三四五六七八九十0123456789０１２３４５６７８９")

    /// True when `i` starts a line or follows a section number (`五、`, `5.`, `（五）`), skipping spaces.
    /// A title in a list (`总体情况、主动公开…`) is therefore not a heading.
    static func isHeadingStart(_ i: Int, in chars: [Character]) -> Bool {
        func skipSpaces(_ k: Int) -> Int {
            var j = k
            while j >= 0, chars[j] == " " || chars[j] == "\t" || chars[j] == "\u{3000}" { j -= 1 }
            return j
        }
        let j = skipSpaces(i - 1)
        if j < 0 || chars[j].isNewline { return true }
        guard "、.．)）".contains(chars[j]) else { return false }
        let k = skipSpaces(j - 1)
        return k >= 0 && numerals.contains(chars[k])
    }

    /// Moves a heading position back over its numbering (`五、`, `（五）`, `5.`) so it is not part of the previous section.
    static func backToNumbering(_ i: Int, in chars: [Character]) -> Int {
        var j = i
        while j > 0, "、.．)）（( \t\u{3000}一二三四五六七八九十0123456789".contains(chars[j - 1]), i - j < 6 { j -= 1 }
        return j
    }

    /// Normalises a text: drops whitespace, punctuation and symbols; each decimal-digit run becomes one `#`.
    /// `origin[k]` is the range of original characters that normalised character `k` came from.
    public static func normalise(_ text: String) -> (chars: [Character], origin: [Range<Int>]) {
        var chars: [Character] = [], origin: [Range<Int>] = []
        var inDigits = false
        for (i, ch) in text.enumerated() {
            if ch.isWhitespace || ch.isPunctuation || ch.isSymbol { continue }   // keeps a digit run going across `.` or `,`
            let isDigit = ch.unicodeScalars.first?.properties.generalCategory == .decimalNumber
            if isDigit {
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

    /// Jaccard and containment of the character-shingle sets of two texts (shingles of
    /// ``shingleLength`` characters, one shingle for a shorter text), computed on packed integers.
    public static func scores(_ a: [Character], _ b: [Character]) -> (jaccard: Double, containment: Double) {
        var ids: [Character: UInt64] = [:]
        func codes(_ chars: [Character]) -> [UInt64] {
            chars.map { c in
                if let v = ids[c] { return v }
                let v = UInt64(ids.count + 1)
                ids[c] = v
                return v
            }
        }
        let ca = codes(a), cb = codes(b)
        let sa = packedShingles(ca, alphabet: ids.count), sb = packedShingles(cb, alphabet: ids.count)
        return scores(intersection: sa.intersection(sb).count, sa.count, sb.count)
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

    /// The longest common substring of two character arrays: a binary search on the length,
    /// each step hashing every substring of that length (Rabin–Karp, O((n + m) log n) time).
    /// Among equally long passages the one earliest in `a` is returned.
    public static func longestCommonSubstring(_ a: [Character], _ b: [Character]) -> (startA: Int, startB: Int, length: Int) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 0, 0) }
        var ids: [Character: UInt64] = [:]
        func codes(_ chars: [Character]) -> [UInt64] {
            chars.map { c in
                if let v = ids[c] { return v }
                let v = UInt64(ids.count + 1)
                ids[c] = v
                return v
            }
        }
        let ia = codes(a), ib = codes(b)
        var best = (startA: 0, startB: 0, length: 0)
        var lo = 1, hi = min(ia.count, ib.count)
        while lo <= hi {
            let mid = (lo + hi) / 2
            if let found = commonSubstring(ia, ib, length: mid) {
                best = (found.a, found.b, mid)
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return best
    }

    /// A substring of length `length` common to both (verified, so hash collisions cannot lie),
    /// the earliest in `a`; nil when there is none.
    static func commonSubstring(_ a: [UInt64], _ b: [UInt64], length: Int) -> (a: Int, b: Int)? {
        let base: UInt64 = 1_000_003
        var power: UInt64 = 1
        for _ in 0..<length { power = power &* base }
        func rolling(_ s: [UInt64], _ body: (Int, UInt64) -> Bool) {
            var h: UInt64 = 0
            for i in 0..<s.count {
                h = h &* base &+ s[i]
                if i >= length { h = h &- s[i - length] &* power }
                if i >= length - 1, !body(i - length + 1, h) { return }
            }
        }
        var inB: [UInt64: [Int]] = [:]
        rolling(b) { start, h in inB[h, default: []].append(start); return true }
        var found: (a: Int, b: Int)?
        rolling(a) { start, h in
            guard let candidates = inB[h] else { return true }
            for j in candidates where a[start..<(start + length)] == b[j..<(j + length)] {
                found = (start, j)
                return false
            }
            return true
        }
        return found
    }
}
