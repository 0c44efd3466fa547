/// Charts as self-contained SVG (no scripts, no external fonts): bar, grouped bar, stacked bar
/// and line. Labels may be Chinese; widths are estimated with display width (CJK = 2).
/// The same input always gives byte-identical output.
public struct SVGChart: Sendable {
    /// Chart kinds.
    public enum Kind: String, Sendable, CaseIterable {
        case bar, grouped, stacked, line
    }

    /// A named series of values, one per category (nil = missing).
    public struct Series: Sendable {
        /// Legend name.
        public var name: String
        /// Values, aligned with the categories.
        public var values: [Double?]
        /// Creates a series.
        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    /// The kind.
    public var kind: Kind
    /// Category labels (x axis for line and vertical bars; rows for horizontal bars).
    public var categories: [String]
    /// One or more series.
    public var series: [Series]
    /// Title shown above the chart.
    public var title: String?

    /// Creates a chart.
    public init(kind: Kind, categories: [String], series: [Series], title: String? = nil) {
        self.kind = kind
        self.categories = categories
        self.series = series
        self.title = title
    }

    static let palette = ["#3b6ea5", "#e07b39", "#59a14f", "#b07aa1", "#9c755f", "#edc948", "#76b7b2", "#ff9da7"]
    static let fontSize = 12.0

    /// Pixel width estimate of text at the chart font (CJK glyphs are square).
    static func textWidth(_ s: String) -> Double { Double(DisplayWidth.of(s)) * fontSize * 0.55 }

    static func num(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// The SVG document.
    public func render() -> String {
        switch kind {
        case .bar, .grouped, .stacked: return horizontalBars()
        case .line: return lines()
        }
    }

    private func header(width: Double, height: Double) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" font-family=\"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif\" font-size=\"\(Int(Self.fontSize))\" role=\"img\">"
        if let title { s += "<title>\(SafeText.html(title))</title>" }
        return s
    }

    private func legend(x: Double, y: Double) -> String {
        guard series.count > 1 else { return "" }
        var s = "", cx = x
        for (i, ser) in series.enumerated() {
            s += "<rect x=\"\(Self.num(cx))\" y=\"\(Self.num(y - 9))\" width=\"10\" height=\"10\" fill=\"\(Self.palette[i % Self.palette.count])\"/>"
            s += "<text x=\"\(Self.num(cx + 14))\" y=\"\(Self.num(y))\">\(SafeText.html(ser.name))</text>"
            cx += 24 + Self.textWidth(ser.name)
        }
        return s
    }

    private func horizontalBars() -> String {
        let labelW = min(220, (categories.map(Self.textWidth).max() ?? 0) + 8)
        let plotW = 420.0, barH = 16.0
        let groups = kind == .grouped ? max(1, series.count) : 1
        let rowH = barH * Double(groups) + 8
        let top = (title == nil ? 8.0 : 28.0) + (series.count > 1 ? 18 : 0)
        let height = top + rowH * Double(categories.count) + 24
        let width = labelW + plotW + 80
        let totals = categories.indices.map { i in series.reduce(0.0) { $0 + max(0, $1.values[safe: i].flatMap { $0 } ?? 0) } }
        let maxV: Double = kind == .stacked ? (totals.max() ?? 0) : (series.flatMap { $0.values.compactMap { $0 } }.map(abs).max() ?? 0)
        let scale = maxV > 0 ? plotW / maxV : 0
        var s = header(width: width, height: height)
        if let title { s += "<text x=\"\(Self.num(width / 2))\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">\(SafeText.html(title))</text>" }
        s += legend(x: labelW, y: top - 6)
        s += "<line x1=\"\(Self.num(labelW))\" y1=\"\(Self.num(top))\" x2=\"\(Self.num(labelW))\" y2=\"\(Self.num(top + rowH * Double(categories.count)))\" stroke=\"#888\"/>"
        for (i, cat) in categories.enumerated() {
            let y0 = top + rowH * Double(i) + 4
            s += "<text x=\"\(Self.num(labelW - 6))\" y=\"\(Self.num(y0 + barH * Double(groups) / 2 + 4))\" text-anchor=\"end\">\(SafeText.html(cat))</text>"
            var stackX = labelW
            for (k, ser) in series.enumerated() {
                guard let v = ser.values[safe: i] ?? nil else { continue }
                let w = abs(v) * scale
                let color = Self.palette[k % Self.palette.count]
                switch kind {
                case .stacked:
                    s += "<rect x=\"\(Self.num(stackX))\" y=\"\(Self.num(y0))\" width=\"\(Self.num(w))\" height=\"\(Self.num(barH))\" fill=\"\(color)\"><title>\(SafeText.html(ser.name)): \(Self.num(v))</title></rect>"
                    stackX += w
                default:
                    let y = kind == .grouped ? y0 + barH * Double(k) : y0
                    if kind == .bar && k > 0 { continue }
                    s += "<rect x=\"\(Self.num(labelW))\" y=\"\(Self.num(y))\" width=\"\(Self.num(w))\" height=\"\(Self.num(barH - 2))\" fill=\"\(color)\"/>"
                    s += "<text x=\"\(Self.num(labelW + w + 4))\" y=\"\(Self.num(y + barH - 5))\">\(TerminalChart.format(v))</text>"
                }
            }
            if kind == .stacked {
                s += "<text x=\"\(Self.num(stackX + 4))\" y=\"\(Self.num(y0 + barH - 4))\">\(TerminalChart.format(totals[i]))</text>"
            }
        }
        return s + "</svg>"
    }

    private func lines() -> String {
        let left = 60.0, plotW = 480.0, plotH = 220.0
        let top = (title == nil ? 12.0 : 30.0) + (series.count > 1 ? 18 : 0)
        let width = left + plotW + 30, height = top + plotH + 50
        let all = series.flatMap { $0.values.compactMap { $0 } }
        let lo = min(0, all.min() ?? 0), hi = max(all.max() ?? 1, lo + 1)
        let n = max(categories.count, 1)
        func x(_ i: Int) -> Double { left + (n == 1 ? plotW / 2 : plotW * Double(i) / Double(n - 1)) }
        func y(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }
        var s = header(width: width, height: height)
        if let title { s += "<text x=\"\(Self.num(width / 2))\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">\(SafeText.html(title))</text>" }
        s += legend(x: left, y: top - 6)
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            s += "<line x1=\"\(Self.num(left))\" y1=\"\(Self.num(y(v)))\" x2=\"\(Self.num(left + plotW))\" y2=\"\(Self.num(y(v)))\" stroke=\"#e3e3e3\"/>"
            s += "<text x=\"\(Self.num(left - 6))\" y=\"\(Self.num(y(v) + 4))\" text-anchor=\"end\">\(TerminalChart.format((v * 100).rounded() / 100))</text>"
        }
        for (i, c) in categories.enumerated() {
            s += "<text x=\"\(Self.num(x(i)))\" y=\"\(Self.num(top + plotH + 18))\" text-anchor=\"middle\">\(SafeText.html(c))</text>"
        }
        for (k, ser) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            var path = ""
            for (i, v) in ser.values.enumerated() {
                guard let v else { continue }
                path += (path.isEmpty ? "M" : " L") + "\(Self.num(x(i))) \(Self.num(y(v)))"
            }
            if !path.isEmpty { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>" }
            for (i, v) in ser.values.enumerated() {
                guard let v else { continue }
                s += "<circle cx=\"\(Self.num(x(i)))\" cy=\"\(Self.num(y(v)))\" r=\"3\" fill=\"\(color)\"><title>\(SafeText.html(categories[safe: i] ?? "")): \(TerminalChart.format(v))</title></circle>"
            }
        }
        return s + "</svg>"
    }
}

extension Array {
    /// The element at `i`, or nil when out of range.
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
