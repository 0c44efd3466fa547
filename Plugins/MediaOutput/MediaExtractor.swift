import GongkaiPluginAPI
import NarrativeKit

/// One stated output of a channel: a row of the `media_output` table.
struct MediaOutputRow: Sendable, Equatable {
    /// The channel.
    var channel: MediaChannel
    /// What was counted.
    var metric: MediaMetric
    /// The normalised value.
    var value: Int64
    /// Stated as approximate (`余`, `近`, `超过` …).
    var approximate: Bool
    /// The clause the number came from.
    var text: String
    /// Line of the number in the source file.
    var line: Int
    /// Rows of one statement and its 其中 breakdown share a group (nil when there is none).
    var group: Int?

    /// `exact` or `approximately`.
    var qualifier: String { approximate ? "approximately" : "exact" }
}

/// Reads channel outputs from the narrative in one left-to-right pass.
///
/// The pass keeps the channel named last in the clause and in the sentence, the audience
/// metric word named last in the clause (粉丝数, 阅读量 …), and after a post count the
/// breakdown `其中…` that may follow it. Each number with a fitting unit is then read as:
///
/// 1. an audience metric when a metric word precedes it with only fillers between
///    (`关注人数达 1016823 人`, `播放量超2300万`), for the clause's channel or else the sentence's;
/// 2. sessions of a conference, live stream or interview (`直播 118 场`, `召开3场新闻发布会`);
/// 3. a post count when the channel is the subject and only publishing words stand between it
///    and the number (`微信公众号共编发文章 1640 篇`, `政府网站公开 106 条`) — a document noun
///    there (`通过门户网站公开规章13件`) means documents, not channel output, and is skipped;
/// 4. in a breakdown after a post count, original posts or reposts (`其中原创文章 294 篇`,
///    `转发信息 291 条`) of the channel just counted.
///
/// Everything else (application counts, years, dates, money, percentages, account counts,
/// counts of meetings or documents) is left alone. The application and review sections are
/// skipped entirely.
struct MediaExtractor {
    private let t: ScanText

    /// Prepares the narrative of a report.
    init(_ paragraphs: [PluginReport.Paragraph]) { t = ScanText.shared(paragraphs) }

    private struct Mention { var channel: MediaChannel; var start: Int; var end: Int }
    private struct MetricMention { var metric: MediaMetric; var start: Int; var end: Int }
    private struct LastPosts { var channel: MediaChannel; var end: Int; var group: Int }
    private struct Breakdown { var channel: MediaChannel; var group: Int; var depth: Int; var opened: Int; var colonList = false }

    // Scan state.
    private var rows: [MediaOutputRow] = []
    private var clauseStart = 0
    private var clauseChannel: Mention?
    private var clauseMetric: MetricMention?
    private var sentenceChannel: MediaChannel?
    private var lastPosts: LastPosts?
    private var breakdown: Breakdown?
    private var depth = 0
    private var excluded = false
    private var groups = 0

    /// The vocabulary looked up at every scalar, held here rather than read from the
    /// lazily initialised statics at each look-up.
    private let channels = MediaVocabulary.channels, metricWords = MediaVocabulary.metricWords
    /// The scalars the scan stops at: its marks and the first scalars of its words.
    private let marks = ScanText.scanMarks.union(MediaVocabulary.channels.firsts).union(MediaVocabulary.metricWords.firsts)

    /// Every stated channel output, in text order.
    mutating func extract() -> [MediaOutputRow] {
        rows = []
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
                // `其中：原创 100 条；转发 200 条` lists its parts with `；`; otherwise `；` ends the breakdown.
                if c == ":", let b = breakdown, i - b.opened <= 3 { breakdown?.colonList = true }
                if c == ";", breakdown?.colonList != true { breakdown = nil }
                endClause(at: i + 1)
                i += 1
            } else if ScanText.isOpen(c) {
                if let h = Heading.at(t, i) { heading(h); i = h.titleStart; continue }
                depth += 1
                i += 1
            } else if ScanText.isClose(c) {
                depth = max(0, depth - 1)
                if let b = breakdown, b.depth > depth { breakdown = nil }
                i += 1
            } else if let h = Heading.at(t, i) {
                heading(h)
                i = h.titleStart
            } else if t.isQizhong(at: i) {
                if let p = lastPosts, p.end >= i - 2 {
                    breakdown = Breakdown(channel: p.channel, group: p.group, depth: depth, opened: i + 2)
                }
                i += 2
            } else if let m = channels.find(t, at: i), isWord(i, m.length) {
                let channel = channels.value(m)
                clauseChannel = Mention(channel: channel, start: i, end: i + m.length)
                sentenceChannel = channel
                i += m.length
            } else if let m = metricWords.find(t, at: i) {
                clauseMetric = MetricMention(metric: metricWords.value(m), start: i, end: i + m.length)
                i += m.length
            } else if NumberReader.startsNumber(t, i) {
                let (token, next) = NumberReader.read(t, at: i, units: MediaVocabulary.units)
                if let token, !excluded { number(token) }
                i = max(next, i + 1)
            } else {
                i += 1
            }
        }
        return rows
    }

    /// ASCII keywords (APP) must not be part of a longer word.
    private func isWord(_ i: Int, _ length: Int) -> Bool {
        guard let c = t[i], ScanText.isASCIILetter(c) else { return true }
        return !ScanText.isASCIILetter(t[i - 1]) && !ScanText.isASCIILetter(t[i + length])
    }

    private mutating func endSentence(at next: Int) {
        endClause(at: next)
        sentenceChannel = nil
        lastPosts = nil
        breakdown = nil
        depth = 0
    }

    private mutating func endClause(at next: Int) {
        clauseStart = next
        clauseChannel = nil
        clauseMetric = nil
    }

    private mutating func heading(_ h: Heading) {
        endSentence(at: h.titleStart)
        if h.level == .section { excluded = h.isApplicationsPart }
    }

    // MARK: Numbers

    private mutating func number(_ n: NumberToken) {
        if audienceMetric(n) || sessions(n) || following(n) || posts(n) || breakdownItem(n) || inherited(n) { return }
    }

    /// `关注人数达 1016823 人`, `播放量超2300万`, `粉丝数 54373` (not averages: `日均访问量`).
    private mutating func audienceMetric(_ n: NumberToken) -> Bool {
        guard let m = clauseMetric, m.end <= n.start, n.start - m.end <= 8,
              !MediaVocabulary.averageWords.occurs(in: t.scalars[max(clauseStart, m.start - 4)..<m.start]),
              MediaVocabulary.metricFillers.covers(t.scalars[m.end..<n.start], allowQuoted: false),
              MediaVocabulary.fits(m.metric, unit: n.unit),
              let channel = clauseChannel?.channel ?? sentenceChannel ?? breakdown?.channel else { return false }
        emit(channel, m.metric, n)
        clauseMetric = nil
        return true
    }

    /// `直播 118 场`, `在线访谈12期`, `召开新闻发布会5场`.
    private mutating func sessions(_ n: NumberToken) -> Bool {
        guard MediaVocabulary.isSessionUnit(n.unit), let ch = clauseChannel, ch.channel.countsSessions,
              ch.end <= n.start, n.start - ch.end <= 12,
              MediaVocabulary.sessionFillers.covers(t.scalars[ch.end..<n.start]) else { return false }
        emit(ch.channel, .sessions, n)
        return true
    }

    /// The channel follows the count: `举办3场新闻发布会`, `发布106条微博`, `对29项…政策文件进行解读`.
    private mutating func following(_ n: NumberToken) -> Bool {
        let isSession = MediaVocabulary.isSessionUnit(n.unit), isPost = MediaVocabulary.isPostUnit(n.unit)
        guard isSession || isPost || MediaVocabulary.isUnit(n.unit, "项") || MediaVocabulary.isUnit(n.unit, "个") else { return false }
        // A channel within a few scalars (a quoted name may stand between).
        var k = n.unitEnd
        var steps = 0
        while let c = t[k], steps < 48, !ScanText.isClauseEnd(c), !ScanText.isDigit(c) {
            if let found = MediaVocabulary.channels.find(t, at: k), isWord(k, found.length) {
                let m = (value: MediaVocabulary.channels.value(found), length: found.length)
                let end = k + m.length
                // `两条微信阅读量…`: the count qualifies a metric that follows, not a post count.
                for j in end..<(end + 4) where MediaVocabulary.metricWords.find(t, at: j) != nil { return false }
                if m.value == .policyInterpretation {
                    guard ["项", "件", "篇", "个", "条"].contains(n.unit), MediaVocabulary.policyObjects.occurs(in: t.scalars[n.unitEnd..<k])
                    else { return false }
                    emitPosts(.policyInterpretation, .posts, n)
                    return true
                }
                guard k - n.unitEnd <= 6 || t[n.unitEnd] == "“" else { return false }
                if m.value.countsSessions && isSession {
                    emit(m.value, .sessions, n)
                    return true
                }
                if !m.value.countsSessions && isPost && k - n.unitEnd <= 2 {
                    emitPosts(m.value, .posts, n)
                    return true
                }
                return false
            }
            k += 1
            steps += 1
        }
        return false
    }

    /// `微信公众号共编发文章 1640 篇`, `政府网站公开 106 条`, `政策解读共132件`.
    private mutating func posts(_ n: NumberToken) -> Bool {
        guard let ch = clauseChannel, !ch.channel.countsSessions, ch.end <= n.start, n.start - ch.end <= 24 else { return false }
        let between = t.scalars[ch.end..<n.start]
        let interpretation = ch.channel == .policyInterpretation
        let fillers = interpretation ? MediaVocabulary.interpretationFillers : MediaVocabulary.postFillers
        guard fillers.covers(between), unitFitsPosts(n.unit, between: Array(between), interpretation: interpretation) else { return false }
        let clause = Array(t.scalars[min(clauseStart, ch.start)..<n.start])
        emitPosts(ch.channel, kind(of: clause) ?? .posts, n)
        return true
    }

    /// In a breakdown: `其中，局机关主动公开信息 106 条，转发信息 291 条`.
    private mutating func breakdownItem(_ n: NumberToken) -> Bool {
        guard let b = breakdown, clauseChannel == nil, MediaVocabulary.isPostUnit(n.unit),
              n.start - clauseStart <= 24, clauseStart <= n.start else { return false }
        let clause = Array(t.scalars[clauseStart..<n.start])
        guard let metric = kind(of: clause, breakdown: true) else { return false }
        emit(b.channel, metric, n, group: b.group)
        return true
    }

    /// A later clause of the sentence about the channel already named: `…，发布原创文章 50 篇`.
    private mutating func inherited(_ n: NumberToken) -> Bool {
        guard clauseChannel == nil, breakdown == nil, let channel = sentenceChannel, !channel.countsSessions,
              channel != .policyInterpretation, MediaVocabulary.isPostUnit(n.unit),
              clauseStart < n.start, n.start - clauseStart <= 16 else { return false }
        let clause = Array(t.scalars[clauseStart..<n.start])
        guard MediaVocabulary.postFillers.covers(clause[...]), MediaVocabulary.postingVerbs.occurs(in: clause[...]) else { return false }
        emitPosts(channel, kind(of: clause) ?? .posts, n)
        return true
    }

    /// Original posts or reposts, by the words of the clause (in a breakdown, also the words
    /// that name the agency's own posts: `局机关主动公开信息`).
    private func kind(of words: [Unicode.Scalar], breakdown: Bool = false) -> MediaMetric? {
        if MediaVocabulary.repostWords.occurs(in: words[...]) { return .reposts }
        let original = breakdown ? MediaVocabulary.breakdownOriginalWords : MediaVocabulary.originalWords
        if original.occurs(in: words[...]) { return .originalPosts }
        return nil
    }

    private func unitFitsPosts(_ unit: String, between: [Unicode.Scalar], interpretation: Bool) -> Bool {
        if MediaVocabulary.isPostUnit(unit) { return true }
        if unit == "项" { return interpretation }
        if unit == "个" || unit == "部" { return Lexicon<Bool>.containsAny(between, ["视频"]) }
        return false
    }

    // MARK: Output

    private mutating func emitPosts(_ channel: MediaChannel, _ metric: MediaMetric, _ n: NumberToken) {
        if metric == .posts {
            breakdown = nil
            groups += 1
            emit(channel, metric, n, group: groups)
            lastPosts = LastPosts(channel: channel, end: n.unitEnd, group: groups)
        } else {
            emit(channel, metric, n, group: lastPosts?.group)
        }
    }

    private mutating func emit(_ channel: MediaChannel, _ metric: MediaMetric, _ n: NumberToken, group: Int? = nil) {
        rows.append(MediaOutputRow(channel: channel, metric: metric, value: n.value, approximate: n.approximate,
                                   text: clauseText(around: n), line: t.line(at: n.start), group: group))
    }

    /// The clause holding the number (at most 80 scalars on either side).
    private func clauseText(around n: NumberToken) -> String {
        let lo = max(clauseStart, n.start - 80, 0)
        var hi = n.unitEnd
        while let c = t[hi], hi - n.unitEnd < 80, !ScanText.isClauseEnd(c) { hi += 1 }
        return t.text(lo..<hi)
    }
}
