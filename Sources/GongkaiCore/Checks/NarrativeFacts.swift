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
        var out: [Claim] = []
        for p in paragraphs {
            let norm = TextNormalization.label(p.text)
            let s = Array(norm.unicodeScalars)
            for (topic, words) in phrases {
                for w in words {
                    let ws = Array(w.unicodeScalars)
                    var i = 0
                    while i + ws.count <= s.count {
                        if s[i] == ws[0] && Array(s[i..<(i + ws.count)]) == ws {
                            if let (n, ctxEnd) = number(after: i + ws.count, in: s, within: 6) {
                                let ctx = String(String.UnicodeScalarView(s[max(0, i - 6)..<min(s.count, ctxEnd + 1)]))
                                out.append(Claim(topic: topic, value: n, context: ctx))
                            }
                            i += ws.count
                        } else { i += 1 }
                    }
                }
            }
            // 没有收到 / 未收到 …申请: zero applications.
            for neg in ["没有收到", "未收到", "无依申请公开", "未发生依申请公开"] where norm.containsText(neg) {
                if let r = norm.rangeOfText(neg), norm[r.upperBound...].prefix(16).contains("申请") {
                    out.append(Claim(topic: "applications_received", value: 0, context: neg + String(norm[r.upperBound...].prefix(12))))
                }
            }
        }
        return out
    }

    /// Numbers stated next to 规范性文件 (e.g. `制发行政规范性文件62件`).
    static func normativeDocumentCounts(_ paragraphs: [Paragraph]) -> Set<Int> {
        var out = Set<Int>()
        for p in paragraphs where p.text.containsText("规范性文件") {
            let s = Array(TextNormalization.label(p.text).unicodeScalars)
            let w = Array("规范性文件".unicodeScalars)
            var i = 0
            while i + w.count <= s.count {
                if s[i] == w[0] && Array(s[i..<(i + w.count)]) == w, let (n, _) = number(after: i + w.count, in: s, within: 2) {
                    out.insert(n)
                }
                i += 1
            }
        }
        return out
    }

    /// The integer starting within `within` characters of `start` and followed by 件.
    static func number(after start: Int, in s: [Unicode.Scalar], within: Int) -> (Int, Int)? {
        var i = start
        while i < s.count && i - start <= within {
            if s[i] >= "0" && s[i] <= "9" {
                var j = i, n = 0
                while j < s.count && s[j] >= "0" && s[j] <= "9" && j - i < 9 { n = n * 10 + Int(s[j].value - 48); j += 1 }
                return j < s.count && (s[j] == "件" || s[j] == "宗" || s[j] == "起") ? (n, j) : nil
            }
            if s[i] == "。" || s[i] == "," || s[i] == "，" || s[i] == ";" || s[i] == "；" { return nil }
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
