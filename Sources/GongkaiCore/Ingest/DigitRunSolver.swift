/// Splits numbers printed with no separators (`640020470` → `64|0|0|2|0|4|70`).
///
/// Crawled pages and some PDF extractions lose the cell borders of a table row, leaving one
/// run of digits. The solver enumerates the ways to cut the run into the row's cells — no
/// leading zeros, a minus sign always starts a cell, a decimal point stays inside its cell —
/// and keeps the cuts the caller accepts (typically: the row's identity holds). The search is
/// bounded in steps and results, so no input can make it explode; when a bound is hit the
/// result says so and the caller marks the cells uncertain.
public enum DigitRunSolver {
    /// The outcome of a search.
    public struct Result: Sendable {
        /// Every accepted split, as the text of each cell, in the order found.
        public var splits: [[String]]
        /// True when the step or result bound stopped the search early.
        public var truncated: Bool
    }

    /// Default bound on search steps (cells tried).
    public static let defaultBudget = 200_000
    /// Default bound on accepted splits kept.
    public static let defaultLimit = 64

    /// Enumerates the splits of `run` into `count` cells.
    ///
    /// - Parameters:
    ///   - run: digits, optionally with `-` (starts a negative cell) and `.` (decimal point).
    ///     Any other character (spaces) is ignored.
    ///   - count: how many cells the row has.
    ///   - maxDigits: the most integer digits one cell may have.
    ///   - accept: decides whether a complete split is valid (e.g. an identity holds).
    public static func split(_ run: String, count: Int, maxDigits: Int = 9,
                             budget: Int = defaultBudget, limit: Int = defaultLimit,
                             accept: ([Quantity]) -> Bool) -> Result {
        let chars: [UInt8] = run.utf8.filter { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        return split(kept: chars, count: count, maxDigits: maxDigits, budget: budget, limit: limit, accept: accept)
    }

    /// ``split(_:count:maxDigits:budget:limit:accept:)`` of a run given as the bytes it keeps
    /// (digits, `-` and `.` only, as ``joinedBytes(_:)`` gives them): no string is made and
    /// filtered again.
    ///
    /// `lastIsSum` says that `accept` takes only splits whose last cell is the sum of the
    /// others. For a run of bare digits (no cell negative) short enough that the search
    /// cannot reach its step bound, the search then skips the cuts whose cells so far add up
    /// to more than any last cell left could hold: the same splits, in the same order, for
    /// far fewer steps. (`truncated` then says that the limit was reached.)
    static func split(kept chars: [UInt8], count: Int, maxDigits: Int = 9,
                      budget: Int = defaultBudget, limit: Int = defaultLimit, lastIsSum: Bool = false,
                      accept: ([Quantity]) -> Bool) -> Result {
        guard count > 0, !chars.isEmpty, chars.count <= 4096 else { return Result(splits: [], truncated: false) }
        var search = Search(chars: chars, count: count, maxDigits: maxDigits, budget: budget, limit: limit)
        search.prunesBySum = lastIsSum && chars.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && nodeBound(length: chars.count, cells: count, budget: budget) <= budget
        search.search(0, accept: accept)
        if search.prunesBySum && search.result.splits.count >= limit { search.result.truncated = true }
        return search.result
    }

    /// At most how many steps a search of `cells` cells over `length` characters takes
    /// (capped just above `budget`): a step places some `d` ≤ `cells` cells, whose ends are
    /// `d` increasing places among `length`.
    private static func nodeBound(length: Int, cells: Int, budget: Int) -> Int {
        var total = 0, ways = 1
        for d in 0...cells {
            total += ways
            if total > budget || d == length { break }
            // C(length, d + 1) from C(length, d); past the budget it no longer matters.
            let (product, overflow) = ways.multipliedReportingOverflow(by: length - d)
            if overflow { return budget + 1 }
            ways = product / (d + 1)
        }
        return min(total, budget + 1)
    }

    /// The state of one depth-first search: a value type, so the recursion works on stored
    /// properties rather than on variables captured by a local function (which would be boxed
    /// and checked for exclusive access at run time).
    private struct Search {
        let chars: [UInt8]
        let count: Int
        let maxDigits: Int
        let budget: Int
        let limit: Int
        /// Digits from each position on; and of those, the ones an integer part can hold (a
        /// digit after a '.' belongs to that number's fraction, whatever the split, because a
        /// number with decimals runs to the next '-' or the end).
        let digitsFrom: [Int]
        let integerDigitsFrom: [Int]
        var result = Result(splits: [], truncated: false)
        /// Whether cuts are skipped by the sum of their cells (``split(kept:count:maxDigits:budget:limit:lastIsSum:accept:)``).
        var prunesBySum = false
        /// When ``prunesBySum``: the sum of the cells placed so far, the last cell excepted.
        var partialSum: Int64 = 0
        var steps = 0
        var parts: [Range<Int>] = []
        var values: [Quantity] = []

        init(chars: [UInt8], count: Int, maxDigits: Int, budget: Int, limit: Int) {
            (self.chars, self.count, self.maxDigits, self.budget, self.limit) = (chars, count, maxDigits, budget, limit)
            var digitsFrom = [Int](repeating: 0, count: chars.count + 1)
            var integerDigitsFrom = [Int](repeating: 0, count: chars.count + 1)
            // Counted going forwards (where the fraction state is known) as the digits before
            // each position, then turned into the digits from it on.
            var fraction = false, digits = 0, integerDigits = 0
            for i in chars.indices {
                digitsFrom[i] = digits
                integerDigitsFrom[i] = integerDigits
                let c = chars[i]
                if c == UInt8(ascii: ".") { fraction = true } else if c == UInt8(ascii: "-") { fraction = false }
                if c >= 0x30 && c <= 0x39 {
                    digits += 1
                    if !fraction { integerDigits += 1 }
                }
            }
            digitsFrom[chars.count] = digits
            integerDigitsFrom[chars.count] = integerDigits
            for i in 0...chars.count {
                digitsFrom[i] = digits - digitsFrom[i]
                integerDigitsFrom[i] = integerDigits - integerDigitsFrom[i]
            }
            (self.digitsFrom, self.integerDigitsFrom) = (digitsFrom, integerDigitsFrom)
            parts.reserveCapacity(count)
            values.reserveCapacity(count)
        }

        /// When ``prunesBySum``: the largest value the last cell can have when `cells` cells
        /// (the last among them) take the bare digits from `start` on, every other cell at
        /// least one.
        @inline(__always)
        func largestLast(from start: Int, cells: Int) -> Int64 {
            let digits = min(chars.count - start - (cells - 1), maxDigits)
            return digits >= Self.powersOfTen.count ? .max : Self.powersOfTen[max(digits, 0)] - 1
        }

        /// 10^0 through 10^18: every power of ten an Int64 holds.
        static let powersOfTen: [Int64] = (0...18).map { (0..<$0).reduce(Int64(1)) { p, _ in p * 10 } }

        mutating func search(_ start: Int, accept: ([Quantity]) -> Bool) {
            if result.truncated { return }
            steps += 1
            if steps > budget || result.splits.count >= limit { result.truncated = true; return }
            let cellsLeft = count - parts.count
            if cellsLeft == 0 {
                if start == chars.count && accept(values) {
                    result.splits.append(parts.map { String(decoding: chars[$0], as: UTF8.self) })
                }
                return
            }
            // Too few digits left for the cells, or more integer digits than they can hold.
            if digitsFrom[start] < cellsLeft || integerDigitsFrom[start] > cellsLeft * maxDigits { return }
            // Grow the cell one character at a time, keeping its value; stop as soon as no
            // longer cell can be valid (a second '-' or '.', a '.' before any digit, too many
            // integer digits, a leading zero, a value too large for a Quantity).
            let negative = chars[start] == UInt8(ascii: "-")
            var mantissa: Int64 = 0, scale = 0, intDigits = 0, dot = false, leadingZero = false
            var end = negative ? start + 1 : start
            while end < chars.count {
                let c = chars[end]
                end += 1
                if c == UInt8(ascii: "-") { break }
                if c == UInt8(ascii: ".") {
                    if dot || intDigits == 0 { break }
                    dot = true
                    continue
                }
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(c - 0x30))
                if o1 || o2 { break }
                mantissa = m2
                if dot {
                    scale += 1
                } else {
                    if intDigits == 0 { leadingZero = c == 0x30 }
                    intDigits += 1
                    if intDigits > maxDigits || (intDigits > 1 && leadingZero) { break }
                }
                // Bare digits grow a cell's value and shorten what the last cell may take, so
                // once the sum outgrows it, no longer cell leads to an accepted split either.
                if prunesBySum && cellsLeft > 1 && partialSum &+ mantissa > largestLast(from: end, cells: cellsLeft - 1) { break }
                // The cell start..<end is valid; may it end here?
                if end < chars.count {
                    let next = chars[end]
                    // A cell cannot end just before a '.'; the last cell and a number with
                    // decimals (its fraction is never cut) run to the next '-' or the end.
                    if next == UInt8(ascii: ".") { continue }
                    if next != UInt8(ascii: "-") && (cellsLeft == 1 || dot) { continue }
                }
                parts.append(start..<end)
                values.append(Quantity(mantissa: negative ? -mantissa : mantissa, scale: scale))
                if prunesBySum && cellsLeft > 1 { partialSum &+= mantissa }
                search(end, accept: accept)
                if prunesBySum && cellsLeft > 1 { partialSum &-= mantissa }
                parts.removeLast()
                values.removeLast()
                if result.truncated { return }
            }
        }
    }

    /// Concatenates the printed pieces of a row (stray spaces inside cells are common).
    static func joined(_ tokens: some Collection<ValueToken>) -> String {
        String(decoding: joinedBytes(tokens), as: UTF8.self)
    }

    /// ``joined(_:)`` as its ASCII bytes (what ``split(kept:count:maxDigits:budget:limit:lastIsSum:accept:)`` takes).
    static func joinedBytes(_ tokens: some Collection<ValueToken>) -> [UInt8] {
        // Written straight into an array sized by the tokens' bytes (a kept character is one
        // byte, from one byte or more): no growing, no capacity check per byte.
        var size = 0
        for token in tokens { size += token.raw.utf8.count }
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            count = 0
            forEachKeptByte(tokens) { out[count] = $0; count += 1 }
        }
    }

    /// The length of ``joined(_:)`` (bytes and characters alike: it is ASCII).
    static func joinedCount(_ tokens: some Collection<ValueToken>) -> Int {
        var n = 0
        forEachKeptByte(tokens) { _ in n += 1 }
        return n
    }

    /// The characters ``joined(_:)`` keeps, folded, as ASCII bytes: digits, `-` and `.`.
    @inline(__always)
    fileprivate static func forEachKeptByte(_ tokens: some Collection<ValueToken>, _ body: (UInt8) -> Void) {
        for token in tokens {
            // ASCII text (as digit runs nearly always are) folds to itself: read as bytes.
            let ascii = token.raw.utf8.withContiguousStorageIfAvailable { b -> Bool in
                guard !b.contains(where: { $0 >= 0x80 }) else { return false }
                for c in b where (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") { body(c) }
                return true
            }
            if ascii == true { continue }
            for s in token.raw.unicodeScalars {
                let f = TextNormalization.fold(s)
                if (f >= "0" && f <= "9") || f == "-" || f == "." { body(UInt8(f.value)) }
            }
        }
    }
}

/// A short digit run held inline — at most ``capacity`` kept bytes, as
/// ``DigitRunSolver/joinedBytes(_:)`` gives them — with the number of cells it is to be split
/// into: the key of the caches of splits (``DigitRunCache``). Made, hashed and compared with
/// no array allocated for the row (a run as an array of bytes cost an allocation per row).
struct DigitRun: Hashable, Sendable {
    /// The most bytes a run held inline has.
    static let capacity = 32
    /// The bytes, in order, then zeros.
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    /// How many bytes the run has.
    private(set) var count = 0
    /// How many cells the run is split into.
    let cells: Int

    /// The run of `tokens` (their kept bytes, one after another) for `cells` cells; nil when
    /// it is longer than ``capacity``.
    init?(_ tokens: some Collection<ValueToken>, cells: Int) {
        self.cells = cells
        var tooLong = false
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0)), n = 0
        withUnsafeMutableBytes(of: &bytes) { buffer in
            DigitRunSolver.forEachKeptByte(tokens) { b in
                if n < Self.capacity { buffer[n] = b } else { tooLong = true }
                n += 1
            }
        }
        guard !tooLong else { return nil }
        (w0, w1, w2, w3) = bytes
        count = n
    }

    /// Hashes one word mixed from the run (a multiply-xorshift per word): the hasher then
    /// takes eight bytes, not forty-eight, for each look-up.
    func hash(into hasher: inout Hasher) {
        var h = UInt64(truncatingIfNeeded: count << 8 | cells)
        for w in [w0, w1, w2, w3] {
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
        }
        hasher.combine(h)
    }

    /// The run's bytes, as an array (what the solver takes).
    var bytes: [UInt8] {
        withUnsafeBytes(of: (w0, w1, w2, w3)) { Array($0.prefix(count)) }
    }
}
