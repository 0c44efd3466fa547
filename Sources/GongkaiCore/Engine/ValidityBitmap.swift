/// One bit per row, set when the row's value is present (not null).
///
/// Columns with no nulls carry no bitmap at all (see ``ColumnVector/validity``), so the
/// common all-present case costs nothing in the kernels.
public struct ValidityBitmap: Hashable, Sendable {
    /// The bits, 64 rows per word, row i at bit i % 64 of word i / 64.
    public private(set) var words: [UInt64]
    /// The number of rows covered.
    public private(set) var count: Int

    /// A bitmap of `count` rows, all valid or all null.
    public init(count: Int, allValid: Bool) {
        self.count = count
        let n = (count + 63) / 64
        words = [UInt64](repeating: allValid ? ~0 : 0, count: n)
        if allValid, count % 64 != 0, n > 0 { words[n - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
    }

    /// A bitmap from its words (as ``words`` returns them) covering `count` rows.
    public init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
    }

    /// A bitmap from per-row flags.
    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (i, f) in flags.enumerated() where f { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    /// A bitmap of `count` rows where row i is valid when `isValid(i)`, built a word at a time.
    @inline(__always)
    init(count: Int, _ isValid: (Int) -> Bool) {
        self.count = count
        words = [UInt64](unsafeUninitializedCapacity: (count + 63) / 64) { w, made in
            var i = 0, k = 0
            while i < count {
                var word: UInt64 = 0
                for b in 0..<min(64, count - i) where isValid(i + b) { word |= 1 << UInt64(b) }
                w[k] = word
                k += 1
                i += 64
            }
            made = k
        }
    }

    /// Whether row `i` is valid.
    @inline(__always)
    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    /// The number of null rows.
    public var nullCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Row-wise AND; nil stands for all-valid.
    static func and(_ a: ValidityBitmap?, _ b: ValidityBitmap?) -> ValidityBitmap? {
        guard let a else { return b }
        guard let b else { return a }
        var r = a
        for i in r.words.indices { r.words[i] &= b.words[i] }
        return r
    }

    /// Rows `range` as a bitmap of their own (whole words copied when the range starts on a
    /// word boundary, as engine chunks do).
    func slice(_ range: Range<Int>) -> ValidityBitmap {
        if range.lowerBound % 64 == 0 {
            let first = range.lowerBound / 64, n = (range.count + 63) / 64
            var out = ValidityBitmap(words: Array(words[first..<first + n]), count: range.count)
            if range.count % 64 != 0, n > 0 { out.words[n - 1] &= (UInt64(1) << UInt64(range.count % 64)) - 1 }
            return out
        }
        var out = ValidityBitmap(count: range.count, allValid: false)
        for (k, i) in range.enumerated() where self[i] { out[k] = true }
        return out
    }

    /// nil when every row is valid (the canonical form for "no nulls").
    var simplified: ValidityBitmap? { nullCount == 0 ? nil : self }
}
