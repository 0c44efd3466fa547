import GongkaiPluginAPI

/// One canonical cell compared across two reports.
public struct CellChange: Sendable, Hashable {
    /// Canonical key, e.g. `applications.granted.total`.
    public var key: String
    /// Value in the earlier report.
    public var valueA: PluginValue
    /// Value in the later report.
    public var valueB: PluginValue
    /// `b − a` exactly (`.null` when either side is not numeric).
    public var change: PluginValue
    /// `(b − a) / a` at six decimals, half-even (`.null` when a is 0 or either side is not numeric).
    public var relativeChange: PluginValue

    /// Creates a cell change.
    public init(key: String, valueA: PluginValue, valueB: PluginValue, change: PluginValue, relativeChange: PluginValue) {
        self.key = key
        self.valueA = valueA
        self.valueB = valueB
        self.change = change
        self.relativeChange = relativeChange
    }
}

/// Outcome of a cross-year identity.
public enum IdentityStatus: String, Sendable, Hashable {
    /// Printed equals expected.
    case holds
    /// Printed differs from expected.
    case fails
    /// Not evaluable: years not consecutive, wrong generation, or a cell missing, blank or not numeric.
    case notApplicable = "not_applicable"
}

/// A cross-year identity (schema identities 5 and 6) evaluated on a pair of reports.
public struct CrossYearIdentity: Sendable, Hashable {
    /// Identity name: `5`, `6.regulations` or `6.normative_documents`.
    public var identity: String
    /// The later report's cell that is checked.
    public var key: String
    /// Result.
    public var status: IdentityStatus
    /// The value printed in the later report (`.null` when unavailable).
    public var printed: PluginValue
    /// The value the identity expects (`.null` when unavailable).
    public var expected: PluginValue

    /// Creates an identity result.
    public init(identity: String, key: String, status: IdentityStatus, printed: PluginValue, expected: PluginValue) {
        self.identity = identity
        self.key = key
        self.status = status
        self.printed = printed
        self.expected = expected
    }
}

/// The full comparison of an earlier report `a` with a later report `b`.
public struct ComparisonResult: Sendable {
    /// Year of the earlier report.
    public var yearA: Int?
    /// Year of the later report.
    public var yearB: Int?
    /// True when both years are known and `b.year == a.year + 1`.
    public var consecutive: Bool
    /// One entry per canonical key present in both reports, sorted by key.
    public var changes: [CellChange]
    /// Identities 5 and 6 (6 only when `b` is of the 2021 generation); all not-applicable when not consecutive.
    public var identities: [CrossYearIdentity]
    /// Narrative similarity for sections 一, 五 and 六, in that order.
    public var narrative: [SectionSimilarity]

    /// The change of one key, if the key is in both reports.
    public func change(_ key: String) -> CellChange? { changes.first { $0.key == key } }

    /// The similarity of one section.
    public func similarity(_ section: NarrativeSection) -> SectionSimilarity? { narrative.first { $0.section == section } }

    /// The result of one identity (`5`, `6.regulations`, `6.normative_documents`).
    public func identity(_ name: String) -> CrossYearIdentity? { identities.first { $0.identity == name } }
}

/// Year-over-year comparison of two parsed reports: cell changes, cross-year identities and
/// narrative similarity. Pure: no I/O, no state.
public enum ReportComparison {
    /// Compares an earlier report `a` with a later report `b`.
    public static func compare(_ a: PluginReport, _ b: PluginReport) -> ComparisonResult {
        let consecutive: Bool
        if let ya = a.year, let yb = b.year { consecutive = yb == ya + 1 } else { consecutive = false }
        return ComparisonResult(
            yearA: a.year, yearB: b.year, consecutive: consecutive,
            changes: changes(a, b),
            identities: identities(a, b, consecutive: consecutive),
            narrative: NarrativeSimilarity.compareAll(a.narrativeText, b.narrativeText))
    }

    /// Changes for every key common to both reports, sorted by key.
    public static func changes(_ a: PluginReport, _ b: PluginReport) -> [CellChange] {
        a.cells.keys.filter { b.cells[$0] != nil }.sorted().map { key in
            let va = a[key], vb = b[key]
            return CellChange(key: key, valueA: va, valueB: vb,
                              change: ComparisonArithmetic.difference(va, vb),
                              relativeChange: ComparisonArithmetic.relativeChange(va, vb))
        }
    }

    /// Identities 5 and 6. A blank, missing or non-numeric cell makes an identity not applicable.
    public static func identities(_ a: PluginReport, _ b: PluginReport, consecutive: Bool) -> [CrossYearIdentity] {
        var out: [CrossYearIdentity] = []
        let key5 = "applications.carried_over.total"
        let printed5 = b[key5], expected5 = a["applications.carried_forward.total"]
        out.append(evaluate("5", key: key5, printed: printed5, expected: consecutive ? expected5 : nil, applicable: consecutive))
        guard b.generation == "2021" else { return out }
        for k in identity6 {
            let expected = ComparisonArithmetic.sumMinus(a[k.inForce], b[k.issued], b[k.repealed])
            out.append(evaluate(k.name, key: k.inForce, printed: b[k.inForce], expected: expected, applicable: consecutive))
        }
        return out
    }

    /// Identity 6's name and keys for each kind of document, made once (not for every pair
    /// the ingest compares).
    static let identity6: [(name: String, inForce: String, issued: String, repealed: String)] =
        ["regulations", "normative_documents"].map { kind in
            ("6.\(kind)", "proactive.\(kind).in_force", "proactive.\(kind).issued", "proactive.\(kind).repealed")
        }

    /// Builds one identity result.
    static func evaluate(_ name: String, key: String, printed: PluginValue, expected: PluginValue?, applicable: Bool) -> CrossYearIdentity {
        let exp = expected ?? .null
        guard applicable, let e = expected, ComparisonArithmetic.exact(e) != nil, ComparisonArithmetic.exact(printed) != nil else {
            return CrossYearIdentity(identity: name, key: key, status: .notApplicable, printed: printed, expected: exp)
        }
        let holds = ComparisonArithmetic.numericEqual(printed, e)
        return CrossYearIdentity(identity: name, key: key, status: holds ? .holds : .fails, printed: printed, expected: exp)
    }
}
