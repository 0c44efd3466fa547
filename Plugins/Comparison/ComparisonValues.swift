import GongkaiPluginAPI

/// Exact arithmetic on numeric ``PluginValue``s used by the year-over-year comparison.
public enum ComparisonArithmetic {
    /// Scale of relative changes (six decimals).
    public static let relativeScale = 6

    /// The value as an exact `(mantissa, scale)` pair (nil for null, text and bool).
    static func exact(_ v: PluginValue) -> (m: Int64, s: Int)? {
        switch v {
        case .integer(let i): return (i, 0)
        case .decimal(let m, let s): return s >= 0 ? (m, s) : nil
        case .null, .text, .bool: return nil
        }
    }

    /// `m × 10^by`, nil on overflow.
    static func scaleUp(_ m: Int64, by: Int) -> Int64? {
        var r = m
        for _ in 0..<max(0, by) {
            let (p, o) = r.multipliedReportingOverflow(by: 10)
            if o { return nil }
            r = p
        }
        return r
    }

    /// Both values at their common (larger) scale.
    static func aligned(_ a: PluginValue, _ b: PluginValue) -> (a: Int64, b: Int64, s: Int)? {
        guard let x = exact(a), let y = exact(b) else { return nil }
        let s = max(x.s, y.s)
        guard let am = scaleUp(x.m, by: s - x.s), let bm = scaleUp(y.m, by: s - y.s) else { return nil }
        return (am, bm, s)
    }

    /// `b − a` exactly: an integer when both are integers, else a decimal at the larger scale;
    /// `.null` when either side is not numeric or on overflow.
    public static func difference(_ a: PluginValue, _ b: PluginValue) -> PluginValue {
        guard let (am, bm, s) = aligned(a, b) else { return .null }
        let (d, o) = bm.subtractingReportingOverflow(am)
        if o { return .null }
        if case .integer = a, case .integer = b { return .integer(d) }
        return .decimal(mantissa: d, scale: s)
    }

    /// `(b − a) / a` rounded half-even to six decimals; `.null` when a is 0, either side is not
    /// numeric, or the result does not fit.
    public static func relativeChange(_ a: PluginValue, _ b: PluginValue) -> PluginValue {
        guard let (am, bm, _) = aligned(a, b), am != 0 else { return .null }
        let (cm, o) = bm.subtractingReportingOverflow(am)
        if o { return .null }
        return divideRounded(cm, am, scale: relativeScale)
    }

    /// `n / d` as a decimal at `scale`, rounded half-even; `.null` on overflow or `d == 0`.
    public static func divideRounded(_ n: Int64, _ d: Int64, scale: Int) -> PluginValue {
        guard d != 0, let factor = scaleUp(1, by: scale), factor > 0 else { return .null }
        let negative = (n < 0) != (d < 0)
        let num = n.magnitude.multipliedFullWidth(by: UInt64(factor))
        let den = d.magnitude
        guard num.high < den else { return .null }
        var (q, r) = den.dividingFullWidth((high: num.high, low: num.low))
        // r < den ≤ 2^63, so 2r cannot overflow.
        let twice = r &* 2
        if twice > den || (twice == den && q % 2 == 1) {
            let (q1, o) = q.addingReportingOverflow(1)
            if o { return .null }
            q = q1
            r = 0
        }
        if negative {
            guard q <= UInt64(Int64.max) + 1 else { return .null }
            return .decimal(mantissa: q == UInt64(Int64.max) + 1 ? Int64.min : -Int64(q), scale: scale)
        }
        guard q <= UInt64(Int64.max) else { return .null }
        return .decimal(mantissa: Int64(q), scale: scale)
    }

    /// `a + b − c` exactly (integers stay integers), nil when any term is not numeric.
    static func sumMinus(_ a: PluginValue, _ b: PluginValue, _ c: PluginValue) -> PluginValue? {
        guard exact(a) != nil, exact(b) != nil, exact(c) != nil else { return nil }
        // difference(x, y) is y − x: a + b = a − (−b), then (a + b) − c.
        let negB = difference(b, .integer(0))
        let sum = difference(negB, a)
        let total = difference(c, sum)
        if case .null = total { return nil }
        return total
    }

    /// Numeric equality regardless of scale (`1` == `1.0`); false when either is not numeric.
    static func numericEqual(_ a: PluginValue, _ b: PluginValue) -> Bool {
        guard let (am, bm, _) = aligned(a, b) else { return false }
        return am == bm
    }
}
