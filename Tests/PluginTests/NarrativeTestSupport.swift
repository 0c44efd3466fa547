import Foundation
import GongkaiPluginAPI
@testable import GongkaiCore

/// Builds `PluginReport`s of the corpus reports for the narrative plugin tests, without the
/// host's parser: a paragraph per non-empty text line (lines of tab- or pipe-separated cells are
/// tables, which the host keeps out of the narrative), or per `<p>` of an HTML page outside its
/// tables; metadata and cells come from the report's truth JSON.
enum NarrativeCorpus {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var available: Bool { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("truth").path) }

    /// Collects what a plugin registers (the host registry's own collector).
    typealias Registrar = PluginRegistry.Collector

    /// The `narrative` facts of a report's truth JSON (integers only).
    static func truthNarrative(_ file: String) throws -> [String: Int64] {
        let stem = (file as NSString).deletingPathExtension
        let data = try Data(contentsOf: corpus.appendingPathComponent("truth/\(stem).json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var out: [String: Int64] = [:]
        for (k, v) in json?["narrative"] as? [String: Any] ?? [:] {
            if let n = v as? NSNumber, let i = Int64(n.stringValue) { out[k] = i }
        }
        return out
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The report of a corpus file.
    static func report(_ file: String) throws -> PluginReport {
        let url = corpus.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let stem = (file as NSString).deletingPathExtension
        let truthData = try Data(contentsOf: corpus.appendingPathComponent("truth/\(stem).json"))
        guard let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: Any] else { throw Missing(description: "truth of \(file)") }
        let region = truth["region"] as? [String: Any] ?? [:]
        let narrative = file.hasSuffix(".html") ? htmlParagraphs(text) : textParagraphs(text)
        return PluginReport(source: file, generation: truth["generation"] as? String ?? "2021", year: truth["year"] as? Int,
                            agency: truth["agency"] as? String, province: region["province"] as? String,
                            city: region["city"] as? String, county: region["county"] as? String,
                            cells: cells(truth["cells"] as? [String: Any] ?? [:]), narrative: narrative)
    }

    /// A report whose narrative is the given paragraphs (lines 1, 2, …).
    static func report(paragraphs: [String], generation: String = "2021", cells: [String: PluginValue] = [:]) -> PluginReport {
        PluginReport(source: "test.txt", generation: generation, year: 2024, agency: "测试局", province: nil, city: nil, county: nil,
                     cells: cells,
                     narrative: paragraphs.enumerated().map { .init(text: $1, span: .init(line: $0 + 1, endLine: $0 + 1)) })
    }

    /// A paragraph per non-empty line, as the host's text reader gives them.
    static func textParagraphs(_ text: String) -> [PluginReport.Paragraph] {
        var out: [PluginReport.Paragraph] = []
        for (i, raw) in text.components(separatedBy: "\n").enumerated() {
            var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("|") || raw.contains("\t") { continue }
            while line.hasPrefix("#") { line.removeFirst() }
            line = line.trimmingCharacters(in: .whitespaces)
            out.append(.init(text: line, span: .init(line: i + 1, endLine: i + 1)))
        }
        return out
    }

    /// A paragraph per `<p>` / `<h…>` / `<div>` outside `<table>`, with the line it starts on.
    static func htmlParagraphs(_ html: String) -> [PluginReport.Paragraph] {
        let s = Array(html.unicodeScalars)
        var out: [PluginReport.Paragraph] = []
        var line = 1, startLine = 1
        var text = String.UnicodeScalarView()
        var inTable = 0
        var i = 0
        func flush() {
            let t = decodeEntities(String(text)).trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty && inTable == 0 { out.append(.init(text: t, span: .init(line: startLine, endLine: max(startLine, line)))) }
            text = String.UnicodeScalarView()
        }
        while i < s.count {
            if s[i] == "\n" { line += 1 }
            if s[i] == "<" {
                var j = i + 1
                var tag = String.UnicodeScalarView()
                while j < s.count, s[j] != ">" { tag.append(s[j]); if s[j] == "\n" { line += 1 }; j += 1 }
                let name = String(tag).lowercased().split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" }).first.map(String.init) ?? ""
                let closing = String(tag).hasPrefix("/")
                if name == "table" || (closing && String(tag).lowercased().hasPrefix("/table")) {
                    flush()
                    inTable += closing ? -1 : 1
                    inTable = max(0, inTable)
                } else if ["p", "div", "br", "h1", "h2", "h3", "h4", "li", "tr"].contains(name) || ["/p", "/div", "/h1", "/h2", "/h3", "/h4", "/li"].contains(String(tag).lowercased().split(separator: " ").first.map(String.init) ?? "") {
                    flush()
                    startLine = line
                }
                i = j + 1
                continue
            }
            if text.isEmpty { startLine = line }
            text.append(s[i])
            i += 1
        }
        flush()
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        var r = s.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&ldquo;", with: "“").replacingOccurrences(of: "&rdquo;", with: "”")
            .replacingOccurrences(of: "&amp;", with: "&")
        while let range = r.range(of: "&#[0-9]+;", options: .regularExpression) {
            let digits = r[range].dropFirst(2).dropLast()
            let scalar = UInt32(digits).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? ""
            r.replaceSubrange(range, with: scalar)
        }
        return r
    }

    /// Truth cells as plugin values: numbers to integer or decimal, null, `"na"`.
    static func cells(_ json: [String: Any]) -> [String: PluginValue] {
        var out: [String: PluginValue] = [:]
        for (k, v) in json {
            if v is NSNull { out[k] = .null; continue }
            if let s = v as? String { out[k] = .text(s); continue }
            guard let n = v as? NSNumber else { continue }
            out[k] = decimal(n.stringValue)
        }
        return out
    }

    /// `"7539.443252"` → decimal(7539443252, 6); `"12"` → integer(12).
    static func decimal(_ s: String) -> PluginValue {
        let parts = s.split(separator: ".")
        guard parts.count == 2, let m = Int64(parts.joined()) else { return Int64(s).map { .integer($0) } ?? .null }
        return .decimal(mantissa: m, scale: parts[1].count)
    }

    /// A deterministic pseudo-random generator for the robustness tests.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Random text made of the pieces reports are made of: digits, numerals, units, channel and
    /// verb words, punctuation, brackets, quotes, spaces.
    static func noise(length: Int, seed: UInt64) -> String {
        let pieces = ["1", "23", "4.5", "万", "亿", "千", "一", "二十", "百", "余", "多", "近", "超过", "条", "篇", "个", "件", "场", "次",
                      "人", "，", "。", "；", "：", "、", "（", "）", "(", ")", "“", "”", "《", "》", "其中", "微信公众号", "网站", "直播",
                      "发布", "公开", "原创", "转发", "粉丝数", "观看量", "解读", "（一）", "三、", "（12）", "申请", "\n", " ", "%", "元",
                      "第", "年", "-", "/", ",", ".", "A", "新闻发布会", "进行解读", "的", "信息", "政策文件", "等", "其他", "0"]
        var g = SplitMix(state: seed)
        var s = ""
        for _ in 0..<length { s += pieces[Int(g.next() % UInt64(pieces.count))] }
        return s
    }
}
