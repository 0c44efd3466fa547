import GongkaiPluginAPI
import NarrativeKit

/// A proactive-disclosure count stated in the narrative: a row of `disclosure_items`.
struct DisclosureItem: Sendable, Equatable {
    /// The thing counted, as printed and cleaned (`国民经济和社会发展统计信息`).
    var category: String
    /// The count.
    var count: Int64
    /// The unit as printed (`条`, `个`, `件` …).
    var unit: String
    /// Stated as approximate.
    var approximate: Bool
    /// Index of the item this one breaks down (`公开文件 47 个(卫沙人普发 23 个…)`), if any.
    var parentIndex: Int?
    /// The category of that item.
    var parent: String?
    /// The clause the count came from.
    var text: String
    /// Line of the count in the source file.
    var line: Int

    /// `exact` or `approximately`.
    var qualifier: String { approximate ? "approximately" : "exact" }
}

/// Reads the proactive-disclosure counts of the narrative in one left-to-right pass.
///
/// A count is a number with a unit of published items (条 篇 件 个 份 项 期 则 批次). It is
/// taken when its clause is about publishing — a publishing verb in the clause (公开, 公布,
/// 发布, 制发, 推送 …, not the nouns 政务公开 / 信息公开工作), or it continues a list whose
/// previous clause held a count (`公开文件 47 个，…统计信息 19 条，工作动态类信息 102 条`), or it
/// breaks down a count: inside the parenthesis right after it (`公开文件 47 个(卫沙人普发 23 个…)`)
/// or after `其中` (`2599条，(其中机构职能类信息25条…)`, `380条财政资金信息，其中专项资金152条`).
/// Those get the count they break down as `parent`; nesting is kept (`预决算公开197条（政府预决算
/// 32条…）` under `财政资金信息`). The category is the text before the number back to the clause
/// start or the previous count (`、` after a unit separates two counts), or, when the noun
/// follows (`380条财政资金信息`), the noun after it; see ``CategoryText``.
///
/// Not taken: the application and review sections, clauses about applications and their
/// outcomes (答复, 予以公开, 复议 …), requests (诉求, 申请), counts followed by a noun that is not
/// information (`5个高频事项`, `六个部分`), years, dates, percentages, money.
struct DisclosureItemsExtractor {
    private let t: ScanText

    /// Prepares the narrative of a report.
    init(_ paragraphs: [PluginReport.Paragraph]) { t = ScanText.shared(paragraphs) }

    /// A breakdown level: the top of the sentence, a parenthesis, or a `其中` list.
    private struct Level {
        var isParen: Bool
        var parent: Int?
        var listOpen = false
        var clauseHadItem = false
        /// A `其中包括：` list, whose parts are separated by `；`; any other `其中` ends at `；`.
        var colonList = false
    }

    private var items: [DisclosureItem] = []
    private var levels: [Level] = [Level(isParen: false, parent: nil)]
    private var clauseStart = 0
    private var lastItem: (index: Int, end: Int)?
    private var excluded = false
    private var topic: [Unicode.Scalar]?

    /// The scalars the scan stops at.
    private let marks = ScanText.scanMarks
    /// Nesting deeper than this is read as the deepest level (keeps every step O(1)).
    private static let maxLevels = 16

    /// Every stated count, in text order.
    mutating func extract() -> [DisclosureItem] {
        items = []
        var i = 0
        while i < t.count {
            guard let c = t[i] else { break }
            // Most scalars start nothing the tests below look for.
            if !marks.mayContain(c) {
                i += 1
            } else if ScanText.isSentenceEnd(c) {
                endSentence(at: i + 1)
                i += 1
            } else if ScanText.isClauseEnd(c) {
                if c == ";" { endBreakdowns() }
                if c == ":", let top = levels.last, !top.isParen, top.parent != nil, !top.clauseHadItem, i - clauseStart <= 4 {
                    levels[levels.count - 1].colonList = true
                }
                endClause(at: i + 1)
                i += 1
            } else if ScanText.isOpen(c) {
                if let h = Heading.at(t, i) { heading(h); i = h.titleStart; continue }
                let parent = lastItem.flatMap { $0.end >= i - 2 ? $0.index : nil } ?? currentParent
                if levels.count < Self.maxLevels { levels.append(Level(isParen: true, parent: parent)) }
                clauseStart = i + 1
                i += 1
            } else if ScanText.isClose(c) {
                if let p = levels.lastIndex(where: { $0.isParen }), p > 0 { levels.removeSubrange(p...) }
                clauseStart = i + 1
                i += 1
            } else if let h = Heading.at(t, i) {
                heading(h)
                i = h.titleStart
            } else if t.isQizhong(at: i) {
                if let last = lastItem, last.end >= i - 2, levels.count < Self.maxLevels {
                    levels.append(Level(isParen: false, parent: last.index))
                }
                i += 2
            } else if NumberReader.startsNumber(t, i) {
                let (token, next) = NumberReader.read(t, at: i, units: CategoryText.units)
                if let token, !token.unit.isEmpty, !excluded { count(token) }
                i = max(next, i + 1)
            } else {
                i += 1
            }
        }
        return items
    }

    private var currentParent: Int? { levels.last?.parent }

    private mutating func endSentence(at next: Int) {
        levels = [Level(isParen: false, parent: nil)]
        lastItem = nil
        clauseStart = next
    }

    /// `；` closes the `其中` levels opened without a colon (`其中原创文章 294 篇，…；“上海科技”视频号…`).
    private mutating func endBreakdowns() {
        while levels.count > 1, let top = levels.last, !top.isParen, !top.colonList { levels.removeLast() }
    }

    private mutating func endClause(at next: Int) {
        let top = levels.count - 1
        if !levels[top].clauseHadItem { levels[top].listOpen = false }
        levels[top].clauseHadItem = false
        clauseStart = next
    }

    private mutating func heading(_ h: Heading) {
        endSentence(at: h.titleStart)
        switch h.level {
        case .section:
            excluded = h.isApplicationsPart
            topic = nil
        case .item:
            topic = CategoryText.topic(h.title)
        }
    }

    // MARK: Counts

    private mutating func count(_ n: NumberToken) {
        let top = levels.count - 1
        let clause = clauseRange(around: n)
        let clauseScalars = Array(t.scalars[clause])
        if CategoryText.excludedWords.occurs(in: clauseScalars[...]) {
            levels[top].listOpen = false
            return
        }
        // The noun after the unit, when the count precedes it (`380条财政资金信息`).
        var category: [Unicode.Scalar]
        var generic: Bool
        var end = n.unitEnd
        if let next = t[n.unitEnd], !ScanText.isClauseEnd(next), !ScanText.isOpen(next), !ScanText.isClose(next),
           next != "、", next != "的", !ScanText.isDigit(next) {
            var k = n.unitEnd
            while let c = t[k], k - n.unitEnd < 40, !ScanText.isClauseEnd(c), !ScanText.isOpen(c), !ScanText.isClose(c), !ScanText.isDigit(c) {
                k += 1
            }
            let noun = Array(t.scalars[n.unitEnd..<k])
            guard CategoryText.infoNouns.occurs(in: noun[...]) else { return }
            (category, generic) = CategoryText.after(noun)
            end = k
        } else {
            var k = n.start
            let floor = max(clauseStart, n.start - 60, lastItem?.end ?? 0, 0)
            while k > floor, let c = t[k - 1], !ScanText.isClauseEnd(c), !ScanText.isOpen(c), !ScanText.isClose(c) {
                if c == "、", let u = t[k - 2], CategoryText.unitEnds.contains(u) { break }
                k -= 1
            }
            (category, generic) = CategoryText.before(Array(t.scalars[k..<n.start]))
        }
        let parent = currentParent
        let licensed = parent != nil || levels[top].listOpen || CategoryText.hasLicenseVerb(clauseScalars)
        guard licensed, !category.isEmpty || generic, !CategoryText.isRequest(category) else { return }
        if generic && parent == nil, let topic { category = topic }
        if category.isEmpty { category = Array("信息".unicodeScalars) }
        items.append(DisclosureItem(
            category: ScanText.string(category[...]), count: n.value, unit: n.unit, approximate: n.approximate,
            parentIndex: parent, parent: parent.map { items[$0].category },
            text: t.text(clause), line: t.line(at: n.start)))
        lastItem = (items.count - 1, end)
        levels[top].listOpen = true
        levels[top].clauseHadItem = true
    }

    /// The clause around a count: from the clause start (at most 60 scalars back) to the next
    /// clause end (at most 60 scalars on).
    private func clauseRange(around n: NumberToken) -> Range<Int> {
        let lo = max(clauseStart, n.start - 60, 0)
        var hi = n.unitEnd
        while let c = t[hi], hi - n.unitEnd < 60, !ScanText.isClauseEnd(c), !ScanText.isClose(c), !ScanText.isOpen(c) { hi += 1 }
        var start = min(lo, n.start)
        while start < n.start, t[start] == "、" { start += 1 }
        return start..<hi
    }
}
