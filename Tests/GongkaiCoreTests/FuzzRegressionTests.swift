import Foundation
import Testing
@testable import GongkaiCore

/// Inputs the fuzzers (`make fuzz`) found that crashed, hung or took too long, minimised and
/// written here as small literals, each with the exact behaviour now expected.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    @Test("solver: a 38-character run into 10 cells under an identity stops at its step budget (was 0.8 s per call, 5.6 s before that)")
    func solverLongRunIdentity() {
        let run = "3898311285838371268.313128371261010651"
        var accepted = 0
        let result = DigitRunSolver.split(run, count: 10, maxDigits: 9) { v in
            accepted += 1
            return v.dropLast().reduce(Quantity.zero, +) == v[v.count - 1]
        }
        #expect(result.splits == [])
        #expect(result.truncated == true)
        // The work is bounded by the step budget, not by the run's 10-way splits: the number
        // of complete splits offered to `accept` is fixed. (How fast each step is belongs to
        // the benchmarks, not to a unit test timed on a shared machine.)
        #expect(accepted == 23_443)
    }

    @Test("diagnostics: at most ten are rendered, then how many more (was seconds of rendering for text typed wrong everywhere)")
    func diagnosticsCapped() {
        let source = "abcdefghijkl"
        let items = (0..<12).map { Diagnostic("bad \($0)", span: QuerySpan(start: $0, end: $0 + 1)) }
        let rendered = Diagnostics(items, source: source).rendered
        #expect(rendered.components(separatedBy: "error: bad ").count - 1 == Diagnostics.maxRendered)
        #expect(rendered.hasPrefix("error: bad 0\n --> 1:1\n  |\n1 | abcdefghijkl\n  | ^\nerror: bad 1\n"))
        #expect(rendered.hasSuffix("error: bad 9\n --> 1:10\n  |\n1 | abcdefghijkl\n  |          ^\n… and 2 more errors"))
        let eleven = Diagnostics(Array(items.prefix(11)), source: source).rendered
        #expect(eleven.hasSuffix("\n… and 1 more error"))
        #expect(!Diagnostics(Array(items.prefix(10)), source: source).rendered.contains("more error"))
    }
}
