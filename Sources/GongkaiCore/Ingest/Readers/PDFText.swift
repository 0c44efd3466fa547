/// A run of words on one visual line that belong together (one table cell, or a line of prose):
/// words closer than about half a character, unless both are numbers.
struct PDFSegment: Sendable {
    var words: [PDFWord]
    var text: String
    var xMin: Double
    var xMax: Double
    var yMin: Double
    var yMax: Double
    var page: Int
    /// Document-wide 1-based ordinal of the visual line.
    var line: Int
    var height: Double { max(yMax - yMin, 0.1) }
    var width: Double { xMax - xMin }
    /// A bare number (`821`, `-3`, `0.34%`).
    var isNumber: Bool { PDFText.isNumber(text) }
    /// A number, possibly with a unit (`251000元`): what a value cell holds.
    var isValue: Bool { PDFText.isValue(text) }
}

/// A visual line: the words of one page whose vertical centres agree, left to right.
struct PDFLine: Sendable {
    var page: Int
    var ordinal: Int
    var words: [PDFWord]
    var segments: [PDFSegment]
    var xMin: Double
    var xMax: Double
    var yMin: Double
    var yMax: Double
    /// Median word height: the unit for every spacing threshold.
    var height: Double
    /// The pdftotext block of the first word.
    var block: Int
    /// The segments joined by a space.
    var text: String { segments.map(\.text).joined(separator: " ") }
    var width: Double { xMax - xMin }
    var center: Double { (xMin + xMax) / 2 }
}

/// Text helpers for the PDF reader: joining words, recognising numbers, headings and page numbers.
enum PDFText {
    /// CJK ideographs, kana, hangul, CJK punctuation and full-width forms: text joined without spaces.
    @inline(__always)
    static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x2FFFF,
             0x2018...0x201F, 0x2014, 0x2026:
            return true
        default:
            return false
        }
    }

    /// Joins two pieces of text that were printed next to each other (or on consecutive lines):
    /// a space only between two non-CJK characters.
    static func join(_ a: String, _ b: String) -> String {
        guard let last = a.unicodeScalars.last, let first = b.unicodeScalars.first else { return a + b }
        if isWide(last) || isWide(first) || last == " " || first == " " { return a + b }
        return a + " " + b
    }

    @inline(__always)
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0xFF10 && s.value <= 0xFF19)
    }

    /// A bare number: optional sign, digits with `,` `.` separators, optional `%`.
    static func isNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars.filter { !$0.properties.isWhitespace }[...]
        guard !scalars.isEmpty else { return false }
        if let f = scalars.first, f == "-" || f == "+" || f == "−" || f == "－" { scalars = scalars.dropFirst() }
        if let l = scalars.last, l == "%" || l == "％" { scalars = scalars.dropLast() }
        guard let f = scalars.first, isDigit(f), let l = scalars.last, isDigit(l) else { return false }
        return scalars.allSatisfy { isDigit($0) || $0 == "," || $0 == "." || $0 == "，" || $0 == "．" }
    }

    /// Units a value cell may carry after its number.
    static let units: [String] = ["万元", "亿元", "元", "件", "个", "次", "项", "人", "家", "条", "份", "期", "篇", "天", "日", "户", "宗"]

    /// Not-applicable marks printed in value cells.
    static let marks: Set<String> = ["/", "-", "--", "—", "——", "－", "无", "\\", "×", "NA", "N/A", "n/a"]

    /// A number with an optional unit, or a not-applicable mark: the content of a value cell.
    static func isValue(_ text: String) -> Bool {
        let t = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
        if isNumber(t) || marks.contains(t) { return true }
        for u in units where t.hasSuffix(u) {
            return isNumber(String(t.dropLast(u.count)))
        }
        return false
    }

    static let bigNumerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// A section heading of the report: `一、总体情况`, `二、…` (at least a few characters, so the
    /// first line of a wrapped table label like `三、本` does not count).
    static func isSectionHeading(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        var i = 0
        while i < s.count, bigNumerals.contains(s[i]) { i += 1 }
        return i > 0 && i <= 3 && i < s.count && (s[i] == "、" || s[i] == "．") && s.count - i > 4
    }

    /// A heading or list item that starts a new paragraph: `一、`, `（一）`, `(一)`, `1.`, `第一章`.
    static func startsItem(_ text: String) -> Bool {
        if isSectionHeading(text) { return true }
        let s = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        guard let f = s.first else { return false }
        if f == "（" || f == "(" {
            var i = 1
            while i < s.count, bigNumerals.contains(s[i]) || isDigit(s[i]) { i += 1 }
            return i > 1 && i < s.count && (s[i] == "）" || s[i] == ")")
        }
        if f == "第" {
            var i = 1
            while i < s.count, bigNumerals.contains(s[i]) { i += 1 }
            return i > 1 && i < s.count && "章节部分条项".unicodeScalars.contains(s[i])
        }
        var i = 0
        while i < s.count, isDigit(s[i]) { i += 1 }
        return i > 0 && i <= 2 && i + 1 < s.count && (s[i] == "." || s[i] == "、" || s[i] == "．") && !isDigit(s[i + 1])
    }

    /// A page number or page header/footer mark: `4`, `— 4 —`, `- 4 -`, `第4页`, `第4页 共7页`, `4/7`, `Page 4 of 7`.
    static func isPageNumber(_ text: String) -> Bool {
        var shape = ""
        var digitRuns = 0
        var runLength = 0
        for s in text.unicodeScalars where !s.properties.isWhitespace {
            if isDigit(s) {
                if runLength == 0 { digitRuns += 1; shape.append("#") }
                runLength += 1
                if runLength > 3 { return false }
                continue
            }
            runLength = 0
            if "-—–－~·•.*_[]()（）|".unicodeScalars.contains(s) { continue }
            shape.unicodeScalars.append(s)
        }
        guard digitRuns >= 1, digitRuns <= 2 else { return false }
        let allowed: Set<String> = ["#", "第#页", "第#页共#页", "第#页,共#页", "第#页，共#页", "第#页/共#页", "#/#", "共#页第#页", "page#", "page#of#", "#of#"]
        return allowed.contains(shape.lowercased())
    }
}
