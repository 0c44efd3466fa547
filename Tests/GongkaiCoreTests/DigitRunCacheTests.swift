import Testing
@testable import GongkaiCore

/// The inline run key and the caches of splits built on it: a kept result must be what
/// computing it gives, whatever the tokens look like.
@Suite("Digit-run cache")
struct DigitRunCacheTests {
    /// Tokens of a row as a reader gives them, with no reading.
    func tokens(_ raws: [String]) -> ArraySlice<ValueToken> { raws.map { ValueToken(raw: $0, span: nil) }[...] }

    @Test("the inline key holds the bytes joinedBytes gives, folded and filtered")
    func keyBytes() throws {
        for raws in [["12", "3"], ["１２ 3", "-4.5元"], ["0"], [""], ["abc", "7"], [String(repeating: "9", count: 32)]] {
            let t = tokens(raws)
            let run = try #require(DigitRun(t, cells: 3))
            #expect(run.bytes == DigitRunSolver.joinedBytes(t))
            #expect(run.count == run.bytes.count)
        }
    }

    @Test("a run longer than the key holds is no key; the cache computes it every time")
    func longRun() {
        let t = tokens([String(repeating: "1", count: 20), String(repeating: "2", count: 13)])
        #expect(DigitRun(t, cells: 7) == nil)
        let cache = DigitRunCache<Int>(capacity: 4)
        var computed = 0
        for _ in 0..<2 {
            let length = cache.value(for: t, cells: 7) { run in
                computed += 1
                return run.count
            }
            #expect(length == 33)
        }
        #expect(computed == 2)
    }

    @Test("runs differing in any byte, in length or in cells are different keys")
    func keysDiffer() throws {
        let a = try #require(DigitRun(tokens(["100"]), cells: 3))
        #expect(a == DigitRun(tokens(["1", "0", "0"]), cells: 3))
        #expect(a != DigitRun(tokens(["1000"]), cells: 3))
        #expect(a != DigitRun(tokens(["10"]), cells: 3))
        #expect(a != DigitRun(tokens(["100"]), cells: 2))
        #expect(a != DigitRun(tokens(["101"]), cells: 3))
        let long = String(repeating: "5", count: 31)
        #expect(DigitRun(tokens([long + "1"]), cells: 3) != DigitRun(tokens([long + "2"]), cells: 3))
    }

    @Test("kept splits equal computed ones, for each section, on tricky runs")
    func cachedEqualsComputed() {
        let proactive = ProactiveMatcher(generation: .v2021, narrativeNumbers: [])
        let spec = Template.proactiveRows(.v2021)[1]
        for run in ["1104", "000", "2648-18538", "0.8031", "12.5.3", "-", "", "99999999999999999999999999999"] {
            let direct = DigitRunSolver.split(run, count: 3, maxDigits: 12) { _ in true }
            for _ in 0..<2 {
                let (ranked, truncated) = proactive.rank(run, spec: spec, unit: .none)
                #expect(Set(ranked.map(\.texts)) == Set(direct.splits))
                #expect(ranked.count == direct.splits.count && truncated == direct.truncated)
            }
        }
        for run in ["10203120001200000", "000000000000000", "1-2"] {
            let direct = DigitRunSolver.split(run, count: 15, maxDigits: 6, accept: ReviewsMatcher.identity4)
            for _ in 0..<2 {
                let kept = ReviewsMatcher.splitCache.value(for: tokens([run]), cells: 15, compute: ReviewsMatcher.splits)
                #expect(Set(kept.ranked) == Set(direct.splits) && kept.truncated == direct.truncated)
                #expect(kept.bestCells?.map(\.raw) == kept.ranked.first)
            }
        }
    }
}
