import NarrativeKit
/// Words of proactive-disclosure statements and how the category of a count is cleaned.
///
/// The category is what the report counts, as printed, without the words around it that are
/// not part of the thing: time (`全年`, `2019年`), totals (`共`, `累计`), the subject (`我区`,
/// `通过…`), the publishing verb when an object follows it (`共公布政府信息` → `政府信息`), a
/// trailing `等`, quotation marks. When the object is generic (`信息`, `文章`), the subject and
/// verb are the category (`政府网站公开`, `微信订阅号发布信息`); when the whole clause says
/// nothing but `发布信息`, the topic of the numbered item the sentence is in stands for it
/// (`（13）推进行政执法信息公开 … 全年公布631条` → `行政执法信息`).
enum CategoryText {
    typealias Scalars = [Unicode.Scalar]

    /// Units of published items.
    static let units = Lexicon<String>(["条", "篇", "件", "个", "份", "项", "期", "则", "批次", "批"].map { ($0, $0) })
    /// Scalars that end a unit, where `、` separates two counted items (`资质条、施工许可证76条`).
    static let unitEnds: Set<Unicode.Scalar> = ["条", "篇", "件", "个", "份", "项", "期", "则", "批", "次"]

    /// Publishing verbs that split subject from object.
    static let splitVerbs = Lexicon<Bool>(["主动公开", "公开", "公布", "发布", "编发", "推送", "报送", "上传", "制发", "刊发", "刊登",
                                          "发送", "印发", "转发", "转载", "更新"].map { ($0, true) })
    /// Verbs that make a clause a statement about publishing.
    static let licenseVerbs = Lexicon<Bool>(["主动公开", "公开", "公布", "发布", "编发", "推送", "报送", "上传", "制发", "刊发", "刊登",
                                            "发送", "印发", "转发", "转载", "更新", "公示", "解读", "发表", "推出"].map { ($0, true) })
    /// Words after 公开/发布 that make it a noun (`政府信息公开工作`, `信息发布审核`).
    static let nounFollowers = Lexicon<Bool>(["工作", "单位", "申请", "指南", "目录", "专栏", "栏目", "平台", "年报", "年度报告", "办",
                                             "条例", "制度", "方面", "情况", "领导", "考核", "事项", "属性", "范围", "标准", "要求",
                                             "力度", "水平", "质量", "渠道", "形式", "机制", "效果", "成果", "方式", "审核", "审查",
                                             "率", "会", "第一平台", "规定", "办法"].map { ($0, true) })
    /// Modal words before a verb that make it part of a noun (`其他应主动公开政府信息`).
    static let modals: Set<Unicode.Scalar> = ["应", "须", "需", "可", "待", "拟"]

    /// Words of a clause whose count is not a proactive-disclosure count: applications and their
    /// outcomes, reviews and lawsuits, changes against last year, averages.
    static let excludedWords = Lexicon<Bool>(words: ["答复", "复议", "诉讼", "办结", "结转", "受理", "收到", "予以公开", "部分公开", "不予公开", "无法提供",
                                "不予处理", "其他处理", "公开申请", "依申请", "申请人", "申请公开", "同比", "较上年", "比上年", "较去年",
                                "比去年", "增长", "下降", "减少", "平均", "日均", "月均", "每天", "每日", "每月", "每周"])
    /// Category endings that are requests, not published items.
    static let requestEndings = ["申请", "诉求", "投诉", "咨询", "留言", "来电"].map { Array($0.unicodeScalars) }
    /// Nouns that make a count followed by its noun (`380条财政资金信息`) a count of published items.
    static let infoNouns = Lexicon<Bool>(words: ["信息", "文件", "公告", "通告", "情况", "解读", "政策", "数据", "通知", "公示", "动态", "稿件", "文章",
                            "规划", "报告", "公报", "意见", "办法", "方案", "规章", "目录", "清单", "新闻"])

    static let leadingFillers = Lexicon<Bool>([
        "其中", "包括", "含", "另有", "另", "此外", "还", "并", "同时", "全年", "今年", "本年度", "本年", "当年", "年内", "年度", "累计",
        "共计", "合计", "总计", "总共", "共", "先后", "陆续", "已", "及时", "依法", "了", "各类", "各级单位", "各级", "各种", "我区",
        "我局", "我委", "我市", "我县", "我办", "本局", "本委", "本机关", "本单位", "各单位", "各部门", "全区", "全市", "全县", "通过",
        "以及", "及", "和", "与", "、", ":", "批量", "日常",
    ].map { ($0, true) })
    static let trailingFillers = ["等", "共计", "合计", "累计", "总计", "共", "计", "达", "约", "近", "超过", "超", "逾", "为", "了", "有", ":"]
        .map { Array($0.unicodeScalars) }
    /// Inner words dropped from a subject-form category (`“上海科技”网站全年累计发布信息` → `上海科技网站发布信息`).
    static let innerFillers = Lexicon<Bool>(words: ["全年", "今年", "当年", "年内", "累计", "共计", "目前"])
    /// Objects that say nothing of what was published.
    static let genericObjects: Set<String> = ["", "信息", "相关信息", "有关信息", "各类信息", "内容", "文章", "稿件", "消息", "图文", "动态",
                                              "视频", "短视频", "作品", "推文", "条信息"]
    static let topicVerbs = Lexicon<Bool>(["扎实推进", "积极推进", "全面推进", "持续推进", "着力推进", "进一步", "不断", "推进", "加强",
                                          "深化", "做好", "强化", "抓好", "做实", "规范", "抓实", "突出", "聚焦"].map { ($0, true) })
    static let topicEndings = ["公开", "工作", "方面", "情况"].map { Array($0.unicodeScalars) }

    // MARK: Verbs

    /// The publishing verb spelled at `i` of `a`: its length, and whether it is used as a verb
    /// (not after a modal, `应主动公开`, and not a noun, `政务公开`, `信息公开工作`).
    static func verb(_ lexicon: Lexicon<Bool>, in a: Scalars, at i: Int) -> (length: Int, isVerb: Bool)? {
        guard let m = lexicon.find(a, at: i) else { return nil }
        if i > 0, modals.contains(a[i - 1]) { return (m.length, false) }
        if i >= 2, a[i - 2] == "政", a[i - 1] == "务" { return (m.length, false) }
        if nounFollowers.find(a, at: i + m.length) != nil { return (m.length, false) }
        return (m.length, true)
    }

    /// The first publishing verb used as a verb in `a`.
    static func firstVerb(_ lexicon: Lexicon<Bool>, in a: Scalars) -> (index: Int, length: Int)? {
        var i = 0
        while i < a.count {
            if let v = verb(lexicon, in: a, at: i) {
                if v.isVerb { return (i, v.length) }
                i += v.length
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Whether `a` holds a publishing verb used as a verb.
    static func hasLicenseVerb(_ a: Scalars) -> Bool { firstVerb(licenseVerbs, in: a) != nil }

    // MARK: Cleaning

    /// The category of a count printed after its category (`国民经济和社会发展统计信息 19 条`).
    /// Returns the category and whether it is generic (says only `发布信息`).
    static func before(_ raw: Scalars) -> (category: Scalars, generic: Bool) {
        var s = raw
        // `《…》及主合办人大代表建议` → `主合办人大代表建议`.
        if let close = s.lastIndex(of: "》") {
            let rest = stripLeading(Array(s[(close + 1)...]))
            if !rest.isEmpty { s = rest }
        }
        s = stripTrailing(stripLeading(s.filter { !ScanText.isQuote($0) }))
        guard let v = firstVerb(splitVerbs, in: s) else { return (s, isGeneric(s)) }
        let object = stripTrailing(stripLeadingVerbs(Array(s[(v.index + v.length)...])))
        if genericObjects.contains(ScanText.string(object[...])) {
            let subject = removeInnerFillers(s)
            return (subject, isGeneric(subject))
        }
        if object.count >= 3 || v.index > 0 { return (object, false) }
        return (Array(s[v.index...]), false)
    }

    /// The category of a count printed before its noun (`380条财政资金信息`,
    /// `29项…的重要政策文件进行解读` → `重要政策文件解读`).
    static func after(_ raw: Scalars) -> (category: Scalars, generic: Bool) {
        var s = raw.filter { !ScanText.isQuote($0) }
        var appended: Scalars = []
        let leads = ["进行", "予以", "作出", "开展"].map { Array($0.unicodeScalars) }
        var i = 0
        search: while i < s.count {
            for lead in leads where i + lead.count < s.count && s[i..<(i + lead.count)].elementsEqual(lead) {
                let rest = Array(s[(i + lead.count)...])
                if let m = licenseVerbs.find(rest, at: 0), m.length == rest.count {
                    if rest == Array("解读".unicodeScalars) { appended = rest }
                    s = Array(s[..<i])
                    break search
                }
            }
            i += 1
        }
        if let de = s.lastIndex(of: "的"), de + 1 < s.count { s = Array(s[(de + 1)...]) }
        s = stripTrailing(s) + appended
        return (s, isGeneric(s))
    }

    /// The topic of a numbered item heading (`推进行政执法信息公开` → `行政执法信息`), if it names information.
    static func topic(_ title: Scalars) -> Scalars? {
        var s = title.filter { !ScanText.isQuote($0) }
        var guardCount = 0
        while guardCount < 8, let m = topicVerbs.find(s, at: 0) { s.removeFirst(m.length); guardCount += 1 }
        guardCount = 0
        while guardCount < 8, let e = topicEndings.first(where: { s.count > $0.count && s.suffix($0.count).elementsEqual($0) }) {
            s.removeLast(e.count)
            guardCount += 1
        }
        return Lexicon<Bool>.containsAny(s, ["信息"]) && s.count <= 20 ? s : nil
    }

    /// Whether the category says nothing but a verb and a generic object.
    static func isGeneric(_ s: Scalars) -> Bool {
        var rest: Scalars = []
        rest.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if let m = splitVerbs.find(s, at: i) { i += m.length; continue }
            rest.append(s[i])
            i += 1
        }
        return genericObjects.contains(ScanText.string(stripLeading(rest)[...]))
    }

    /// Whether the category ends like a request (`网络诉求`, `…申请`).
    static func isRequest(_ s: Scalars) -> Bool {
        requestEndings.contains { s.count >= $0.count && s.suffix($0.count).elementsEqual($0) }
    }

    static func stripLeading(_ a: Scalars) -> Scalars {
        var start = 0
        var rounds = 0
        while rounds < 16, start < a.count {
            rounds += 1
            if let m = leadingFillers.find(a, at: start) { start += m.length; continue }
            // A year: 2019年 / 2019年度.
            var d = start
            while d < a.count, ScanText.isDigit(a[d]) { d += 1 }
            if d - start >= 4, d < a.count, a[d] == "年" {
                start = d + 1
                if start < a.count, a[start] == "度" { start += 1 }
                continue
            }
            break
        }
        return Array(a[start...])
    }

    static func stripLeadingVerbs(_ a: Scalars) -> Scalars {
        var s = a
        var rounds = 0
        while rounds < 8, !s.isEmpty {
            rounds += 1
            if let m = splitVerbs.find(s, at: 0) { s.removeFirst(m.length); continue }
            let t = stripLeading(s)
            if t.count == s.count { break }
            s = t
        }
        return s
    }

    static func stripTrailing(_ a: Scalars) -> Scalars {
        var s = a
        var rounds = 0
        while rounds < 8, let w = trailingFillers.first(where: { s.count > $0.count && s.suffix($0.count).elementsEqual($0) }) {
            s.removeLast(w.count)
            rounds += 1
        }
        return s
    }

    static func removeInnerFillers(_ a: Scalars) -> Scalars {
        var out: Scalars = []
        out.reserveCapacity(a.count)
        var i = 0
        while i < a.count {
            if let w = innerFillers.find(a, at: i) {
                i += w.length
                continue
            }
            // `共` before a verb (`共编发`, `共制作并发布`), not inside `公共`.
            if a[i] == "共", i + 1 < a.count, splitVerbs.find(a, at: i + 1) != nil || (i + 2 < a.count && a[i + 1] == "制" && a[i + 2] == "作") {
                i += 1
                continue
            }
            out.append(a[i])
            i += 1
        }
        return out
    }
}
