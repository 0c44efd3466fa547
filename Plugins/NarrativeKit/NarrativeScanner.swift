import GongkaiPluginAPI

// The narrative scanner shared by the narrative plugins (MediaOutput and DisclosureVolume),
// visible to them through `package` access. Everything here is pure and linear in the text length: every loop either advances
// through the text or is bounded by a small constant.
//
// The types whose members are asked at every scalar of a scan (`ScanText`, `Heading`,
// `NumberReader`, and `Lexicon`) are declared `public`, their members staying `package`: the
// compiler inlines the `@inlinable` members of a public type into the plugins, but not those of
// a package type. NarrativeKit is no product, so nothing outside the package sees them.

/// The narrative of a report as one run of Unicode scalars, ready for scanning.
///
/// Layout whitespace is dropped (a space is kept only between two ASCII letters or digits, so
/// `230 000023` stays two numbers), full-width ASCII is folded to half-width except the
/// Chinese comma `，`, and every scalar remembers its source line. Paragraphs are joined
/// without a separator when the first one ends mid-sentence (pdftotext wraps lines anywhere:
/// `粉丝数` / `54373；`), and with a hard break `\n` after a sentence end, around headings, and
/// before table-like lines.
public struct ScanText: Sendable {
    /// The normalised scalars.
    @usableFromInline package private(set) var scalars: [Unicode.Scalar] = []
    /// Where the source line changes: the scalars from `start` on (up to the next run's start)
    /// are on `line`. Kept per run of a line, not per scalar.
    private var lineRuns: [(start: Int, line: Int)] = []

    /// Number of scalars.
    @inlinable
    package var count: Int { scalars.count }

    /// Builds the text from the report's paragraphs (see ``ScanTextBuilder``).
    package init(_ paragraphs: [PluginReport.Paragraph]) {
        (scalars, lineRuns) = ScanTextBuilder.build(paragraphs)
    }

    /// The scalar at `i`, or nil outside the text.
    @inlinable @inline(__always)
    package subscript(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < scalars.count ? scalars[i] : nil }

    /// The text of a range (clamped to the text).
    package func text(_ range: Range<Int>) -> String {
        let lo = max(0, min(range.lowerBound, scalars.count)), hi = max(lo, min(range.upperBound, scalars.count))
        return Self.string(scalars[lo..<hi])
    }

    /// The string of `scalars`, encoded straight to UTF-8 into the string's own storage
    /// (building a `String.UnicodeScalarView` takes the slow, generic transcoding path).
    package static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(unsafeUninitializedCapacity: scalars.count * 4) { out in
            var n = 0
            for c in scalars {
                let v = c.value
                if v < 0x80 {
                    out[n] = UInt8(v)
                    n += 1
                } else if v < 0x800 {
                    out[n] = 0xC0 | UInt8(v >> 6)
                    out[n + 1] = 0x80 | UInt8(v & 0x3F)
                    n += 2
                } else if v < 0x10000 {
                    out[n] = 0xE0 | UInt8(v >> 12)
                    out[n + 1] = 0x80 | UInt8((v >> 6) & 0x3F)
                    out[n + 2] = 0x80 | UInt8(v & 0x3F)
                    n += 3
                } else {
                    out[n] = 0xF0 | UInt8(v >> 18)
                    out[n + 1] = 0x80 | UInt8((v >> 12) & 0x3F)
                    out[n + 2] = 0x80 | UInt8((v >> 6) & 0x3F)
                    out[n + 3] = 0x80 | UInt8(v & 0x3F)
                    n += 4
                }
            }
            return n
        }
    }

    /// The source line of the scalar at `i` (the last line for an index past the end).
    package func line(at i: Int) -> Int {
        guard !scalars.isEmpty else { return 0 }
        let i = max(0, min(i, scalars.count - 1))
        // The last run starting at or before `i` (the first run starts at 0).
        var lo = 0, hi = lineRuns.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if lineRuns[mid].start <= i { lo = mid } else { hi = mid }
        }
        return lineRuns[lo].line
    }

    /// Whether `word` is spelled at `i`.
    package func matches(_ word: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= scalars.count else { return false }
        for k in 0..<word.count where scalars[i + k] != word[k] { return false }
        return true
    }

    /// The scalars a scan stops at besides its words: sentence and clause ends, brackets,
    /// heading markers (`(`, `一` … `十`), the `其` of `其中`, and those a number starts with
    /// (digits, Chinese numerals). A scalar outside them and outside the scan's words starts
    /// nothing the scan looks for.
    package static let scanMarks = ScalarFilter("。!?\n…，,;:(【)】一二三四五六七八九十零〇两其0123456789".unicodeScalars)

    /// Whether `其中` ("of which", opening a breakdown) is spelled at `i`; it is two scalars long.
    @inlinable
    package func isQizhong(at i: Int) -> Bool { self[i] == "其" && self[i + 1] == "中" }

    /// Whether `word` occurs inside `range` (bounded by the range length).
    package func contains(_ word: [Unicode.Scalar], in range: Range<Int>) -> Bool {
        let lo = max(0, range.lowerBound), hi = min(scalars.count, range.upperBound)
        guard !word.isEmpty, hi - lo >= word.count else { return false }
        var i = lo
        while i + word.count <= hi {
            if matches(word, at: i) { return true }
            i += 1
        }
        return false
    }

    // MARK: Character classes

    /// Whitespace as reports print it (ASCII, NBSP, ideographic and zero-width spaces).
    package static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09...0x0D, 0xA0, 0x3000, 0x200B...0x200D, 0xFEFF, 0x2002...0x200A, 0x202F, 0x205F: return true
        default: return false
        }
    }

    /// Full-width ASCII to half-width (keeping `，`), dashes to `-`.
    package static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let v = c.value
        if v >= 0xFF01 && v <= 0xFF5E && v != 0xFF0C { return Unicode.Scalar(v - 0xFEE0) ?? c }
        switch v {
        case 0x2212, 0x2013, 0x2014, 0x2015, 0xFE63: return "-"
        default: return c
        }
    }

    /// `0`–`9`.
    @inlinable @inline(__always)
    package static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c.value >= 0x30 && c.value <= 0x39
    }

    /// ASCII letter or digit.
    @inlinable @inline(__always)
    package static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// ASCII letter.
    @inlinable @inline(__always)
    package static func isASCIILetter(_ c: Unicode.Scalar?) -> Bool {
        guard let v = c?.value else { return false }
        return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// End of a sentence: `。！？` (folded to `!?`) or a hard paragraph break.
    @inlinable @inline(__always)
    package static func isSentenceEnd(_ c: Unicode.Scalar) -> Bool {
        c == "。" || c == "!" || c == "?" || c == "\n" || c == "…"
    }

    /// End of a clause: a sentence end or `，,;:`.
    @inlinable @inline(__always)
    package static func isClauseEnd(_ c: Unicode.Scalar) -> Bool {
        isSentenceEnd(c) || c == "，" || c == "," || c == ";" || c == ":"
    }

    /// `(` (full-width folded).
    @inlinable @inline(__always)
    package static func isOpen(_ c: Unicode.Scalar) -> Bool { c == "(" || c == "【" }

    /// `)` (full-width folded).
    @inlinable @inline(__always)
    package static func isClose(_ c: Unicode.Scalar) -> Bool { c == ")" || c == "】" }

    /// Quotation marks dropped from extracted names.
    @inlinable @inline(__always)
    package static func isQuote(_ c: Unicode.Scalar) -> Bool {
        c == "“" || c == "”" || c == "\"" || c == "‘" || c == "’" || c == "「" || c == "」" || c == "'"
    }

    // MARK: Headings

    /// The numerals of heading markers (`一` … `十`).
    package static let chineseNumeralChars: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// Whether `c` is one of ``chineseNumeralChars`` (a comparison, not a hashed look-up: it
    /// runs at every scalar of a scan).
    @inlinable @inline(__always)
    package static func isChineseNumeral(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十": return true
        default: return false
        }
    }

    /// A paragraph that is a heading: a short line opening with `一、`, `（一）`, `(1)`, `1.`.
    package static func looksLikeHeading(_ body: [Unicode.Scalar]) -> Bool {
        body.count <= 30 && !body.contains("。") && markerLength(body, 0) != nil
    }

    /// Length of a heading marker at `i` of `a` (`一、`, `（一）`, `(12)`, `3.`/`3、`), if any.
    package static func markerLength(_ a: [Unicode.Scalar], _ i: Int) -> Int? {
        guard i < a.count else { return nil }
        let c = fold(a[i])
        if isChineseNumeral(c) {
            var j = i + 1
            if j < a.count, isChineseNumeral(a[j]) { j += 1 }
            return j < a.count && a[j] == "、" ? j + 1 - i : nil
        }
        if c == "(" {
            var j = i + 1
            while j < a.count, j - i <= 3, isChineseNumeral(a[j]) || isDigit(fold(a[j])) { j += 1 }
            return j > i + 1 && j < a.count && fold(a[j]) == ")" ? j + 1 - i : nil
        }
        if isDigit(c) {
            var j = i + 1
            while j < a.count, j - i <= 2, isDigit(fold(a[j])) { j += 1 }
            guard j < a.count, a[j] == "、" || fold(a[j]) == "." else { return nil }
            return j + 1 < a.count && !isDigit(fold(a[j + 1])) ? j + 1 - i : nil
        }
        return nil
    }
}

/// A heading met while scanning: its level and the first words of its title.
public struct Heading: Sendable {
    /// `section` (`一、` or `（一）`) or `item` (`（1）`).
    package enum Level: Sendable { case section, item }
    /// Its level.
    package var level: Level
    /// Where the marker ends (the title starts).
    package var titleStart: Int
    /// The title, up to the first clause end (at most 30 scalars).
    package var title: [Unicode.Scalar]

    /// Section titles of the template, recognised even when the marker is glued to a word.
    package static let templateTitles: [[Unicode.Scalar]] = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                                     "政府信息公开行政复议", "因政府信息公开", "存在的主要问题", "其他需要报告"]
        .map { Array($0.unicodeScalars) }

    /// The heading whose marker starts at `i`, if one does. Asked at nearly every scalar of a
    /// scan, so the scalars that cannot start a marker are turned away here, inlined.
    @inlinable
    package static func at(_ t: ScanText, _ i: Int) -> Heading? {
        guard let c = t[i], c == "(" || ScanText.isChineseNumeral(c) else { return nil }
        return marked(t, i, c)
    }

    /// The heading whose marker starts with `c` at `i` (a numeral or `(`), if it is one.
    @usableFromInline
    static func marked(_ t: ScanText, _ i: Int, _ c: Unicode.Scalar) -> Heading? {
        var level = Level.section
        var markerEnd = i
        if ScanText.isChineseNumeral(c) {
            var j = i + 1
            if let d = t[j], ScanText.isChineseNumeral(d) { j += 1 }
            guard t[j] == "、" else { return nil }
            markerEnd = j + 1
            // Markers glued after a word (`统一、`) are not headings unless a template title follows.
            var clean = true
            if let before = t[i - 1] {
                clean = ScanText.isClauseEnd(before) || ScanText.isDigit(before) || before == ")" || before == "”"
                    || before == " " || before == "|" || before == "#"
            }
            if !clean && !templateTitles.contains(where: { t.matches($0, at: markerEnd) }) { return nil }
        } else if c == "(" {
            if t[i - 1] == "第" { return nil }   // 第二十条第（一）项
            var j = i + 1
            var digits = 0, numerals = 0
            while j - i <= 3, let d = t[j] {
                if ScanText.isDigit(d) { digits += 1 } else if ScanText.isChineseNumeral(d) { numerals += 1 } else { break }
                j += 1
            }
            guard t[j] == ")", digits + numerals > 0, digits == 0 || numerals == 0 else { return nil }
            level = digits > 0 ? .item : .section
            markerEnd = j + 1
        } else {
            return nil
        }
        var k = markerEnd
        while let d = t[k], k - markerEnd < 30, !ScanText.isClauseEnd(d) { k += 1 }
        return Heading(level: level, titleStart: markerEnd, title: Array(t.scalars[markerEnd..<k]))
    }

    /// Whether the title names the application, review or litigation part of the report
    /// (`申请`, `复议` or `诉讼` in it).
    package var isApplicationsPart: Bool {
        var k = 0
        while k + 1 < title.count {
            switch (title[k], title[k + 1]) {
            case ("申", "请"), ("复", "议"), ("诉", "讼"): return true
            default: k += 1
            }
        }
        return false
    }
}

/// A number the narrative prints, normalised, with its unit.
package struct NumberToken: Sendable {
    /// First scalar of the number.
    package var start: Int
    /// Just after the number (its multiplier and 余/多 included), where the unit starts.
    package var end: Int
    /// Just after the unit and a trailing 左右/以上 (equal to `end` when there is no unit).
    package var unitEnd: Int
    /// The value (`1.2万` → 12000, `一百二十` → 120).
    package var value: Int64
    /// Stated as approximate (余, 多, 近, 约, 超过, 逾, 左右, 以上, 突破).
    package var approximate: Bool
    /// The unit as printed (`条`, `人次`), or empty.
    package var unit: String
}

/// Reads numbers: Arabic (with thousands commas, decimals and 万/亿 multipliers) and Chinese
/// numerals. Years, dates, phone numbers, percentages, money, ordinals (第…) and document
/// numbers (〔2020〕25号) are recognised and refused, so they never become counts.
public enum NumberReader {
    /// The value of a Chinese digit (`零` `〇` `一` … `九`, `两`).
    package static func numeralValue(_ c: Unicode.Scalar) -> Int64? {
        switch c {
        case "零", "〇": return 0
        case "一": return 1
        case "二", "两": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }

    /// The value of `十`, `百`, `千`.
    package static func smallMultiplier(_ c: Unicode.Scalar) -> Int64? {
        switch c {
        case "十": return 10
        case "百": return 100
        case "千": return 1000
        default: return nil
        }
    }

    /// The value of `万`, `亿`.
    package static func largeMultiplier(_ c: Unicode.Scalar) -> Int64? {
        switch c {
        case "万": return 10_000
        case "亿": return 100_000_000
        default: return nil
        }
    }

    package static let approxBefore = Lexicon<Bool>([("超过", true), ("超", true), ("逾", true), ("近", true), ("约", true), ("将近", true),
                                              ("接近", true), ("大约", true), ("突破", true), ("已超", true), ("已突破", true)])
    package static let approxAfterUnit = Lexicon<Bool>([("左右", true), ("以上", true)])

    /// The value of an ASCII digit.
    @inlinable @inline(__always)
    package static func digit(_ c: Unicode.Scalar?) -> Int64? {
        guard let v = c?.value, v >= 0x30, v <= 0x39 else { return nil }
        return Int64(v - 0x30)
    }

    /// Whether a number may start at `i`.
    @inlinable
    package static func startsNumber(_ t: ScanText, _ i: Int) -> Bool {
        guard let c = t[i] else { return false }
        return ScanText.isDigit(c) || isNumeral(c) || c == "十"
    }

    /// Whether `c` is a Chinese digit, one ``numeralValue(_:)`` reads (asked at every scalar).
    @inlinable @inline(__always)
    package static func isNumeral(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九": return true
        default: return false
        }
    }

    /// Reads the number starting at `i` (where ``startsNumber(_:_:)`` holds) and the unit after
    /// it, one of `units` (each word's value is its spelling, the token's `unit`). Returns the
    /// token, or nil when it is not a count, and the index to continue from (always past `i`).
    package static func read(_ t: ScanText, at i: Int, units: Lexicon<String>) -> (token: NumberToken?, next: Int) {
        guard let c = t[i] else { return (nil, i + 1) }
        let arabic = ScanText.isDigit(c)
        var j = i
        var value: Int64 = 0
        var refused = false
        var single = false
        if arabic {
            var mantissa: Int64 = 0, scale = 0, digits = 0
            while let d = digit(t[j]) { if digits < 15 { mantissa = mantissa * 10 + d }; digits += 1; j += 1 }
            // Thousands separators: ",ddd" not followed by another digit.
            while t[j] == ",", ScanText.isDigit(t[j + 1]), ScanText.isDigit(t[j + 2]), ScanText.isDigit(t[j + 3]), !ScanText.isDigit(t[j + 4]), digits < 13 {
                for k in 1...3 { mantissa = mantissa * 10 + (digit(t[j + k]) ?? 0) }
                digits += 3
                j += 4
            }
            if t[j] == ".", ScanText.isDigit(t[j + 1]) {
                j += 1
                while let d = digit(t[j]) { if scale < 6 && digits < 15 { mantissa = mantissa * 10 + d; scale += 1; digits += 1 }; j += 1 }
            }
            if digits > 15 { refused = true }
            // Glued to letters (H5, OA2), or part of a date, phone, range or code.
            if ScanText.isASCIILetter(t[i - 1]) || ScanText.isASCIILetter(t[j]) { refused = true }
            if let p = t[i - 1], p == "-" || p == "/" || p == "." || p == "~" || p == "～", ScanText.isDigit(t[i - 2]) { refused = true }
            if let n = t[j], n == "-" || n == "/" || n == ":" || n == "~" || n == "～" || n == ".", ScanText.isDigit(t[j + 1]) { refused = true }
            var multiplier: Int64 = 1
            if let m = t[j], let big = largeMultiplier(m) ?? (m == "千" ? 1000 : nil) {
                if t[j + 1] == "元" { refused = true }
                multiplier = big
                j += 1
            }
            // mantissa × multiplier / 10^scale, rounded; a fraction without multiplier is no count.
            var divisor: Int64 = 1
            for _ in 0..<scale { divisor *= 10 }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: multiplier)
            if overflow { refused = true }
            if multiplier == 1 && scale > 0 && mantissa % divisor != 0 { refused = true }
            let (rounded, carry) = product.addingReportingOverflow(divisor / 2)
            if carry { refused = true }
            value = overflow || carry ? 0 : rounded / divisor
        } else {
            while let d = t[j], j - i < 12, numeralValue(d) != nil || smallMultiplier(d) != nil || largeMultiplier(d) != nil { j += 1 }
            let run = t.scalars[i..<j]
            guard let v = chineseValue(run) else { return (nil, j) }
            value = v
            single = run.count == 1 && run.first == "一"
        }
        if t[j] == "元" { refused = true }   // money is not a count
        if let p = t[i - 1], p == "第" || p == "〔" || p == "[" || p == "【" || p == "(" && t[j] == ")" { refused = true }
        if let n = t[j], n == "%" || n == "‰" { refused = true }
        // 余 / 多 between the number and the unit.
        var approximate = false
        if let n = t[j], n == "余" || n == "多" { approximate = true; j += 1 }
        let end = j
        var unit = ""
        var unitEnd = end
        if let u = units.find(t, at: end) {
            unit = units.value(u)
            unitEnd = end + u.length
            if let a = approxAfterUnit.match(t, at: unitEnd) { approximate = true; unitEnd += a.length }
        }
        // Qualifier words just before the number.
        for back in 1...3 where i - back >= 0 {
            if let m = approxBefore.find(t.scalars, at: i - back, end: i), m.length == back { approximate = true; break }
        }
        if refused || single { return (nil, max(unitEnd, i + 1)) }
        return (NumberToken(start: i, end: end, unitEnd: unitEnd, value: value, approximate: approximate, unit: unit), max(end, i + 1))
    }

    /// The value of a Chinese numeral (`一百二十` → 120, `二〇二一` → 2021), nil if malformed.
    package static func chineseValue(_ run: ArraySlice<Unicode.Scalar>) -> Int64? {
        guard !run.isEmpty else { return nil }
        let hasMultiplier = run.contains { smallMultiplier($0) != nil || largeMultiplier($0) != nil }
        if !hasMultiplier {
            var v: Int64 = 0
            for c in run { guard let d = numeralValue(c) else { return nil }; v = v * 10 + d }
            return v
        }
        var total: Int64 = 0, section: Int64 = 0, number: Int64 = 0
        var sawDigit = false
        for c in run {
            if let d = numeralValue(c) {
                number = d
                sawDigit = true
            } else if let m = smallMultiplier(c) {
                if number == 0 && !sawDigit { number = 1 }
                section += number * m
                number = 0
                sawDigit = false
            } else if let m = largeMultiplier(c) {
                section += number
                if section == 0 { return nil }
                total += section * m
                section = 0
                number = 0
                sawDigit = false
            }
        }
        return total + section + number
    }
}
