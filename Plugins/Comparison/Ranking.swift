/// Ranking of values within cohorts (e.g. agencies of one province and year).
public enum Ranking {
    /// Ranks values within each cohort: 1 = highest, ties share the minimum rank,
    /// percentile = (cohortSize − rank) / (cohortSize − 1) (1.0 for a cohort of one).
    /// Nil (and NaN) values get a nil rank and percentile and do not count in the cohort size.
    /// The result is in input order.
    public static func rank(values: [(id: String, cohort: String, value: Double?)])
        -> [(id: String, rank: Int?, percentile: Double?, cohortSize: Int)] {
        var cohorts: [String: [Double]] = [:]
        for entry in values {
            if let v = entry.value, !v.isNaN { cohorts[entry.cohort, default: []].append(v) }
        }
        return values.map { entry in
            let members = cohorts[entry.cohort] ?? []
            let size = members.count
            guard let v = entry.value, !v.isNaN else { return (entry.id, nil, nil, size) }
            let rank = 1 + members.reduce(0) { $0 + ($1 > v ? 1 : 0) }
            let percentile = size <= 1 ? 1.0 : Double(size - rank) / Double(size - 1)
            return (entry.id, rank, percentile, size)
        }
    }
}
