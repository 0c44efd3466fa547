/// Checked, exact arithmetic on ``Quantity`` for the query engine.
///
/// Addition, subtraction and multiplication are exact; overflow throws ``QueryError`` instead of
/// wrapping. Division is rounded half-to-even at ``Quantity/divisionScale`` decimal places (the
/// SQL compiler emits integer SQL that rounds identically); dividing by zero yields `nil`
/// (SQL null).
extension Quantity {
    /// Decimal places of every division result (`/`, `avg`): 6, rounded half to even.
    ///
    /// Six places keep ratios precise to 0.0001 % while leaving 12 integer digits of range.
    public static let divisionScale = 6

    /// 10^n, or nil when it does not fit in `Int64`.
    static func power10(_ n: Int) -> Int64? {
        guard n >= 0, n <= 18 else { return nil }
        var p: Int64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    /// 10^n as an unsigned value, or nil when it does not fit in `UInt64`.
    static func power10Unsigned(_ n: Int) -> UInt64? {
        guard n >= 0, n <= 19 else { return nil }
        var p: UInt64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    /// The mantissa expressed at a larger scale, or nil on overflow.
    func mantissa(atScale s: Int) -> Int64? {
        if s == scale { return mantissa }
        guard s > scale, let p = Quantity.power10(s - scale) else { return nil }
        let (m, o) = mantissa.multipliedReportingOverflow(by: p)
        return o ? nil : m
    }

    /// Both mantissas at a common scale, trying normalized forms before giving up.
    private static func alignedChecked(_ a: Quantity, _ b: Quantity) -> (Int64, Int64, Int)? {
        let s = max(a.scale, b.scale)
        if let x = a.mantissa(atScale: s), let y = b.mantissa(atScale: s) { return (x, y, s) }
        let na = a.normalized, nb = b.normalized
        let t = max(na.scale, nb.scale)
        if let x = na.mantissa(atScale: t), let y = nb.mantissa(atScale: t) { return (x, y, t) }
        return nil
    }

    /// Exact sum; throws on overflow.
    public func adding(_ other: Quantity) throws -> Quantity {
        guard let (x, y, s) = Quantity.alignedChecked(self, other) else { throw QueryError.overflow("decimal addition") }
        let (r, o) = x.addingReportingOverflow(y)
        if o { throw QueryError.overflow("decimal addition") }
        return Quantity(mantissa: r, scale: s)
    }

    /// Exact difference; throws on overflow.
    public func subtracting(_ other: Quantity) throws -> Quantity {
        guard let (x, y, s) = Quantity.alignedChecked(self, other) else { throw QueryError.overflow("decimal subtraction") }
        let (r, o) = x.subtractingReportingOverflow(y)
        if o { throw QueryError.overflow("decimal subtraction") }
        return Quantity(mantissa: r, scale: s)
    }

    /// Exact product (scale is the sum of scales); throws on overflow.
    public func multiplied(by other: Quantity) throws -> Quantity {
        let (r, o) = mantissa.multipliedReportingOverflow(by: other.mantissa)
        if !o { return Quantity(mantissa: r, scale: scale + other.scale) }
        let a = normalized, b = other.normalized
        let (r2, o2) = a.mantissa.multipliedReportingOverflow(by: b.mantissa)
        if o2 { throw QueryError.overflow("decimal multiplication") }
        return Quantity(mantissa: r2, scale: a.scale + b.scale)
    }

    /// The value with its sign flipped; throws for the one mantissa that has no negation.
    public func negated() throws -> Quantity {
        let (r, o) = Int64(0).subtractingReportingOverflow(mantissa)
        if o { throw QueryError.overflow("decimal negation") }
        return Quantity(mantissa: r, scale: scale)
    }

    /// The quotient rounded half to even at `scale` places; nil when `other` is zero.
    ///
    /// Computes `round(a.mantissa × 10^(b.scale + scale − a.scale) / b.mantissa)` with a
    /// 128-bit numerator, so the only failure is a result that does not fit in 64 bits.
    public func divided(by other: Quantity, scale resultScale: Int = Quantity.divisionScale) throws -> Quantity? {
        if other.mantissa == 0 { return nil }
        if mantissa == 0 { return Quantity(mantissa: 0, scale: resultScale) }
        let e = other.scale + resultScale - scale
        let numMag = mantissa.magnitude, denMag0 = other.mantissa.magnitude
        var high: UInt64 = 0, low: UInt64 = numMag, den: UInt64 = denMag0
        if e >= 0 {
            guard let p = Quantity.power10Unsigned(e) else {
                let a = normalized, b = other.normalized
                if a.scale != scale || b.scale != other.scale { return try a.divided(by: b, scale: resultScale) }
                throw QueryError.overflow("decimal division")
            }
            let r = numMag.multipliedFullWidth(by: p)
            high = r.high; low = r.low
        } else {
            guard let p = Quantity.power10Unsigned(-e) else { return Quantity(mantissa: 0, scale: resultScale) }
            let (d, o) = denMag0.multipliedReportingOverflow(by: p)
            if o { return Quantity(mantissa: 0, scale: resultScale) }
            den = d
        }
        guard high < den else { throw QueryError.overflow("decimal division") }
        var (q, r) = den.dividingFullWidth((high: high, low: low))
        let rest = den - r
        if r > rest || (r == rest && q & 1 == 1) {
            let (q2, o) = q.addingReportingOverflow(1)
            if o { throw QueryError.overflow("decimal division") }
            q = q2
        }
        guard q <= UInt64(Int64.max) else { throw QueryError.overflow("decimal division") }
        let negative = (mantissa < 0) != (other.mantissa < 0)
        return Quantity(mantissa: negative ? -Int64(q) : Int64(q), scale: resultScale)
    }

    /// Three-way numeric comparison that never overflows: -1, 0 or 1.
    public static func compare(_ a: Quantity, _ b: Quantity) -> Int {
        if a.scale == b.scale { return a.mantissa < b.mantissa ? -1 : (a.mantissa == b.mantissa ? 0 : 1) }
        if a.scale < b.scale {
            guard let x = a.mantissa(atScale: b.scale) else { return a.mantissa < 0 ? -1 : 1 }
            return x < b.mantissa ? -1 : (x == b.mantissa ? 0 : 1)
        }
        guard let y = b.mantissa(atScale: a.scale) else { return b.mantissa < 0 ? 1 : -1 }
        return a.mantissa < y ? -1 : (a.mantissa == y ? 0 : 1)
    }

    /// The largest integer not above the value (exact).
    var floorInteger: Int64 {
        guard scale > 0, let p = Quantity.power10(scale) else { return scale <= 0 ? mantissa : 0 }
        let q = mantissa / p
        return (mantissa % p != 0 && mantissa < 0) ? q - 1 : q
    }
}
