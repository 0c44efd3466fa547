import GongkaiCore

/// "Who ranks where?" as a pipeline: one agency-year per row (the `total` applicant of
/// `outcomes`, with the report's city and level), a metric, and its rank, percentile and cohort
/// size within a province, city or level. `.rank` in the REPL runs it; notebooks can paste it.
public struct RankingQuery: Sendable, Equatable {
    /// The cohorts an agency can be ranked within.
    public enum Cohort: String, Sendable, CaseIterable {
        /// Agencies of the same province (and year).
        case province
        /// Agencies of the same prefecture-level city (and year).
        case city
        /// Agencies of the same level: province, city or county (and year).
        case level
        /// All agencies of the year.
        case all
    }

    /// An expression over `outcomes` columns and metrics, e.g. `denial_rate` or `received`.
    public var metric: String
    /// The cohort.
    public var within: Cohort = .province
    /// Only this year (all years, each ranked separately, when nil).
    public var year: Int?
    /// Show only this agency's rows (ranked within the full cohort).
    public var agency: String?

    /// Creates a ranking query.
    public init(metric: String, within: Cohort = .province, year: Int? = nil, agency: String? = nil) {
        self.metric = metric
        self.within = within
        self.year = year
        self.agency = agency
    }

    /// Reads `.rank` arguments: `METRIC [within province|city|level|all] [year YEAR] [agency NAME]`.
    public init(arguments: [String]) throws {
        guard let metric = arguments.first else { throw QueryFailure(Self.usage) }
        self.metric = metric
        var rest = arguments.dropFirst()
        while let word = rest.popFirst() {
            guard let value = rest.popFirst() else { throw QueryFailure("\(word) needs a value — \(Self.usage)") }
            switch word {
            case "within":
                guard let c = Cohort(rawValue: value) else { throw QueryFailure("cannot rank within \"\(value)\": use province, city, level or all") }
                within = c
            case "year":
                guard let y = Int(value) else { throw QueryFailure("year must be a number, got \"\(value)\"") }
                year = y
            case "agency": agency = value
            default: throw QueryFailure("unknown option \"\(word)\" — \(Self.usage)")
            }
        }
    }

    /// One line of usage.
    public static let usage = "usage: .rank METRIC [within province|city|level|all] [year YEAR] [agency NAME]"

    /// The pipeline. Rank 1 is the highest value; ties share a rank; percentile is the share of
    /// the rest of the cohort ranked below (1 for the top, 0 for the bottom, 1 alone); rows
    /// whose metric or cohort (e.g. the city of a province-level body) is null are left out and
    /// do not count in the cohort.
    public var pipeline: String {
        let cohortKeys = within == .all ? "year" : "{year, \(within.rawValue)}"
        var lines = [
            "from outcomes",
            "| where applicant == \"total\"" + (year.map { " and year == \($0)" } ?? ""),
            "| join (from reports | select {rid = report_id, city, level}) (report_id == rid)",
            "| derive value = \(metric)",
            "| where value is not null" + (within == .all ? "" : " and \(within.rawValue) is not null"),
            "| window by:\(cohortKeys) sort:-value {rank = rank(), below = percent_rank(), cohort_size = partition_size()}",
            "| derive percentile = 1 - below",
        ]
        if let agency { lines.append("| where agency == \(Value.text(agency).literalText)") }
        let cohortColumn = within == .all ? "" : "\(within.rawValue), "
        lines.append("| select {year, \(cohortColumn)agency, value, rank, percentile, cohort_size}")
        lines.append("| sort year, \(cohortColumn)rank, agency")
        return lines.joined(separator: "\n")
    }
}
