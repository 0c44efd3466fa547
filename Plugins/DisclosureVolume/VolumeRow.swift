import GongkaiPluginAPI
import NarrativeKit

/// The `disclosure_volume` row of a report: the section 二 figures of either template
/// generation, read from the canonical cells, plus the net change of documents in force.
enum VolumeRow {
    /// A column of the table and where its value comes from.
    struct Column: Sendable {
        /// Column name.
        var name: String
        /// Column type.
        var type: PluginColumnType
        /// The canonical key read, or nil for a derived or metadata column.
        var key: String?
        /// What it holds.
        var description: String
    }

    /// The columns, in order (the host adds `report_id` first).
    static let columns: [Column] = [
        Column(name: "agency", type: .text, key: nil, description: "publishing body"),
        Column(name: "year", type: .integer, key: nil, description: "report year"),
        Column(name: "province", type: .text, key: nil, description: "province"),
        Column(name: "generation", type: .text, key: nil, description: "template generation, 2019 or 2021"),
        // 2021 generation: 本年制发件数 / 本年废止件数 / 现行有效件数.
        Column(name: "regulations_issued", type: .integer, key: "proactive.regulations.issued", description: "规章 本年制发件数 (2021)"),
        Column(name: "regulations_repealed", type: .integer, key: "proactive.regulations.repealed", description: "规章 本年废止件数 (2021)"),
        Column(name: "regulations_in_force", type: .integer, key: "proactive.regulations.in_force", description: "规章 现行有效件数 (2021)"),
        Column(name: "normative_documents_issued", type: .integer, key: "proactive.normative_documents.issued",
               description: "行政规范性文件 本年制发件数 (2021)"),
        Column(name: "normative_documents_repealed", type: .integer, key: "proactive.normative_documents.repealed",
               description: "行政规范性文件 本年废止件数 (2021)"),
        Column(name: "normative_documents_in_force", type: .integer, key: "proactive.normative_documents.in_force",
               description: "行政规范性文件 现行有效件数 (2021)"),
        // 2019 generation: 本年新制作数量 / 本年新公开数量 / 对外公开总数量.
        Column(name: "regulations_made", type: .integer, key: "proactive.regulations.made", description: "规章 本年新制作数量 (2019)"),
        Column(name: "regulations_published", type: .integer, key: "proactive.regulations.published", description: "规章 本年新公开数量 (2019)"),
        Column(name: "regulations_total_public", type: .integer, key: "proactive.regulations.total_public",
               description: "规章 对外公开总数量 (2019)"),
        Column(name: "normative_documents_made", type: .integer, key: "proactive.normative_documents.made",
               description: "规范性文件 本年新制作数量 (2019)"),
        Column(name: "normative_documents_published", type: .integer, key: "proactive.normative_documents.published",
               description: "规范性文件 本年新公开数量 (2019)"),
        Column(name: "normative_documents_total_public", type: .integer, key: "proactive.normative_documents.total_public",
               description: "规范性文件 对外公开总数量 (2019)"),
        // Decisions (both generations; other_services only in 2019).
        Column(name: "licensing_decisions", type: .integer, key: "proactive.licensing.decisions", description: "行政许可 处理决定数量"),
        Column(name: "penalty_decisions", type: .integer, key: "proactive.penalty.decisions", description: "行政处罚 处理决定数量"),
        Column(name: "coercion_decisions", type: .integer, key: "proactive.coercion.decisions", description: "行政强制 处理决定数量"),
        Column(name: "other_services_decisions", type: .integer, key: "proactive.other_services.decisions",
               description: "其他对外管理服务事项 处理决定数量 (2019)"),
        // Fees: an amount in 2021, item counts in 2019.
        Column(name: "fees_amount", type: .decimal, key: "proactive.fees.amount", description: "行政事业性收费 本年收费金额, 万元 (2021)"),
        Column(name: "fees_prior_items", type: .integer, key: "proactive.fees.prior_items", description: "行政事业性收费 上一年项目数量 (2019)"),
        Column(name: "fees_change", type: .integer, key: "proactive.fees.change", description: "行政事业性收费 本年增/减 (2019)"),
        // Procurement (2019).
        Column(name: "procurement_projects", type: .integer, key: "proactive.procurement.projects", description: "政府集中采购 采购项目数量 (2019)"),
        Column(name: "procurement_amount", type: .decimal, key: "proactive.procurement.amount", description: "政府集中采购 采购总金额, 万元 (2019)"),
        // Derived.
        Column(name: "normative_net_change", type: .integer, key: nil,
               description: "normative_documents_issued − normative_documents_repealed (2021; null otherwise)"),
        Column(name: "regulations_net_change", type: .integer, key: nil,
               description: "regulations_issued − regulations_repealed (2021; null otherwise)"),
    ]

    /// Where a column's value comes from.
    enum Source: Sendable {
        case agency, year, province, generation
        /// issued − repealed of a row (`proactive.regulations`): the keys of its two cells.
        case netChange(issued: String, repealed: String)
        /// A canonical cell, read as a decimal or an integer.
        case cell(key: String, decimal: Bool)
        case none
    }

    /// The source of each column, worked out once from its name (not per report).
    static let sources: [Source] = columns.map { column in
        switch column.name {
        case "agency": return .agency
        case "year": return .year
        case "province": return .province
        case "generation": return .generation
        case "normative_net_change":
            return .netChange(issued: "proactive.normative_documents.issued", repealed: "proactive.normative_documents.repealed")
        case "regulations_net_change":
            return .netChange(issued: "proactive.regulations.issued", repealed: "proactive.regulations.repealed")
        default:
            guard let key = column.key else { return .none }
            return .cell(key: key, decimal: column.type == .decimal)
        }
    }

    /// The row of a report, one value per column.
    static func row(_ report: PluginReport) -> [PluginValue] {
        var values: [PluginValue] = []
        values.reserveCapacity(columns.count)
        for source in sources {
            switch source {
            case .agency: values.append(report.agency.map { .text($0) } ?? .null)
            case .year: values.append(report.year.map { .integer(Int64($0)) } ?? .null)
            case .province: values.append(report.province.map { .text($0) } ?? .null)
            case .generation: values.append(.text(report.generation))
            case .netChange(let issued, let repealed): values.append(netChange(report, issued: issued, repealed: repealed))
            case .cell(let key, let decimal): values.append(decimal ? self.decimal(report[key]) : integer(report[key]))
            case .none: values.append(.null)
            }
        }
        return values
    }

    /// issued − repealed of a 2021-generation row, null when either is not a number.
    static func netChange(_ report: PluginReport, issued issuedKey: String, repealed repealedKey: String) -> PluginValue {
        guard report.generation == "2021",
              case .integer(let issued) = integer(report[issuedKey]),
              case .integer(let repealed) = integer(report[repealedKey]) else { return .null }
        let (d, overflow) = issued.subtractingReportingOverflow(repealed)
        return overflow ? .null : .integer(d)
    }

    /// A cell as an integer column value: a whole number, else null (blank, `na`, a fraction).
    static func integer(_ v: PluginValue) -> PluginValue {
        switch v {
        case .integer: return v
        case .decimal(let m, let s):
            guard s >= 0, s <= 18 else { return .null }
            var p: Int64 = 1
            for _ in 0..<s { p *= 10 }
            return m % p == 0 ? .integer(m / p) : .null
        case .null, .text, .bool: return .null
        }
    }

    /// A cell as a decimal column value (an integer becomes a decimal of scale 0).
    static func decimal(_ v: PluginValue) -> PluginValue {
        switch v {
        case .integer(let i): return .decimal(mantissa: i, scale: 0)
        case .decimal: return v
        case .null, .text, .bool: return .null
        }
    }
}
