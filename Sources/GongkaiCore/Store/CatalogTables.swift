/// The tables an analyst queries, as stored in the workspace: names and columns in English
/// snake_case, values as printed in Chinese. One definition serves the migrations, the
/// writers and the query catalog, so they cannot drift apart.
public enum CatalogTables {
    /// The storage type of a column.
    public enum ColumnType: String, Sendable {
        /// 64-bit integer.
        case integer = "INTEGER"
        /// Exact decimal, stored as its decimal text.
        case decimal = "DECIMAL"
        /// UTF-8 text.
        case text = "TEXT"
    }

    /// A column: name, type, and a one-line description shown by `.schema`.
    public struct Column: Sendable {
        /// Column name.
        public let name: String
        /// Storage type.
        public let type: ColumnType
        /// What the column holds.
        public let description: String
    }

    /// A table definition.
    public struct Definition: Sendable {
        /// Table name.
        public let name: String
        /// Columns in order.
        public let columns: [Column]
        /// What one row is.
        public let description: String
    }

    /// Report dimensions repeated on every analytic row so queries need no join.
    static let dimensions: [Column] = [
        Column(name: "agency", type: .text, description: "publishing body, e.g. 中卫市沙坡头区统计局"),
        Column(name: "year", type: .integer, description: "report year"),
        Column(name: "generation", type: .text, description: "template generation, 2019 or 2021"),
        Column(name: "province", type: .text, description: "province-level division"),
        Column(name: "city", type: .text, description: "prefecture-level division"),
        Column(name: "county", type: .text, description: "county-level division"),
        Column(name: "level", type: .text, description: "where the body sits: province, city or county (the lowest division known); null for central bodies and unknown places"),
    ]

    /// The `level` of a region: the lowest division it names.
    static func level(_ r: Region) -> String? {
        r.county != nil ? "county" : r.city != nil ? "city" : r.province != nil ? "province" : nil
    }

    static let reportID = Column(name: "report_id", type: .integer, description: "the report")
    static let previousReportID = Column(name: "previous_report_id", type: .integer, description: "the same agency's report a year earlier")

    /// `reports`: one row per report.
    public static let reports = Definition(name: "reports", columns: [reportID] + dimensions + [
        Column(name: "source", type: .text, description: "file path as ingested"),
        Column(name: "format", type: .text, description: "text, html, pdf or docx"),
        Column(name: "title", type: .text, description: "title as printed"),
        Column(name: "sha256", type: .text, description: "content hash of the file"),
        Column(name: "ingested_at", type: .text, description: "UTC time of ingest, ISO 8601"),
        Column(name: "failed_checks", type: .integer, description: "number of identities 1–4 that fail as printed"),
        Column(name: "uncertain_cells", type: .integer, description: "cells the parser could not settle"),
    ], description: "one row per report")

    /// Section 三 row keys of both generations, the column names of `applications`.
    public static let applicationRowKeys: [String] = {
        var keys = Template.applicationRows(.v2019)
        let idx = keys.firstIndex(of: "other")! + 1
        keys.insert(contentsOf: Template.otherRows(.v2021), at: idx)
        return keys
    }()

    /// Derived totals of `applications`: name and the row keys summed.
    public static let applicationTotals: [(name: String, rows: [String])] = [
        ("denied_total", applicationRowKeys.filter { $0.hasPrefix("denied_") }),
        ("unable_total", applicationRowKeys.filter { $0.hasPrefix("unable_") }),
        ("not_processed_total", applicationRowKeys.filter { $0.hasPrefix("not_processed_") }),
        ("other_total", ["other"] + Template.otherRows(.v2021)),
    ]

    /// `applications`: one row per report × applicant column.
    public static let applications = Definition(
        name: "applications",
        columns: [reportID] + dimensions
            + [Column(name: "applicant", type: .text, description: "natural_person, commercial, research, social_welfare, legal_services, other_org or total")]
            + applicationRowKeys.map { Column(name: $0, type: .integer, description: "section 三 row \($0)") }
            + applicationTotals.map { Column(name: $0.name, type: .integer, description: "sum of \($0.rows.joined(separator: ", "))") },
        description: "one row per report × applicant (section 三)")

    /// Section 二 keys of both generations as `row_column` names.
    public static let proactiveColumns: [(name: String, key: CellKey)] = {
        var out: [(String, CellKey)] = []
        for g in Generation.allCases {
            for r in Template.proactiveRows(g) {
                for c in r.columns where !out.contains(where: { $0.0 == "\(r.row)_\(c)" }) {
                    out.append(("\(r.row)_\(c)", CellKey(.proactive, r.row, c)))
                }
            }
        }
        return out
    }()

    /// `proactive`: one row per report, a column per section 二 key.
    public static let proactive = Definition(
        name: "proactive",
        columns: [reportID] + dimensions + proactiveColumns.map {
            Column(name: $0.name, type: Template.isMoney($0.key) ? .decimal : .integer, description: "\($0.key)" + (Template.isMoney($0.key) ? " (万元)" : ""))
        },
        description: "one row per report (section 二); null where the generation lacks the cell")

    /// `reviews`: one row per report × proceeding.
    public static let reviews = Definition(
        name: "reviews",
        columns: [reportID] + dimensions
            + [Column(name: "proceeding", type: .text, description: "admin_review, litigation_direct or litigation_after_review")]
            + Template.reviewColumns.map { Column(name: $0, type: .integer, description: "section 四 outcome \($0)") },
        description: "one row per report × proceeding (section 四)")

    /// `cells`: every canonical cell in long form with its raw text and span.
    public static let cells = Definition(name: "cells", columns: [
        reportID,
        Column(name: "table", type: .text, description: "proactive, applications or reviews"),
        Column(name: "row", type: .text, description: "row key"),
        Column(name: "col", type: .text, description: "column key"),
        Column(name: "value", type: .decimal, description: "the number; null for blank or not applicable"),
        Column(name: "kind", type: .text, description: "number, blank or na"),
        Column(name: "raw", type: .text, description: "text as printed"),
        Column(name: "span", type: .text, description: "where in the file"),
        Column(name: "uncertain", type: .text, description: "why the parser could not settle it, or null"),
    ], description: "every cell, long form")

    /// `findings`: identity failures, blank cells, narrative vs table, cross-year identities.
    public static let findings = Definition(name: "findings", columns: [
        reportID,
        Column(name: "rule", type: .text, description: "identity1…identity6, blank_cell, text_vs_table, …"),
        Column(name: "severity", type: .text, description: "info, warning or error"),
        Column(name: "message", type: .text, description: "what is wrong"),
        Column(name: "cells", type: .text, description: "cells involved, comma-separated"),
        Column(name: "printed", type: .text, description: "what the report prints"),
        Column(name: "expected", type: .text, description: "what the identity expects"),
    ], description: "findings of the checks")

    /// `narrative`: the report's text outside the tables, paragraph by paragraph.
    public static let narrative = Definition(name: "narrative", columns: [
        reportID,
        Column(name: "paragraph", type: .integer, description: "position in the report, from 1"),
        Column(name: "line", type: .integer, description: "first line in the file"),
        Column(name: "end_line", type: .integer, description: "last line in the file"),
        Column(name: "text", type: .text, description: "the paragraph as read"),
    ], description: "one row per narrative paragraph")

    /// All built-in tables.
    public static let all: [Definition] = [reports, applications, proactive, reviews, cells, findings, narrative]

    /// The `CREATE TABLE` statement of a definition.
    static func createSQL(_ d: Definition, primaryKey: String? = nil) -> String {
        let cols = d.columns.map { c -> String in
            let type = c.type == .decimal ? "TEXT" : c.type.rawValue
            if c.name == "report_id" && d.name == "reports" { return "\"report_id\" INTEGER PRIMARY KEY" }
            if c.name == "report_id" || c.name == "previous_report_id" {
                return "\"\(c.name)\" INTEGER NOT NULL REFERENCES reports(report_id) ON DELETE CASCADE"
            }
            return "\"\(c.name)\" \(type)"
        }
        return "CREATE TABLE \"\(d.name)\" (\(cols.joined(separator: ", "))\(primaryKey.map { ", PRIMARY KEY (\($0))" } ?? ""))"
    }
}
