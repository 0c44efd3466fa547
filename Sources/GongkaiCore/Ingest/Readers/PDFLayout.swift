/// Turns positioned words into the document model: visual lines, then table regions (runs of
/// lines whose words stand in separate columns) and paragraphs (the other lines, joined).
enum PDFLayout {
    /// The reading-order blocks of a PDF.
    static func blocks(_ pages: [PDFPage]) -> [Block] {
        let lines = visualLines(pages)
        guard !lines.isEmpty else { return [] }
        var metrics = Metrics(lines: lines, pages: pages)
        let kinds = classify(lines, metrics)
        metrics.learnSpacing(lines, kinds)
        let found = items(lines, kinds, metrics)
        // Row spacing is a property of the document's table style: measured where values are
        // stacked, it also separates the rows of tables that have too few values to show it.
        let gaps = found.compactMap { item -> Double? in
            if case .table(let idx) = item { return PDFTableBuilder(lines: idx.map { lines[$0] }).rowGap() }
            return nil
        }
        let documentRowGap = gaps.min()
        var blocks: [Block] = []
        var pending: [PDFLine] = []
        for item in found {
            switch item {
            case .line(let i):
                pending.append(lines[i])
            case .table(let idx):
                blocks += paragraphs(pending, metrics).map(Block.paragraph)
                pending = []
                let builder = PDFTableBuilder(lines: idx.map { lines[$0] }, fallbackRowGap: documentRowGap)
                if let t = builder.table() { blocks.append(.table(t)) }
            }
        }
        blocks += paragraphs(pending, metrics).map(Block.paragraph)
        return blocks
    }

    // MARK: Visual lines

    /// Words grouped into visual lines per page (top to bottom), page headers/footers dropped,
    /// numbered through the document.
    static func visualLines(_ pages: [PDFPage]) -> [PDFLine] {
        var out: [PDFLine] = []
        for page in pages {
            var lines = group(page.words)
            // A page number alone on the first or last line of the page.
            while let first = lines.first, isPageMark(first, page) { lines.removeFirst() }
            while let last = lines.last, isPageMark(last, page) { lines.removeLast() }
            for var l in lines {
                l.ordinal = out.count + 1
                for s in l.segments.indices { l.segments[s].line = l.ordinal }
                out.append(l)
            }
        }
        return out
    }

    /// Groups a page's words into lines: a word joins the current line when its vertical centre
    /// is within a third of a line height of the line's first word.
    static func group(_ words: [PDFWord]) -> [PDFLine] {
        let sorted = words.sorted { ($0.centerY, $0.xMin) < ($1.centerY, $1.xMin) }
        var groups: [[PDFWord]] = []
        var seedCenter = 0.0, seedHeight = 0.0
        for w in sorted {
            if let last = groups.indices.last, abs(w.centerY - seedCenter) <= 0.35 * min(seedHeight, w.height) {
                groups[last].append(w)
            } else {
                groups.append([w])
                seedCenter = w.centerY
                seedHeight = w.height
            }
        }
        return groups.map { makeLine($0.sorted { $0.xMin < $1.xMin }) }
    }

    /// A line from its words (sorted by x), with its segments.
    static func makeLine(_ words: [PDFWord]) -> PDFLine {
        let heights = words.map(\.height).sorted()
        let h = heights[heights.count / 2]
        var segments: [PDFSegment] = []
        for w in words {
            if var s = segments.last {
                let gap = w.xMin - s.xMax
                let bothNumbers = PDFText.isNumber(s.words.last!.text) && PDFText.isNumber(w.text)
                if gap < 0.45 * max(h, w.height) && !(bothNumbers && gap > 0.05 * h) {
                    s.words.append(w)
                    s.text = PDFText.join(s.text, w.text)
                    s.xMax = max(s.xMax, w.xMax)
                    s.yMin = min(s.yMin, w.yMin)
                    s.yMax = max(s.yMax, w.yMax)
                    segments[segments.count - 1] = s
                    continue
                }
            }
            segments.append(PDFSegment(words: [w], text: w.text, xMin: w.xMin, xMax: w.xMax, yMin: w.yMin, yMax: w.yMax, page: w.page, line: 0))
        }
        return PDFLine(
            page: words[0].page, ordinal: 0, words: words, segments: segments,
            xMin: words.map(\.xMin).min()!, xMax: words.map(\.xMax).max()!,
            yMin: words.map(\.yMin).min()!, yMax: words.map(\.yMax).max()!,
            height: h, block: words[0].block)
    }

    /// A page number or similar mark near the top or bottom edge, centred or at a side.
    static func isPageMark(_ line: PDFLine, _ page: PDFPage) -> Bool {
        guard line.words.count <= 5, PDFText.isPageNumber(line.words.map(\.text).joined()) else { return false }
        let nearEdge = line.yMax <= 0.12 * page.height || line.yMin >= 0.88 * page.height
        let centred = abs(line.center - page.width / 2) <= 0.12 * page.width
        let side = line.xMin >= 0.7 * page.width || line.xMax <= 0.3 * page.width
        return nearEdge && (centred || side)
    }

    // MARK: Classification

    /// Page geometry shared by the classification rules.
    struct Metrics {
        /// Left edge of running text.
        var bodyLeft: Double
        /// Right edge of running text.
        var bodyRight: Double
        var textWidth: Double { max(bodyRight - bodyLeft, 1) }

        init(lines: [PDFLine], pages: [PDFPage]) {
            let pageWidth = pages.map(\.width).max() ?? 595
            let long = lines.filter { $0.width >= 0.5 * pageWidth }
            if long.isEmpty {
                bodyLeft = lines.map(\.xMin).min() ?? 0
                bodyRight = lines.map(\.xMax).max() ?? pageWidth
            } else {
                let l = long.map(\.xMin).sorted(), r = long.map(\.xMax).sorted()
                bodyLeft = l[l.count / 2]
                bodyRight = r[r.count / 2]
            }
        }

        /// The usual gap between lines of one paragraph, when paragraphs are set apart by a
        /// clearly larger gap (nil when the document does not space its paragraphs).
        var lineGap: Double?

        /// Learns the paragraph spacing from the gaps after full lines (inside paragraphs) and
        /// after short lines (mostly paragraph ends).
        mutating func learnSpacing(_ lines: [PDFLine], _ kinds: [Kind]) {
            var inside: [Double] = [], after: [Double] = []
            var h: [Double] = []
            for i in 1..<max(lines.count, 1) where lines[i].page == lines[i - 1].page
                && kinds[i] != .tabular && kinds[i - 1] != .tabular {
                let gap = lines[i].yMin - lines[i - 1].yMax
                guard gap > -0.5 * lines[i].height, gap < 3 * lines[i].height else { continue }
                if isFull(lines[i - 1]) && lines[i - 1].width >= 0.7 * textWidth { inside.append(gap); h.append(lines[i].height) } else { after.append(gap) }
            }
            guard inside.count >= 3, after.count >= 3 else { return }
            inside.sort(); after.sort(); h.sort()
            let usual = inside[inside.count / 2], ends = after[after.count / 2]
            if ends >= usual + 0.3 * h[h.count / 2] { lineGap = usual }
        }

        /// Whether a line reaches the right edge of running text (so the paragraph goes on).
        func isFull(_ l: PDFLine) -> Bool { l.xMax >= bodyRight - 1.5 * l.height }
        /// Whether a line starts at the left edge of running text.
        func atLeft(_ l: PDFLine) -> Bool { l.xMin <= bodyLeft + 1.0 * l.height }
    }

    enum Kind { case tabular, prose, other }

    /// Tabular lines have several segments; prose lines are long single runs, section headings,
    /// and the continuation lines of a prose paragraph; the rest may be part of a table.
    static func classify(_ lines: [PDFLine], _ m: Metrics) -> [Kind] {
        var kinds: [Kind] = []
        for (i, l) in lines.enumerated() {
            if l.segments.count >= 2 { kinds.append(.tabular); continue }
            if l.width >= 0.7 * m.textWidth || (PDFText.isSectionHeading(l.text) && m.atLeft(l)) {
                kinds.append(.prose)
                continue
            }
            if i > 0, kinds[i - 1] == .prose, m.atLeft(l), m.isFull(lines[i - 1]), tight(lines[i - 1], l) {
                kinds.append(.prose)
                continue
            }
            kinds.append(.other)
        }
        return kinds
    }

    /// Whether `b` follows `a` at ordinary line spacing (or starts the next page).
    static func tight(_ a: PDFLine, _ b: PDFLine) -> Bool {
        if b.page != a.page { return b.page == a.page + 1 }
        let gap = b.yMin - a.yMax
        return gap <= 0.6 * max(a.height, b.height) && gap > -0.5 * min(a.height, b.height)
    }

    // MARK: Regions

    enum Item { case line(Int), table([Int]) }

    /// Lines in reading order, as single lines or as table regions.
    static func items(_ lines: [PDFLine], _ kinds: [Kind], _ m: Metrics) -> [Item] {
        var out: [Item] = []
        var i = 0
        while i < lines.count {
            if kinds[i] == .prose { out.append(.line(i)); i += 1; continue }
            var j = i
            while j + 1 < lines.count, kinds[j + 1] != .prose, !farApart(lines[j], lines[j + 1]) { j += 1 }
            out += region(i...j, lines, kinds, m)
            i = j + 1
        }
        return out
    }

    /// Lines separated by a large empty band on the same page do not share a table.
    static func farApart(_ a: PDFLine, _ b: PDFLine) -> Bool {
        a.page == b.page && b.yMin - a.yMax > 4 * max(a.height, b.height)
    }

    /// A run of non-prose lines: the table between its first and last tabular line, widened by
    /// adjacent indented lines and split at centred caption lines.
    static func region(_ run: ClosedRange<Int>, _ lines: [PDFLine], _ kinds: [Kind], _ m: Metrics) -> [Item] {
        let tabular = run.filter { kinds[$0] == .tabular }
        guard tabular.count >= 2, var start = tabular.first, var end = tabular.last else { return run.map { .line($0) } }
        // Lines next to the table that are close enough to be its header or last rows; at the
        // left margin only when very close (otherwise they are headings or notes).
        func attachable(_ k: Int, _ neighbour: Int) -> Bool {
            let a = lines[k], b = lines[neighbour]
            guard kinds[k] == .other else { return false }
            if a.page != b.page { return !m.atLeft(a) }
            let gap = k < neighbour ? b.yMin - a.yMax : a.yMin - b.yMax
            if m.atLeft(a) { return !PDFText.startsItem(a.text) && gap <= 1.0 * max(a.height, b.height) }
            return gap <= 2.5 * max(a.height, b.height)
        }
        while start > run.lowerBound, attachable(start - 1, start) { start -= 1 }
        while end < run.upperBound, attachable(end + 1, end) { end += 1 }

        var out: [Item] = (run.lowerBound..<start).map { .line($0) }
        let left = tabular.map { lines[$0].xMin }.min()!, right = tabular.map { lines[$0].xMax }.max()!
        let width = max(right - left, 1)
        var current: [Int] = []
        func flush() {
            if current.contains(where: { kinds[$0] == .tabular }) { out.append(.table(current)) } else { out += current.map { .line($0) } }
            current = []
        }
        // Header lines (tabular, no values) of the current table, to recognise the header of
        // a new table printed right below (`信息内容 | 本年处理决定数量` after `信息内容 | 本年制发件数 …`).
        var headers: [PDFLine] = []
        var sawValues = false
        for k in start...end {
            let l = lines[k]
            if kinds[k] == .tabular {
                let hasValues = l.segments.contains(where: \.isValue)
                if hasValues {
                    sawValues = true
                } else if sawValues, let first = l.segments.first?.text,
                          headers.contains(where: { $0.segments.first?.text == first && $0.text != l.text }) {
                    flush()
                    headers = []
                    sawValues = false
                }
                if !hasValues && !sawValues { headers.append(l) }
            }
            // A caption row (`第二十条第（五）项`) centred over the table starts a new table.
            // (centred, and followed by a header line: tabular without values).
            let caption = kinds[k] == .other && abs(l.center - (left + right) / 2) <= 0.08 * width
                && l.width <= 0.6 * width && l.width >= 3 * l.height && l.xMin > left + 2 * l.height
                && !l.segments.contains(where: \.isValue)
                && k < end && kinds[k + 1] == .tabular && !lines[k + 1].segments.contains(where: \.isValue)
            if caption {
                flush()
                headers = []
                sawValues = false
                out.append(.line(k))
            } else {
                current.append(k)
            }
        }
        flush()
        if end < run.upperBound { out += (end + 1...run.upperBound).map { .line($0) } }
        return out
    }

    // MARK: Paragraphs

    /// Consecutive non-table lines joined into paragraphs: a line continues the paragraph when it
    /// follows at line spacing, the previous line ran to the right margin (or pdftotext put both
    /// in one block) and it does not start a new item.
    static func paragraphs(_ lines: [PDFLine], _ m: Metrics) -> [Paragraph] {
        var out: [Paragraph] = []
        var prev: PDFLine?
        for l in lines {
            if let p = prev, var last = out.last, continues(p, l, m) {
                last.text = PDFText.join(last.text, l.text)
                last.span = last.span.union(SourceSpan(line: l.ordinal))
                out[out.count - 1] = last
            } else {
                out.append(Paragraph(text: l.text, span: SourceSpan(line: l.ordinal, page: l.page)))
            }
            prev = l
        }
        return out
    }

    static func continues(_ a: PDFLine, _ b: PDFLine, _ m: Metrics) -> Bool {
        guard b.ordinal == a.ordinal + 1, tight(a, b), !PDFText.startsItem(b.text) else { return false }
        let notIndented = b.xMin <= a.xMin + 0.5 * b.height || m.atLeft(b)
        guard notIndented else { return false }  // a first-line indent starts a paragraph
        if m.isFull(a) || (a.page == b.page && a.block == b.block) { return true }
        // Where paragraphs are spaced apart, a short line followed at plain line spacing was
        // broken early (an unbreakable number did not fit), unless it is a heading.
        guard let usual = m.lineGap, a.page == b.page, !PDFText.startsItem(a.text),
              a.width >= 0.5 * m.textWidth else { return false }
        return b.yMin - a.yMax <= usual + 0.15 * b.height
    }
}
