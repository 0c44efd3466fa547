import GongkaiCore

/// A fuzz input for ``DigitRunSolver``, decoded from bytes.
///
/// - byte 0: the row's cell count, 1...16
/// - byte 1: the most integer digits a cell may have, 1...12
/// - byte 2: what the caller accepts (`% 4`): every split, splits whose last cell is the sum
///   of the others (identity 3's shape), splits whose first cell is the sum of the others, or
///   splits whose cell count mod 7 is 0; and (`/ 4 % 8`) the step budget, 32 · 2^k (32…4096).
///   The default budget (200,000 steps) costs ~18 ms per input under instrumentation, which
///   would hold the fuzzer to ~50 inputs/s; the bound is the same code at any size.
/// - byte 3: the result limit: 1, 4, 16 or 64 (the default) splits
/// - the rest: the run, one character per byte: `byte % 13` → `0`–`9`, `-`, `.`, space
struct SolverInput {
    var count: Int
    var maxDigits: Int
    var mode: Int
    var budget: Int
    var limit: Int
    var run: String

    /// Decodes bytes (nil when fewer than four).
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        count = 1 + Int(bytes[0]) % 16
        maxDigits = 1 + Int(bytes[1]) % 12
        mode = Int(bytes[2]) % 4
        budget = 32 << (Int(bytes[2]) / 4 % 8)
        limit = [1, 4, 16, 64][Int(bytes[3]) % 4]
        let alphabet = Array("0123456789-. ".unicodeScalars)
        var s = String.UnicodeScalarView()
        for b in bytes.dropFirst(4) { s.append(alphabet[Int(b) % alphabet.count]) }
        run = String(s)
    }

    /// The bytes that decode to this input (for seeds).
    static func encode(count: Int, maxDigits: Int, mode: Int, budgetShift: Int = 7, run: String) -> [UInt8] {
        let alphabet = Array("0123456789-. ".utf8)
        return [UInt8(count - 1), UInt8(maxDigits - 1), UInt8(mode + 4 * budgetShift), 3] + run.utf8.compactMap { c in alphabet.firstIndex(of: c).map(UInt8.init) }
    }
}

/// The digit-run solver target: every split it returns must be a real split of the run.
enum SolverTarget {
    /// Runs one input and checks the result.
    static func run(_ bytes: [UInt8]) {
        guard let input = SolverInput(bytes) else { return }
        let mode = input.mode
        let result = DigitRunSolver.split(input.run, count: input.count, maxDigits: input.maxDigits,
                                          budget: input.budget, limit: input.limit) { values in
            switch mode {
            case 0: return true
            case 1: return values.dropLast().reduce(Quantity(0), +) == values[values.count - 1]
            case 2: return values.dropFirst().reduce(Quantity(0), +) == values[0]
            default: return values.count % 7 == 0
            }
        }
        let kept = String(input.run.unicodeScalars.filter { $0 != " " }.map(Character.init))
        precondition(result.splits.count <= input.limit, "more splits than the limit")
        for split in result.splits {
            precondition(split.count == input.count, "split has \(split.count) cells, expected \(input.count)")
            precondition(split.joined() == kept, "split \(split) is not a cut of \(kept)")
        }
    }
}
