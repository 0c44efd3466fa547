import NarrativeKit
/// A publication channel a report states output for (the `channel` column).
enum MediaChannel: String, Sendable, CaseIterable {
    case website, wechat, weibo, douyin, kuaishou, wechatChannels = "wechat_channels", toutiao, app
    case newMedia = "new_media", pressConference = "press_conference", policyInterpretation = "policy_interpretation"
    case liveStream = "live_stream", onlineInterview = "online_interview"

    /// Channels counted in sessions (场/期/次) rather than posts.
    var countsSessions: Bool { self == .pressConference || self == .liveStream || self == .onlineInterview }
}

/// What a number measures (the `metric` column).
enum MediaMetric: String, Sendable, CaseIterable {
    case posts, originalPosts = "original_posts", reposts, followers, views, likes, sessions
}

/// The words the media extractor recognises.
enum MediaVocabulary {
    /// Channel names, longest first at each position (`微信视频号` before `微信`).
    static let channels = Lexicon<MediaChannel>([
        ("门户网站", .website), ("政府网站", .website), ("官方网站", .website), ("网站", .website), ("官网", .website),
        ("微信公众号", .wechat), ("微信订阅号", .wechat), ("微信服务号", .wechat), ("政务微信", .wechat), ("微信号", .wechat),
        ("公众号", .wechat), ("订阅号", .wechat), ("服务号", .wechat), ("微信", .wechat),
        ("微信视频号", .wechatChannels), ("视频号", .wechatChannels),
        ("新浪微博", .weibo), ("政务微博", .weibo), ("微博", .weibo),
        ("抖音号", .douyin), ("抖音", .douyin), ("快手号", .kuaishou), ("快手", .kuaishou),
        ("今日头条号", .toutiao), ("今日头条", .toutiao), ("头条号", .toutiao),
        ("客户端", .app), ("APP", .app), ("App", .app), ("app", .app),
        ("政务新媒体", .newMedia), ("新媒体", .newMedia),
        ("新闻发布会", .pressConference), ("发布会", .pressConference), ("新闻通气会", .pressConference), ("吹风会", .pressConference),
        ("政策解读", .policyInterpretation), ("解读", .policyInterpretation),
        ("网络直播", .liveStream), ("直播", .liveStream),
        ("在线访谈", .onlineInterview), ("网上访谈", .onlineInterview), ("网络访谈", .onlineInterview), ("访谈", .onlineInterview),
    ])

    /// Words naming an audience metric; the number follows them (`关注人数达 1016823 人`).
    static let metricWords = Lexicon<MediaMetric>([
        ("粉丝数", .followers), ("粉丝量", .followers), ("粉丝总数", .followers), ("粉丝", .followers),
        ("关注人数", .followers), ("关注数", .followers), ("关注量", .followers), ("关注用户", .followers), ("关注者", .followers),
        ("订阅人数", .followers), ("订阅数", .followers), ("订阅用户", .followers), ("订阅量", .followers),
        ("用户数", .followers), ("用户量", .followers), ("用户总数", .followers), ("用户", .followers),
        ("阅读量", .views), ("阅读数", .views), ("阅读次数", .views), ("浏览量", .views), ("浏览次数", .views), ("浏览数", .views),
        ("访问量", .views), ("访问次数", .views), ("点击量", .views), ("播放量", .views), ("播放次数", .views),
        ("观看量", .views), ("观看次数", .views), ("观看人次", .views), ("观看人数", .views), ("收看人次", .views),
        ("阅读", .views), ("浏览", .views), ("访问", .views), ("播放", .views), ("观看", .views),
        ("点赞量", .likes), ("点赞数", .likes), ("点赞", .likes), ("获赞", .likes),
    ])

    /// Units the extractor reads after a number.
    static let units = Lexicon<String>(["条", "篇", "则", "件", "期", "个", "项", "部", "场次", "场", "人次", "次", "人", "户", "名", "位"]
        .map { ($0, $0) })

    /// The scalars of a unit (units are at most two scalars long: a third, or none, is nil).
    /// Units are matched by scalar, not as strings: two different non-ASCII strings compare
    /// the slow, Unicode-aware way, and the tests below fail far more often than they pass.
    private static func spelling(_ unit: String) -> (Unicode.Scalar?, Unicode.Scalar?, Unicode.Scalar?) {
        var it = unit.unicodeScalars.makeIterator()
        return (it.next(), it.next(), it.next())
    }

    /// Whether `unit` is the one scalar `c`.
    static func isUnit(_ unit: String, _ c: Unicode.Scalar) -> Bool {
        switch spelling(unit) {
        case (.some(c), nil, nil): return true
        default: return false
        }
    }

    /// Whether `unit` counts posts (`条 篇 则 件 期`).
    static func isPostUnit(_ unit: String) -> Bool {
        switch spelling(unit) {
        case (.some("条"), nil, nil), (.some("篇"), nil, nil), (.some("则"), nil, nil), (.some("件"), nil, nil),
             (.some("期"), nil, nil): return true
        default: return false
        }
    }

    /// Whether `unit` counts sessions (`场 期 次 场次`).
    static func isSessionUnit(_ unit: String) -> Bool {
        switch spelling(unit) {
        case (.some("场"), nil, nil), (.some("期"), nil, nil), (.some("次"), nil, nil), (.some("场"), .some("次"), nil): return true
        default: return false
        }
    }

    /// Units a metric accepts (empty string: no unit, as in `粉丝数 54373`).
    static func fits(_ metric: MediaMetric, unit: String) -> Bool {
        let u = spelling(unit)
        switch metric {
        case .views:
            switch u {
            case (nil, nil, nil), (.some("次"), nil, nil), (.some("人"), .some("次"), nil), (.some("人"), nil, nil): return true
            default: return false
            }
        case .likes:
            switch u {
            case (nil, nil, nil), (.some("次"), nil, nil), (.some("个"), nil, nil), (.some("人"), .some("次"), nil): return true
            default: return false
            }
        case .followers:
            switch u {
            case (nil, nil, nil), (.some("人"), nil, nil), (.some("户"), nil, nil), (.some("个"), nil, nil), (.some("名"), nil, nil),
                 (.some("位"), nil, nil): return true
            default: return false
            }
        default: return false
        }
    }

    /// What may stand between an audience-metric word and its number.
    static let metricFillers = Lexicon<Bool>(["达", "已达", "已", "为", "超", "超过", "突破", "逾", "近", "约", "共", "累计", "总", "共计",
                                              "合计", "即达", "有", "高达", "多达", "达到", "至", "均", "目前", "现有", "总数", "量", "数", ":"]
        .map { ($0, true) })

    /// What may stand between a session channel and its count (`直播 118 场`, `在线访谈12期`).
    static let sessionFillers = Lexicon<Bool>(["共", "共计", "累计", "全年", "开展", "举办", "召开", "组织", "达", "了", "等", "活动",
                                               "系列", "专场", "场次", "总计", "合计", "近", "约", "超过", "逾", ":"]
        .map { ($0, true) })

    /// What may stand between a channel and its post count (`微信公众号共编发文章 1640 篇`). A
    /// document noun (政府信息, 规章, 文件) is not here: such counts are documents published
    /// through the channel, not the channel's output.
    static let postFillers = Lexicon<Bool>([
        "全年", "今年", "本年", "本年度", "年内", "当年", "累计", "共计", "合计", "总计", "共", "总共", "目前", "已", "达", "达到",
        "超过", "超", "逾", "近", "约", "突破", "了", "并", "和", "及", "等", "各类", "主动", "通过", "在", "上", "平台", "账号",
        "官方", "信息", "文章", "稿件", "图文", "推文", "消息", "内容", "作品", "短视频", "视频", "动态", "条", "类", "发布", "编发",
        "推送", "发送", "公开", "公布", "更新", "制作", "刊发", "刊载", "推出", "上传", "发表", "原创", "转发", "转载", "期", ":",
    ].map { ($0, true) })

    /// What may stand between 解读 / 政策解读 and its count (`政策文件解读96篇`, `解读类信息发布 21 条`).
    static let interpretationFillers = Lexicon<Bool>([
        "全年", "今年", "本年", "累计", "共计", "合计", "共", "了", "类", "信息", "材料", "稿件", "文章", "图解", "发布", "公开", "推出",
        "编发", "刊发", "刊登", "政策", "文件", "政策文件", "解读", "达", "超过", "近", "约", ":",
    ].map { ($0, true) })

    /// Words marking original posts (`发布原创微博120条`).
    static let originalWords = Lexicon<Bool>(words: ["原创", "自创", "原发"])
    /// Words marking original posts in a breakdown (`其中原创文章 294 篇`, `局机关主动公开信息 106 条`).
    static let breakdownOriginalWords = Lexicon<Bool>(words: ["原创", "自创", "原发", "自主发布", "自行发布", "主动公开", "主动发布", "自采", "自主", "自行"])
    /// Words marking reposts (`转发信息 291 条`).
    static let repostWords = Lexicon<Bool>(words: ["转发", "转载", "转推"])
    /// Verbs of publishing (an inherited channel needs one: `…发布原创文章 50 篇`).
    static let postingVerbs = Lexicon<Bool>(words: ["发布", "编发", "推送", "发送", "刊发", "推出", "更新", "上传", "发表", "原创", "转发", "转载"])
    /// Words that make an audience number an average, not a total (`日均访问量`).
    static let averageWords = Lexicon<Bool>(words: ["日均", "月均", "周均", "平均", "场均", "篇均", "单条", "每天", "每日", "每月", "最高"])
    /// Objects that make `对N项…进行解读` a count of policy interpretations.
    static let policyObjects = Lexicon<Bool>(words: ["政策", "文件", "规章", "措施", "方案", "办法", "条例", "意见", "通知"])
}
