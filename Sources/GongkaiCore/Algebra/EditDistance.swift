/// Did-you-mean suggestions: Levenshtein distance over characters.
public enum EditDistance {
    /// The number of single-character insertions, deletions and substitutions between two strings.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The closest candidate within a distance proportional to the name's length, if any.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let limit = Swift.max(1, Swift.min(3, (name.count + 1) / 3))
        var best: (String, Int)? = nil
        for c in candidates {
            let d = distance(name.lowercased(), c.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// `did you mean "x"?`, or nil when nothing is close.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        closest(to: name, among: candidates).map { "did you mean \"\($0)\"?" }
    }
}
