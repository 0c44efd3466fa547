import Foundation

/// Reads who published a report and for which year: from the title (which real reports
/// print in many shapes: agency before or after the year, broken over two lines, behind a
/// crawler's `标题:` field) and from the statistics period, never from the publishing date.
enum MetadataReader {
    /// Agency names printed in their short form, and the full form of their ending.
    static let abbreviations: [(short: String, full: String)] = [
        ("科委", "科学技术委员会"), ("发改委", "发展和改革委员会"), ("经信委", "经济和信息化委员会"),
        ("卫健委", "卫生健康委员会"), ("教委", "教育委员会"), ("住建委", "住房和城乡建设委员会"),
        ("商务委", "商务委员会"), ("国资委", "国有资产监督管理委员会"), ("民宗委", "民族宗教事务委员会"),
        ("市场监管局", "市场监督管理局"), ("人社局", "人力资源和社会保障局"), ("住建局", "住房和城乡建设局"),
        ("发改局", "发展和改革局"), ("卫健局", "卫生健康局"), ("应急局", "应急管理局"), ("文旅局", "文化和旅游局"),
        ("医保局", "医疗保障局"), ("退役军人局", "退役军人事务局"), ("网信办", "网络安全和信息化委员会办公室"),
        ("外办", "外事办公室"), ("侨办", "侨务办公室"), ("政府办", "人民政府办公室"),
    ]

    /// The last scalar of each short form of ``abbreviations`` (made once: a name is compared
    /// with it before any suffix test).
    static let abbreviationEnds = abbreviations.map { $0.short.unicodeScalars.last! }

    /// Words that end an agency's name.
    static let agencyEndings = ["局", "委员会", "委", "办公室", "办公厅", "厅", "办", "政府", "院", "署", "会", "中心", "所", "部", "室", "处", "站", "区", "县", "市", "镇", "乡", "街道", "管委会", "队", "馆", "社", "集团", "公司", "银行", "法院", "检察院"]

    struct Result {
        var agency: String?
        var year: Int?
        var title: String?
    }

    /// The metadata of `doc`; `normalized` holds the label normal form (UTF-8) of each of its
    /// paragraphs, in order.
    static func read(_ doc: Document, normalized: [[UInt8]]) -> Result {
        // The first lines of the report, as printed.
        var lines: [String] = []
        var size = 0
        for block in doc.blocks {
            guard case .paragraph(let p) = block else { continue }
            lines.append(p.text)
            size += p.text.utf8.count
            if size > 6000 { break }
        }
        var result = Result()
        if let (title, index) = findTitle(lines) {
            result.title = title
            let parsed = parseTitle(title)
            result.year = parsed.year
            var agency = parsed.agency
            if agency == nil, index > 0 {
                // The agency on a line of its own above the title.
                for prev in lines[max(0, index - 3)..<index].reversed() {
                    let t = TextNormalization.label(prev)
                    if t.unicodeScalars.count <= 30, agencyEndings.contains(where: { TextNormalization.hasSuffix(t, $0) }) { agency = t; break }
                }
            }
            // The place prefix is printed near the top (title, intro, contact line).
            if let a = agency { result.agency = refine(a, lines: lines, normalized: normalized[..<lines.count]) }
        }
        if result.year == nil { result.year = statisticsYear(lines.joined()) }
        return result
    }

    /// The title: the first line (or two joined lines) naming an annual disclosure report.
    static func findTitle(_ lines: [String]) -> (String, Int)? {
        for (i, line) in lines.enumerated() {
            var t = TextNormalization.label(line)
            guard t.containsText("年度报告") || t.containsText("年报") else {
                // Title broken over two lines: `…政府信息公开工作` / `年度报告`.
                if i + 1 < lines.count, t.containsText("政府信息公开") || t.containsText("政务公开") {
                    let next = TextNormalization.label(lines[i + 1])
                    if TextNormalization.hasPrefix(next, "年度报告") || TextNormalization.hasPrefix(next, "工作年度报告") || TextNormalization.hasPrefix(next, "报告") { return (t + next, i) }
                }
                continue
            }
            guard t.containsText("公开") else { continue }
            if t.unicodeScalars.count > 120 {
                // A running paragraph that starts with the title (crawled pages).
                if let r = t.range(of: "年度报告") { t = String(t[..<r.upperBound]) } else { continue }
            }
            return (t, i)
        }
        return nil
    }

    /// Splits a title into agency and year.
    static func parseTitle(_ raw: String) -> (agency: String?, year: Int?) {
        var t = Substring(raw)
        if !startsWithOtherPlainScalar(t, than: "标题") {
            for prefix in ["标题:", "标题：", "题目:"] where TextNormalization.hasPrefix(t, prefix) { t = t.dropFirst(prefix.count) }
        }
        // Cut at the name of the report.
        var head = t
        for marker in ["政府信息公开", "政务公开", "信息公开"] {
            if let r = range(of: marker, in: t) { head = t[..<r.lowerBound]; break }
        }
        // The year: four digits followed by 年.
        let scalars = Array(head.unicodeScalars)
        var year: Int?
        var yearStart = -1, yearEnd = -1
        var i = 0
        while i + 4 < scalars.count || (i + 4 <= scalars.count && i + 4 == scalars.count) {
            if i + 4 <= scalars.count, scalars[i..<(i + 4)].allSatisfy({ $0 >= "0" && $0 <= "9" }),
               i + 4 < scalars.count, scalars[i + 4] == "年",
               i == 0 || !(scalars[i - 1] >= "0" && scalars[i - 1] <= "9") {
                let y = scalars[i..<(i + 4)].reduce(0) { $0 * 10 + Int($1.value - 0x30) }
                if y >= 1990 && y <= 2100 { year = y; yearStart = i; yearEnd = i + 5 }
            }
            i += 1
            if i + 4 > scalars.count { break }
        }
        var agency: String?
        if yearStart >= 0 {
            let before = TextNormalization.string(scalars[..<yearStart])
            var afterStart = yearEnd
            if afterStart < scalars.count && scalars[afterStart] == "度" { afterStart += 1 }
            let after = TextNormalization.string(scalars[afterStart...])
            agency = clean(before) ?? clean(after)
        } else {
            agency = clean(String(head))
        }
        return (agency, year)
    }

    /// `text.range(of: marker)` for a marker of CJK ideographs. When every scalar of the
    /// text never joins the one before it (``TextNormalization/neverJoinsPrevious(_:)``),
    /// each is a character of its own and none decomposes into an ideograph, so the first
    /// equal bytes are the first equal characters and a byte search decides. Otherwise
    /// Foundation searches (bridging the text costs more than the rest of a title's parsing).
    static func range(of marker: String, in text: Substring) -> Range<Substring.Index>? {
        let decided: Int?? = text.utf8.withContiguousStorageIfAvailable { hay -> Int?? in
            var i = 0
            while i < hay.count {
                let (value, length) = TextNormalization.decodeScalar(hay, at: i)
                guard let s = Unicode.Scalar(value), TextNormalization.neverJoinsPrevious(s) else { return .none }
                i += length
            }
            guard let found = marker.utf8.withContiguousStorageIfAvailable({ ByteSearch.firstOffset(of: $0, in: hay) }) else { return .none }
            return .some(found)
        }.flatMap { $0 }
        switch decided {
        case .some(.some(let offset)):
            let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            return start..<text.utf8.index(start, offsetBy: marker.utf8.count)
        case .some(.none):
            return nil
        case .none:
            return text.range(of: marker)
        }
    }

    /// The label normal form (UTF-8) of the first 3000 characters of `lines` joined with
    /// newlines, given `all`, that of all of them. When the lines have no more scalars than
    /// that, it is `all`, as a newline has no normal form.
    static func topText(_ lines: [String], all: [UInt8]) -> [UInt8] {
        let limit = 3000
        var scalars = max(0, lines.count - 1)   // the newlines
        for line in lines where scalars <= limit { scalars += TextNormalization.scalarCount(line) }
        guard scalars <= limit else {
            return TextNormalization.labelUTF8(TextNormalization.prefix(lines.joined(separator: "\n"), characters: limit))
        }
        return all
    }

    /// Strips connecting words; nil when nothing of a name is left.
    static func clean(_ s: String) -> String? {
        var t = Substring(s)
        if !startsWithOtherPlainScalar(t, than: "关现公") {
            for p in ["关于", "现公布", "公布"] where TextNormalization.hasPrefix(t, p) { t = t.dropFirst(p.count) }
        }
        let trailing = "的关于（(《“ :：", leading = "）)》” :：#*>"
        while let last = t.unicodeScalars.last, !isOtherPlainScalar(last, than: trailing),
              let c = t.last, trailing.contains(c) { t = t.dropLast() }
        while !startsWithOtherPlainScalar(t, than: leading), let c = t.first, leading.contains(c) { t = t.dropFirst() }
        return t.unicodeScalars.count >= 2 ? String(t) : nil
    }

    /// Whether `s` is a CJK ideograph (U+4E00–U+9FFF) or an ASCII scalar that is not among
    /// `scalars` (each a character without decomposition). Such a scalar has no
    /// decomposition either, so a character it begins or ends equals one of those only if it
    /// is that very scalar: the answer, cheap, to the character comparisons it spares (titles
    /// often start with the year's digits).
    static func isOtherPlainScalar(_ s: Unicode.Scalar, than scalars: String) -> Bool {
        isPlainScalar(s) && !scalars.unicodeScalars.contains(s)
    }

    /// Whether `s` is a CJK ideograph (U+4E00–U+9FFF) or an ASCII scalar: a scalar without
    /// decomposition (see ``isOtherPlainScalar(_:than:)``).
    static func isPlainScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII || (0x4E00...0x9FFF).contains(s.value)
    }

    /// ``isOtherPlainScalar(_:than:)`` of the first scalar of `text` (false when it is empty).
    static func startsWithOtherPlainScalar(_ text: Substring, than scalars: String) -> Bool {
        text.unicodeScalars.first.map { isOtherPlainScalar($0, than: scalars) } ?? false
    }

    /// The full name: short forms expanded, and the place prefix the text prints before the
    /// name (`沙坡头区统计局` → `中卫市沙坡头区统计局`) near the top of the report (``topText``
    /// of `lines`, whose label normal forms are `normalized`).
    static func refine(_ agency: String, lines: [String], normalized: ArraySlice<[UInt8]>) -> String {
        var expanded = agency
        let last = agency.unicodeScalars.last
        for i in abbreviations.indices {
            // A name ending in another plain scalar than a short form's last does not end in it.
            if let last, isPlainScalar(last), last != abbreviationEnds[i] { continue }
            let (short, full) = abbreviations[i]
            if TextNormalization.hasSuffix(agency, short) && !TextNormalization.hasSuffix(agency, full) {
                expanded = String(agency.dropLast(short.count)) + full
                break
            }
        }
        var all: [UInt8] = []
        all.reserveCapacity(normalized.reduce(0) { $0 + $1.count })
        for norm in normalized { all.append(contentsOf: norm) }
        // The top of the report is a prefix of all the lines (in normal form), and a place
        // before the agency in it is one in them: only a name they prefix needs the top
        // worked out (which costs more than the rest).
        guard placePrefixed(expanded, agency: agency, norm: all) != nil else { return expanded }
        return placePrefixed(expanded, agency: agency, norm: topText(lines, all: all)) ?? expanded
    }

    /// `name` (the full form of `agency`) with the longest place prefix found before
    /// `agency` in `norm`, the label normal form (UTF-8) of a text; nil when there is none.
    static func placePrefixed(_ name: String, agency: String, norm: [UInt8]) -> String? {
        let a = name
        let needle = Array(agency.utf8)
        var best: String?
        var searchStart = 0
        let matcher = Gazetteer.shared.matcher
        while searchStart < norm.count, let found = RowLabels.firstIndex(of: needle, in: norm[searchStart...]) {
            searchStart = found + needle.count
            // A place name before the agency ends right before it: in a scalar that ends a name.
            guard found > 0, matcher.mayEnd(lastScalar(norm, before: found)) else { continue }
            // Longest run of place-name characters ending in a place suffix.
            let chars = lastScalars(norm, before: found, window: 24, limit: 8)
            let values = chars.map(\.value)
            for len in stride(from: min(chars.count, 8), through: 2, by: -1) {
                // The string is made only for a place name.
                guard Gazetteer.isPlaceName(scalars: Array(values[(values.count - len)...])) else { continue }
                let p = TextNormalization.string(chars[(chars.count - len)...])
                if !TextNormalization.hasPrefix(a, p) {
                    let candidate = p + a
                    if candidate.unicodeScalars.count > (best ?? a).unicodeScalars.count { best = candidate }
                    break
                }
            }
        }
        return best
    }

    /// The last `limit` scalars of the `window` bytes before `end` (a scalar boundary) of
    /// valid UTF-8 `bytes`, as `String(decoding:as:)` of those bytes has them, decoded in
    /// place (no string made and validated). Only the window's start can cut a scalar; the
    /// stray continuation bytes it leaves decode to a U+FFFD each.
    static func lastScalars(_ bytes: [UInt8], before end: Int, window: Int, limit: Int) -> [Unicode.Scalar] {
        let start = max(0, end - window)
        var reversed: [Unicode.Scalar] = []
        reversed.reserveCapacity(limit)
        bytes.withUnsafeBufferPointer { b in
            var i = end
            while i > start && reversed.count < limit {
                var lead = i - 1
                while lead > start && b[lead] & 0xC0 == 0x80 { lead -= 1 }
                if b[lead] & 0xC0 == 0x80 {
                    // A scalar cut by the window: its bytes in it are stray continuation bytes.
                    while i > start && reversed.count < limit { reversed.append("\u{FFFD}"); i -= 1 }
                    break
                }
                reversed.append(Unicode.Scalar(TextNormalization.decodeScalar(b, at: lead).value) ?? "\u{FFFD}")
                i = lead
            }
        }
        return reversed.reversed()
    }

    /// The scalar of valid UTF-8 `bytes` that ends right before `end` (> 0).
    static func lastScalar(_ bytes: [UInt8], before end: Int) -> UInt32 {
        bytes.withUnsafeBufferPointer { TextNormalization.decodeScalar($0, before: end).value }
    }

    /// The year of the statistics period (`统计期限自2019年1月1日`), or the most frequent year.
    static func statisticsYear(_ text: String) -> Int? {
        let norm = TextNormalization.label(text)
        for marker in ["统计期限自", "统计期限为", "统计期限从", "统计周期为", "统计时限为", "数据统计期限"] {
            if let r = norm.range(of: marker) {
                let digits = norm[r.upperBound...].prefix(4)
                if digits.count == 4, let y = Int(digits), y >= 1990, y <= 2100 { return y }
            }
        }
        return nil
    }
}
