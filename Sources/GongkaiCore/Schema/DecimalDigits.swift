/// Decimal digits written straight into a byte buffer, for the texts the store writes for
/// every report (span texts, decimals): building them by string interpolation or from
/// substrings cost thousands of instructions each.
enum DecimalDigits {
    /// How many decimal digits `v` has (1 for 0).
    static func count(_ v: UInt64) -> Int {
        var n = 1, rest = v / 10
        while rest > 0 { n += 1; rest /= 10 }
        return n
    }

    /// Writes the last `count` decimal digits of `v` into `out[end - count ..< end]` and
    /// returns what is left of `v` (`v / 10^count`).
    @discardableResult
    static func write(_ v: UInt64, count: Int, into out: UnsafeMutableBufferPointer<UInt8>, endingAt end: Int) -> UInt64 {
        var m = v
        for i in stride(from: end - 1, through: end - count, by: -1) {
            out[i] = UInt8(ascii: "0") + UInt8(m % 10)
            m /= 10
        }
        return m
    }
}
