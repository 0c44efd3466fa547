import Comparison
import Foundation
import GongkaiCore
import GongkaiPluginAPI

/// Comparing two reports of one agency, as text for the CLI (`gongkai compare`) and the REPL
/// (`.compare`).
public enum ComparisonText {
    /// Compares two parsed reports and renders the changed cells, identities and similarities.
    public static func render(_ a: Report, _ b: Report, all: Bool = false, width: Int = 120) -> String {
        render(a.pluginView, b.pluginView, all: all, width: width)
    }

    /// Compares two reports as plugins see them (parsed, or read back from a workspace).
    public static func render(_ a: PluginReport, _ b: PluginReport, all: Bool = false, width: Int = 120) -> String {
        let r = ReportComparison.compare(a, b)
        var out = "\(a.agency ?? a.source) \(r.yearA.map(String.init) ?? "?") → \(b.agency ?? b.source) \(r.yearB.map(String.init) ?? "?")"
            + (r.consecutive ? "" : "  (not consecutive years: cross-year identities not checked)") + "\n"
        let changed = r.changes.filter { all || $0.valueA != $0.valueB }
        let table = DisplayTable(columns: ["cell", "a", "b", "change", "relative"], rows: changed.map {
            [.text($0.key), cell($0.valueA), cell($0.valueB), cell($0.change), cell($0.relativeChange)]
        })
        out += "\n\(changed.count) of \(r.changes.count) common cells \(all ? "listed" : "changed"):\n"
        out += TableWriter.box(table, width: width)
        out += "\ncross-year identities:\n"
        for i in r.identities {
            out += "  identity \(i.identity) (\(i.key)): \(i.status.rawValue)" + (i.status == .fails ? " — printed \(i.printed), expected \(i.expected)" : "") + "\n"
        }
        out += "\nnarrative similarity (character 4-grams, digits normalised):\n"
        for s in r.narrative {
            var line = "  \(s.section.rawValue): " + (s.score.map { String(format: "%.2f", $0) } ?? "—")
            if s.score != nil && s.longestCommonLength > 0 { line += "  longest shared passage \(s.longestCommonLength) chars" }
            if let sc = s.score, sc >= ComparisonPlugin.copiedThreshold { line += "  ⚠ copied from the earlier report" }
            if s.score == nil { line += "  (section missing in one report)" }
            out += line + "\n"
        }
        return out
    }

    static func cell(_ v: PluginValue) -> DisplayTable.Cell {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .decimal: return .decimal(v.description)
        case .text(let t): return .text(t)
        case .bool(let b): return .bool(b)
        }
    }
}

extension Session {
    /// `.compare AGENCY [YEAR_A YEAR_B]`: the agency's two reports (by default its latest two
    /// years) read back from the workspace — cells and narrative — and compared. A report
    /// ingested before the workspace kept narratives is re-read from its source file for the text.
    public func compare(agency: String, years: (Int, Int)? = nil) throws -> String {
        let rows = try query("from reports | where agency == \(Value.text(agency).literalText) | select {year, report_id} | sort year").table.rows
        guard !rows.isEmpty else {
            let near = try query("from reports | where contains(agency, \(Value.text(agency).literalText)) | group agency (aggregate {n = count()}) | sort agency | take 5").table.rows
            let hint = near.isEmpty ? "" : " — did you mean " + near.map { "\"\($0[0].plain)\"" }.joined(separator: " or ") + "?"
            throw QueryFailure("no reports of agency \"\(agency)\" in the workspace\(hint)")
        }
        let byYear = Dictionary(rows.map { (Int($0[0].plain) ?? 0, Int64($0[1].plain) ?? 0) }, uniquingKeysWith: { a, _ in a })
        let (ya, yb): (Int, Int)
        if let years { (ya, yb) = years } else {
            let ys = byYear.keys.sorted()
            guard ys.count >= 2 else { throw QueryFailure("agency \"\(agency)\" has a report for \(ys.map(String.init).joined()) only; two years are needed") }
            (ya, yb) = (ys[ys.count - 2], ys[ys.count - 1])
        }
        guard let ia = byYear[ya], let ib = byYear[yb] else {
            throw QueryFailure("agency \"\(agency)\" has reports for \(byYear.keys.sorted().map(String.init).joined(separator: ", "))")
        }
        return ComparisonText.render(try storedReport(ia), try storedReport(ib))
    }

    /// A stored report for comparison, its narrative re-read from the source file when the
    /// workspace has none for it.
    func storedReport(_ id: Int64) throws -> PluginReport {
        guard var r = try workspace.pluginReport(id: id) else { throw QueryFailure("report \(id) is not in the workspace") }
        if r.narrative.isEmpty, FileManager.default.fileExists(atPath: r.source),
           let parsed = try? ReportParser().parse(file: r.source) {
            r.narrative = parsed.pluginView.narrative
        }
        return r
    }
}
