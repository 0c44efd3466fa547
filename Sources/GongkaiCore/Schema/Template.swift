/// The canonical layout of both generations: which rows and columns each table has, in the
/// order the report prints them. Everything that enumerates cells goes through here.
public enum Template {
    /// Applicant columns of section 三, in printed order.
    public static let applicantColumns = [
        "natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total",
    ]

    /// The outcome rows shared by both generations, before the 其他处理 rows.
    static let applicationRowsHead = [
        "new_received", "carried_over", "granted", "partially_granted",
        "denied_state_secret", "denied_prohibited_by_law", "denied_three_safeties", "denied_third_party",
        "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
        "unable_not_held", "unable_needs_creation", "unable_unclear",
        "not_processed_petition", "not_processed_duplicate", "not_processed_publication",
        "not_processed_excessive", "not_processed_confirmation",
    ]

    /// The 其他处理 rows of each generation.
    public static func otherRows(_ g: Generation) -> [String] {
        switch g {
        case .v2019: return ["other"]
        case .v2021: return ["other_overdue_correction", "other_unpaid_fee", "other_other"]
        }
    }

    /// Rows of section 三 in printed order.
    public static func applicationRows(_ g: Generation) -> [String] {
        applicationRowsHead + otherRows(g) + ["total_processed", "carried_forward"]
    }

    /// Outcome rows that identity 2 sums into `total_processed`.
    public static func outcomeRows(_ g: Generation) -> [String] {
        Array(applicationRowsHead.dropFirst(2)) + otherRows(g)
    }

    /// Proceedings of section 四, in printed order.
    public static let reviewRows = ["admin_review", "litigation_direct", "litigation_after_review"]
    /// Outcome columns of section 四, in printed order.
    public static let reviewColumns = ["upheld", "corrected", "other", "pending", "total"]

    /// One printed row of section 二: its key, its columns, and whether its values are money.
    public struct ProactiveRow: Sendable {
        /// Row key, e.g. `normative_documents`.
        public let row: String
        /// Column keys in printed order.
        public let columns: [String]
    }

    /// Rows of section 二 for a generation, in printed order.
    public static func proactiveRows(_ g: Generation) -> [ProactiveRow] {
        switch g {
        case .v2019:
            return [
                .init(row: "regulations", columns: ["made", "published", "total_public"]),
                .init(row: "normative_documents", columns: ["made", "published", "total_public"]),
                .init(row: "licensing", columns: ["prior_items", "change", "decisions"]),
                .init(row: "other_services", columns: ["prior_items", "change", "decisions"]),
                .init(row: "penalty", columns: ["prior_items", "change", "decisions"]),
                .init(row: "coercion", columns: ["prior_items", "change", "decisions"]),
                .init(row: "fees", columns: ["prior_items", "change"]),
                .init(row: "procurement", columns: ["projects", "amount"]),
            ]
        case .v2021:
            return [
                .init(row: "regulations", columns: ["issued", "repealed", "in_force"]),
                .init(row: "normative_documents", columns: ["issued", "repealed", "in_force"]),
                .init(row: "licensing", columns: ["decisions"]),
                .init(row: "penalty", columns: ["decisions"]),
                .init(row: "coercion", columns: ["decisions"]),
                .init(row: "fees", columns: ["amount"]),
            ]
        }
    }

    /// Whether a cell holds money (normalised to 万元).
    public static func isMoney(_ key: CellKey) -> Bool {
        key.table == .proactive && key.column == "amount"
    }

    /// Whether a cell may be negative (`本年增/减`).
    public static func isSigned(_ key: CellKey) -> Bool {
        key.table == .proactive && key.column == "change"
    }

    /// Every canonical key of a generation, in printed order (proactive, applications, reviews).
    public static func keys(_ g: Generation) -> [CellKey] {
        g == .v2019 ? keys2019 : keys2021
    }

    private static let keys2019 = makeKeys(.v2019)
    private static let keys2021 = makeKeys(.v2021)

    /// The dotted names of ``keys(_:)``, in the same order (made once, not per report).
    static func keyNames(_ g: Generation) -> [String] {
        g == .v2019 ? keyNames2019 : keyNames2021
    }

    private static let keyNames2019 = keys2019.map(\.description)
    private static let keyNames2021 = keys2021.map(\.description)

    /// The position of a key in ``keys(_:)``, nil when the generation's template lacks it.
    static func position(of key: CellKey, in g: Generation) -> Int? {
        g == .v2019 ? positions2019[key] : positions2021[key]
    }

    private static let positions2019 = Dictionary(keys2019.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    private static let positions2021 = Dictionary(keys2021.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

    private static func makeKeys(_ g: Generation) -> [CellKey] {
        var out: [CellKey] = []
        for r in proactiveRows(g) { for c in r.columns { out.append(CellKey(.proactive, r.row, c)) } }
        for r in applicationRows(g) { for c in applicantColumns { out.append(CellKey(.applications, r, c)) } }
        for r in reviewRows { for c in reviewColumns { out.append(CellKey(.reviews, r, c)) } }
        return out
    }
}
