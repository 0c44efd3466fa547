/// Charts in the terminal: horizontal bars with CJK-aligned labels, and sparklines.
public enum TerminalChart {
    /// Horizontal bars: one line per (label, value), scaled to `width` columns.
    public static func bars(_ items: [(label: String, value: Double?)], width: Int = 40) -> String {
        let labels = items.map { SafeText.terminal($0.label) }
        let lw = min(30, labels.map { DisplayWidth.of($0) }.max() ?? 0)
        let maxV = items.compactMap(\.value).map(abs).max() ?? 0
        var out: [String] = []
        for (i, item) in items.enumerated() {
            var label = labels[i]
            if DisplayWidth.of(label) > lw {
                var s = "", used = 0
                for u in label.unicodeScalars {
                    if used + DisplayWidth.of(u) > lw - 1 { break }
                    s.unicodeScalars.append(u)
                    used += DisplayWidth.of(u)
                }
                label = s + "…"
            }
            guard let v = item.value else {
                out.append(DisplayWidth.pad(label, to: lw) + " │ null")
                continue
            }
            let eighths = maxV > 0 ? Int((abs(v) / maxV * Double(width * 8)).rounded()) : 0
            let bar = String(repeating: "█", count: eighths / 8) + (eighths % 8 > 0 ? String(Array("▏▎▍▌▋▊▉")[eighths % 8 - 1]) : "")
            out.append(DisplayWidth.pad(label, to: lw) + " │" + bar + " " + format(v))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A sparkline of the values (nulls as spaces).
    public static func spark(_ values: [Double?]) -> String {
        let ticks = Array("▁▂▃▄▅▆▇█")
        let present = values.compactMap { $0 }
        guard let lo = present.min(), let hi = present.max() else { return String(repeating: " ", count: values.count) }
        return String(values.map { v -> Character in
            guard let v else { return " " }
            if hi == lo { return ticks[3] }
            return ticks[min(7, Int((v - lo) / (hi - lo) * 7.999))]
        })
    }

    /// A compact number: integers plain with separators, others with up to 4 decimals.
    public static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return DisplayTable.Cell.grouped(String(Int64(v))) }
        var s = String(format4: v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension String {
    /// `v` with four decimals, without Foundation.
    init(format4 v: Double) {
        let neg = v < 0
        let scaled = Int64((abs(v) * 10_000).rounded())
        let int = scaled / 10_000, frac = scaled % 10_000
        let f = String(frac)
        self = (neg ? "-" : "") + DisplayTable.Cell.grouped(String(int)) + "." + String(repeating: "0", count: 4 - f.count) + f
    }
}
