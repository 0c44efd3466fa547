import GongkaiPluginAPI
import NarrativeKit

/// What each publication channel produced, as the narrative states it: posts of the website,
/// WeChat, Weibo, short-video and app accounts, their followers, views and likes, and the
/// sessions of press conferences, live streams and online interviews.
///
/// One row per stated number (`media_output`). Values are normalised (`1.2万` → 12000,
/// `一百二十` → 120) and keep their qualifier (`exact`, or `approximately` for 余, 近, 约, 多,
/// 超过, 逾, 左右, 以上, 突破), the clause they came from and its line. A breakdown `其中…`
/// after a post count belongs to the channel just counted. Pure: no I/O, no state.
public struct MediaOutputPlugin: AnalysisPlugin {
    /// Stable identifier of the plugin, used by the registry and in finding rules.
    public let id = "media_output"
    /// The plugin's own version, shown by `gongkai plugins`.
    public let version = "1.0.0"

    /// Creates the plugin (it has no configuration).
    public init() {}

    /// Registers the `media_output` table, its metrics, a consistency check and a chart preset.
    public func register(_ r: PluginRegistrar) {
        r.addTable(PluginTable(
            name: "media_output",
            description: "one row per output of a publication channel stated in the narrative",
            columns: [
                PluginColumn("channel", .text, "website, wechat, weibo, douyin, kuaishou, wechat_channels, toutiao, app, new_media, "
                             + "press_conference, policy_interpretation, live_stream, online_interview"),
                PluginColumn("metric", .text, "posts, original_posts, reposts, followers, views, likes, sessions"),
                PluginColumn("value", .integer, "the number, normalised (1.2万 → 12000, 二十余 → 20)"),
                PluginColumn("qualifier", .text, "exact, or approximately (余 近 约 多 超过 逾 左右 以上 突破)"),
                PluginColumn("text", .text, "the clause the number was read from"),
                PluginColumn("line", .integer, "line of the number in the source file"),
            ],
            derive: { report in Self.tableRows(report) }))

        let share = "null when the report states no WeChat post count (division by zero is null); "
            + "statements of several accounts are pooled"
        r.addMetric(PluginMetric(
            name: "wechat_original_share", table: "media_output",
            expression: #"sum(if(channel == "wechat" and metric == "original_posts", value, 0)) / sum(if(channel == "wechat" and metric == "posts", value, 0))"#,
            zh: "微信原创率：原创篇数 / 发布总数（按报告分组聚合）", en: "share of WeChat posts that are original (aggregate per report)",
            nullRule: share))
        r.addMetric(PluginMetric(
            name: "wechat_repost_share", table: "media_output",
            expression: #"sum(if(channel == "wechat" and metric == "reposts", value, 0)) / sum(if(channel == "wechat" and metric == "posts", value, 0))"#,
            zh: "微信转发占比：转发条数 / 发布总数（按报告分组聚合）", en: "share of WeChat posts that are reposts (aggregate per report)",
            nullRule: share))
        r.addMetric(PluginMetric(
            name: "live_stream_views_per_session", table: "media_output",
            expression: #"sum(if(channel == "live_stream" and metric == "views", value, 0)) / sum(if(channel == "live_stream" and metric == "sessions", value, 0))"#,
            zh: "场均直播观看量：直播观看量 / 直播场次（按报告分组聚合）", en: "live-stream views per session (aggregate per report)",
            nullRule: "null when the report states no live-stream sessions"))

        r.addCheck(PluginCheck(
            rule: "breakdown_exceeds_total",
            description: "the original posts and reposts of a 其中 breakdown add up to more than the post count they break down",
            run: { report in Self.findings(report) }))

        r.addChartPreset(PluginChartPreset(
            name: "wechat_followers", kind: "bar",
            pipeline: #"from media_output | where channel == "wechat" and metric == "followers" | sort -value | take 20"#,
            x: "report_id", y: "value"))
    }

    /// The channel outputs of a report, read once for its table and its check.
    static func extract(_ report: PluginReport) -> [MediaOutputRow] {
        memo.value(report.narrative) {
            var extractor = MediaExtractor(report.narrative)
            return extractor.extract()
        }
    }

    /// The outputs of the last few narratives read (the table and the check share them).
    private static let memo = NarrativeMemo<[MediaOutputRow]>()

    /// The rows of the `media_output` table, one value per column.
    static func tableRows(_ report: PluginReport) -> [[PluginValue]] {
        extract(report).map { row in
            [.text(row.channel.rawValue), .text(row.metric.rawValue), .integer(row.value), .text(row.qualifier),
             .text(row.text), .integer(Int64(row.line))]
        }
    }

    /// Breakdowns whose parts exceed their total (`发布信息 397 条，其中原创 106 条，转发 291 条` is fine).
    static func findings(_ report: PluginReport) -> [PluginFinding] {
        let rows = extract(report)
        var totals: [Int: MediaOutputRow] = [:]
        var parts: [Int: Int64] = [:]
        for row in rows {
            guard let g = row.group else { continue }
            if row.metric == .posts {
                totals[g] = row
            } else if row.metric == .originalPosts || row.metric == .reposts {
                parts[g, default: 0] += row.value
            }
        }
        return parts.keys.sorted().compactMap { g in
            guard let total = totals[g], let sum = parts[g], sum > total.value, !total.approximate else { return nil }
            return PluginFinding(rule: "breakdown_exceeds_total", severity: "warning",
                                 message: "line \(total.line): \(total.channel.rawValue) original posts and reposts add up to \(sum), "
                                     + "more than the \(total.value) posts stated (\(total.text))")
        }
    }
}
