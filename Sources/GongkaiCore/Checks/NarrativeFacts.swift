/// Numbers the narrative states about what the tables count: 收到申请N件, 没有收到申请,
/// 行政复议N件, 制发规范性文件N件. Used by the text-vs-table check and, for digit runs the
/// identities cannot settle, as evidence.
public enum NarrativeFacts {
    /// A number stated after a phrase, with the phrase that introduced it.
    public struct Claim: Sendable, Hashable {
        /// What the number counts (`applications_received`, `admin_reviews`, …).
        public var topic: String
        /// The number.
        public var value: Int
        /// The words around it, for the message.
        public var context: String
    }

    /// Phrases whose next number (within a few characters, followed by 件) is a claim.
    static let phrases: [(topic: String, words: [String])] = [
        ("applications_received", ["收到政府信息公开申请", "受理政府信息公开申请", "收到依申请公开", "收到信息公开申请", "新收政府信息公开申请"]),
        ("admin_reviews", ["行政复议"]),
        ("lawsuits", ["行政诉讼"]),
    ]

    /// The claims in the narrative paragraphs.
    public static func claims(_ paragraphs: [Paragraph]) -> [Claim] {
        claims(normalized: paragraphs.map { TextNormalization.labelUTF8($0.text) })
    }

    /// ``phrases`` with their words as UTF-8 (made once, not per paragraph), each with
    /// whether it contains 申请: a paragraph without 申请 cannot contain those words.
    private static let phraseBytes: [(topic: String, words: [(bytes: [UInt8], mentionsApplication: Bool)])] = phrases.map {
        ($0.topic, $0.words.map { (Array($0.utf8), $0.contains("申请")) })
    }
    /// Phrases that state no application was received (没有收到 / 未收到 …申请), as UTF-8.
    private static let negationBytes: [[UInt8]] = ["没有收到", "未收到", "无依申请公开", "未发生依申请公开"].map { Array($0.utf8) }
    private static let applicationBytes = Array("申请".utf8)
    /// The topic of a claim read from a negation phrase.
    private static let negationTopic = "applications_received"

    /// The claims in paragraphs already in label normal form (UTF-8).
    static func claims(normalized: [[UInt8]]) -> [Claim] {
        claims(normalized: normalized, firstOf: nil)
    }

    /// Of ``claims(normalized:)``, only the first claim of each of `topics`: all a check that
    /// reads one number per topic needs. The phrases of a topic are not looked for once it
    /// has its claim, nor the paragraphs once every topic has one.
    static func firstClaims(normalized: [[UInt8]], topics: [String]) -> [Claim] {
        claims(normalized: normalized, firstOf: topics)
    }

    /// The claims of the paragraphs, in order; with `topics`, only the first of each of them.
    private static func claims(normalized: [[UInt8]], firstOf topics: [String]?) -> [Claim] {
        var out: [Claim] = []
        // Per entry of ``phraseBytes``: whether its claims are still wanted.
        var open = phraseBytes.map { phrase in topics.map { $0.contains(phrase.topic) } ?? true }
        let negationAt = phraseBytes.firstIndex { $0.topic == negationTopic }!
        for norm in normalized where norm.count >= 6 {
            guard open.contains(true) else { break }
            // Most paragraphs do not mention 申请: one search spares them every phrase with it.
            let mentionsApplication = RowLabels.firstIndex(of: applicationBytes, in: norm) != nil
            for t in phraseBytes.indices where open[t] {
                phrase: for (needle, needsApplication) in phraseBytes[t].words where mentionsApplication || !needsApplication {
                    var from = 0
                    while from < norm.count, let i = RowLabels.firstIndex(of: needle, in: norm[from...]) {
                        if let (n, end) = number(after: i + needle.count, in: norm, within: 18) {
                            let ctx = String(decoding: norm[i..<min(norm.count, end + 3)], as: UTF8.self)
                            out.append(Claim(topic: phraseBytes[t].topic, value: n, context: ctx))
                            if topics != nil { open[t] = false; break phrase }
                        }
                        from = i + needle.count
                    }
                }
            }
            // 没有收到 / 未收到 …申请: zero applications.
            for needle in negationBytes where mentionsApplication && open[negationAt] {
                guard let i = RowLabels.firstIndex(of: needle, in: norm) else { continue }
                let tail = norm[(i + needle.count)..<min(norm.count, i + needle.count + 48)]
                if RowLabels.firstIndex(of: applicationBytes, in: tail) != nil {
                    out.append(Claim(topic: negationTopic, value: 0, context: String(decoding: norm[i..<tail.endIndex], as: UTF8.self)))
                    if topics != nil { open[negationAt] = false }
                }
            }
        }
        return out
    }

    /// Numbers stated next to 规范性文件 (e.g. `制发行政规范性文件62件`).
    static func normativeDocumentCounts(normalized: [[UInt8]]) -> Set<Int> {
        var out = Set<Int>()
        let needle = Array("规范性文件".utf8)
        for norm in normalized {
            var from = 0
            while from < norm.count, let i = RowLabels.firstIndex(of: needle, in: norm[from...]) {
                if let (n, _) = number(after: i + needle.count, in: norm, within: 0) { out.insert(n) }
                from = i + needle.count
            }
        }
        return out
    }

    /// The integer starting within `within` bytes of `start` and followed by 件 (or 宗, 起).
    static func number(after start: Int, in s: [UInt8], within: Int) -> (Int, Int)? {
        var i = start
        while i < s.count && i - start <= within {
            let b = s[i]
            if b >= 0x30 && b <= 0x39 {
                var j = i, n = 0
                while j < s.count && s[j] >= 0x30 && s[j] <= 0x39 && j - i < 9 { n = n * 10 + Int(s[j] - 0x30); j += 1 }
                for unit in ["件", "宗", "起"] where s[j...].starts(with: unit.utf8) { return (n, j) }
                return nil
            }
            // Stop at sentence punctuation: 。，；and ASCII , ;
            if b == 0x2C || b == 0x3B { return nil }
            if b == 0xE3 && i + 2 < s.count && s[i + 1] == 0x80 && s[i + 2] == 0x82 { return nil }
            if b == 0xEF && i + 2 < s.count && s[i + 1] == 0xBC && (s[i + 2] == 0x8C || s[i + 2] == 0x9B) { return nil }
            i += 1
        }
        return nil
    }
}

extension String {
    /// Foundation-free `range(of:)` on the normal form, used by narrative scanning.
    func rangeOfText(_ needle: String) -> Range<String.Index>? {
        guard let off = RowLabels.firstIndex(of: Array(needle.utf8), in: Array(utf8)) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: off)
        let end = utf8.index(start, offsetBy: needle.utf8.count)
        return start..<end
    }
}
