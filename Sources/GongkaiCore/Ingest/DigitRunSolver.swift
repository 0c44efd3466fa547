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
        var result = Result(splits: [], truncated: false)
        guard count > 0, !chars.isEmpty, chars.count <= 4096 else { return result }
        var steps = 0
        var parts: [Range<Int>] = []
        parts.reserveCapacity(count)

        var digitsFrom = [Int](repeating: 0, count: chars.count + 1)
        for i in stride(from: chars.count - 1, through: 0, by: -1) {
            digitsFrom[i] = digitsFrom[i + 1] + (chars[i] >= 0x30 && chars[i] <= 0x39 ? 1 : 0)
        }

        func validCell(_ r: Range<Int>) -> Bool {
            var i = r.lowerBound
            if chars[i] == UInt8(ascii: "-") { i += 1 }
            guard i < r.upperBound else { return false }
            var intDigits = 0, dots = 0, firstDigit: UInt8? = nil, afterDot = 0
            for j in i..<r.upperBound {
                let c = chars[j]
                if c == UInt8(ascii: "-") { return false }
                if c == UInt8(ascii: ".") {
                    dots += 1
                    if dots > 1 || intDigits == 0 { return false }
                    continue
                }
                if dots == 0 {
                    if firstDigit == nil { firstDigit = c }
                    intDigits += 1
                } else { afterDot += 1 }
            }
            if dots == 1 && afterDot == 0 { return false }
            if intDigits > maxDigits { return false }
            if intDigits > 1 && firstDigit == UInt8(ascii: "0") { return false }
            return true
        }

        func search(_ start: Int) {
            if result.truncated { return }
            steps += 1
            if steps > budget || result.splits.count >= limit { result.truncated = true; return }
            let cellsLeft = count - parts.count
            if cellsLeft == 0 {
                if start == chars.count {
                    let texts = parts.map { String(decoding: chars[$0], as: UTF8.self) }
                    let values = texts.compactMap { Quantity($0) }
                    if values.count == count && accept(values) { result.splits.append(texts) }
                }
                return
            }
            if digitsFrom[start] < cellsLeft { return }
            var end = start + 1
            while end <= chars.count {
                // A minus sign always starts a cell; a cell cannot end just before a '.'.
                if end < chars.count && chars[end] == UInt8(ascii: ".") { end += 1; continue }
                let r = start..<end
                if !validCell(r) {
                    // Longer cells are no better once the integer part is too long or has a leading zero.
                    if end - start > maxDigits + 8 { break }
                    if chars[start] == UInt8(ascii: "0") && end - start >= 2 && chars[start + 1] != UInt8(ascii: ".") { break }
                    end += 1
                    continue
                }
                if end < chars.count && chars[end] != UInt8(ascii: "-") && cellsLeft == 1 { end += 1; continue }
                // A number with decimals runs to the end of its digits: its fraction is not cut.
                if end < chars.count && chars[end] != UInt8(ascii: "-") && chars[r].contains(UInt8(ascii: ".")) { end += 1; continue }
                parts.append(r)
                search(end)
                parts.removeLast()
                if result.truncated { return }
                if end < chars.count && chars[end] == UInt8(ascii: "-") { break }
                end += 1
            }
        }
        search(0)
        return result
    }

    /// Concatenates the printed pieces of a row (stray spaces inside cells are common).
    static func joined(_ tokens: [ValueToken]) -> String {
        tokens.map { token in
            String(String.UnicodeScalarView(token.raw.unicodeScalars.compactMap { s -> Unicode.Scalar? in
                let f = TextNormalization.fold(s)
                return (f >= "0" && f <= "9") || f == "-" || f == "." ? f : nil
            }))
        }.joined()
    }
}
