/// A small deterministic random number generator (SplitMix64): the same seed gives the same
/// synthetic corpus on every machine and Swift version, which `SystemRandomNumberGenerator`
/// cannot promise.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A uniform integer in the range.
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A skewed (log-normal) count with the given median; `spread` is the log-space sigma.
    mutating func skewed(median: Double, spread: Double = 1.0) -> Int {
        // Box–Muller.
        let u1 = max(unit(), 1e-12), u2 = unit()
        let z = (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
        return max(0, Int((median * _exp(spread * z)).rounded()))
    }

    /// Splits `n` units among buckets with the given weights (a multinomial draw).
    mutating func split(_ n: Int, weights: [Double]) -> [Int] {
        var out = [Int](repeating: 0, count: weights.count)
        let total = weights.reduce(0, +)
        guard n > 0, total > 0 else { return out }
        if n > 200 {
            // Large counts: expected shares plus a random remainder.
            var left = n
            for (i, w) in weights.enumerated() {
                let k = min(left, Int((Double(n) * w / total).rounded(.down)))
                out[i] = k
                left -= k
            }
            for _ in 0..<left { out[pick(weights)] += 1 }
            return out
        }
        for _ in 0..<n { out[pick(weights)] += 1 }
        return out
    }

    /// An index drawn with the given weights.
    mutating func pick(_ weights: [Double]) -> Int {
        var x = unit() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// A random element.
    mutating func element<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
