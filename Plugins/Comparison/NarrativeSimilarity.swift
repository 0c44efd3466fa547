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
        let (j, c) = scores(shingles(na.chars), shingles(nb.chars))
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

    /// The set of character shingles (one shingle of the whole text when shorter than ``shingleLength``).
    public static func shingles(_ chars: [Character]) -> Set<String> {
        guard !chars.isEmpty else { return [] }
        guard chars.count >= shingleLength else { return [String(chars)] }
        var s = Set<String>()
        for i in 0...(chars.count - shingleLength) { s.insert(String(chars[i..<(i + shingleLength)])) }
        return s
    }

    /// Jaccard and containment of two shingle sets (1 for two empty sets).
    public static func scores(_ a: Set<String>, _ b: Set<String>) -> (jaccard: Double, containment: Double) {
        if a.isEmpty && b.isEmpty { return (1, 1) }
        let inter = Double(a.intersection(b).count)
        let union = Double(a.count + b.count) - inter
        let smaller = Double(min(a.count, b.count))
        return (union > 0 ? inter / union : 0, smaller > 0 ? inter / smaller : 0)
    }

    /// The longest common substring of two character arrays (dynamic programming, O(n·m) time, O(m) space).
    public static func longestCommonSubstring(_ a: [Character], _ b: [Character]) -> (startA: Int, startB: Int, length: Int) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 0, 0) }
        var ids: [Character: Int32] = [:]
        let ia = a.map { c -> Int32 in if let v = ids[c] { return v }; let v = Int32(ids.count); ids[c] = v; return v }
        let ib = b.map { c -> Int32 in if let v = ids[c] { return v }; let v = Int32(ids.count); ids[c] = v; return v }
        var prev = [Int32](repeating: 0, count: ib.count + 1), cur = prev
        var best = (startA: 0, startB: 0, length: 0)
        for i in 1...ia.count {
            let x = ia[i - 1]
            for j in 1...ib.count {
                if x == ib[j - 1] {
                    let v = prev[j - 1] + 1
                    cur[j] = v
                    if Int(v) > best.length { best = (i - Int(v), j - Int(v), Int(v)) }
                } else {
                    cur[j] = 0
                }
            }
            swap(&prev, &cur)
        }
        return best
    }
}
