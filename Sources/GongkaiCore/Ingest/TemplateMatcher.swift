/// Maps a document's labels to canonical keys, once, for every format.
///
/// It finds the three table regions by their anchor labels, recognises the generation from
/// the labels, then hands each region's rows to the section matchers. Every cell of the
/// generation comes out: read, blank, or flagged uncertain with a reason — never guessed
/// silently.
struct TemplateMatcher {
    /// A row of values with the label text printed before it.
    struct Row {
        /// Where the label normal form of the text printed since the previous row's values is
        /// in the regions' label bytes (``Rows/labels``). Only the normal form: matching never
        /// reads the label as printed.
        var label: Range<Int>
        var values: [ValueToken]
        var grid: Bool
        var span: SourceSpan
    }

    /// The matcher's output.
    struct Output {
        var generation: Generation
        /// The cells read so far, in the order they were stored.
        var found: [Cell] = []
        /// For each position in ``Template/keys(_:)``, the index in ``found`` of its cell (the
        /// latest stored for it), or -1.
        var foundIndex: [Int]
        var uncertain: [Uncertainty]
        var notes: [Finding]
        /// Every cell of the generation in template order (``Template/keys(_:)``), filled
        /// when matching ends.
        var ordered: [Cell] = []
    }

    let atoms: [Atom]
    let source: String

    /// Atom index ranges of the three regions.
    struct Regions {
        var proactive: Range<Int>
        var applications: Range<Int>
        var reviews: Range<Int>
    }

    func regions() throws(IngestError) -> Regions {
        func firstText(from: Int, to: Int? = nil, _ needles: Needles) -> Int? {
            let end = to ?? atoms.count
            guard from < end else { return nil }
            for i in from..<end where atoms[i].kind == .text && needles.found(in: atoms[i].norm) { return i }
            return nil
        }
        guard let apps = firstText(from: 0, Needles.applications) else {
            throw IngestError(.notAReport, "\(source): not an annual disclosure report: no section 三 table (收到和处理政府信息公开申请情况) found")
        }
        let pro = firstText(from: 0, to: apps, Needles.article20) ?? firstText(from: 0, to: apps, Needles.content) ?? apps
        // Section 四 starts at the first mention of 复议 after the applications table.
        var afterApps = apps
        for i in apps..<atoms.count where atoms[i].kind == .text && Needles.carriedForward.found(in: atoms[i].norm) {
            afterApps = i
            break
        }
        let rev = firstText(from: afterApps, Needles.review) ?? atoms.count
        var revEnd = atoms.count
        if rev < atoms.count {
            var seenValues = false
            for i in (rev + 1)..<atoms.count {
                if atoms[i].kind == .values { seenValues = true; continue }
                let n = atoms[i].norm
                if seenValues && (Needles.reviewEnd.found(in: n) || (n.utf8.count > 80 && n.unicodeScalars.count > 80)) {
                    revEnd = i
                    break
                }
            }
        }
        return Regions(proactive: pro..<apps, applications: apps..<rev, reviews: rev..<revEnd)
    }

    /// Words that mark where a region starts or ends, as UTF-8 bytes: each label is searched
    /// for all of them through one access to its bytes (not one string search per word).
    struct Needles {
        /// The words' UTF-8 bytes.
        let words: [[UInt8]]
        /// Needles for `words` (made once each, as the static needles below).
        init(_ words: [String]) { self.words = words.map { Array($0.utf8) } }

        /// Whether `text` contains any of the words.
        func found(in text: String) -> Bool {
            let found = text.utf8.withContiguousStorageIfAvailable { hay in
                words.contains { w in w.count <= hay.count && w.withUnsafeBufferPointer { ByteSearch.firstOffset(of: $0, in: hay) != nil } }
            }
            return found ?? words.contains { text.containsText(String(decoding: $0, as: UTF8.self)) }
        }

        /// Section 三's table (本年新收政府信息公开申请 is found by 本年新收).
        static let applications = Needles(["勾稽关系", "本年新收", "申请人情况"])
        /// The start of section 二's table, by its legal basis.
        static let article20 = Needles(["第二十条"])
        /// The start of section 二's table, by its header (when 第二十条 is not printed).
        static let content = Needles(["信息内容"])
        /// The last row of section 三.
        static let carriedForward = Needles(["结转下年", "继续办理"])
        /// Section 四.
        static let review = Needles(["复议"])
        /// Text after section 四's table.
        static let reviewEnd = Needles(["问题", "改进", "其他需要报告"])
    }

    /// The rows of the three regions, and the label bytes they point into.
    struct Rows {
        /// The label normal forms of the regions' text atoms, one after another: a label of
        /// several atoms is a range of them, not a string made by joining.
        var labels: [UInt8] = []
        /// How many of ``labels`` are the text of sections 二 and 三 (what tells the generation).
        var generationEnd = 0
        /// Section 二's rows, in order.
        var proactive: [Row] = []
        /// Section 三's rows, in order.
        var applications: [Row] = []
        /// Section 四's rows, in order.
        var reviews: [Row] = []
    }

    /// The rows of each region, made in one pass over the three: each group of values with
    /// the label text printed since the previous group (in its region).
    func rows(_ r: Regions) -> Rows {
        let regions = [r.proactive, r.applications, r.reviews]
        // The label bytes and each region's rows are counted first: no array grows.
        var size = 0, counts = [0, 0, 0]
        for (k, region) in regions.enumerated() {
            for i in region {
                if atoms[i].kind == .text { size += atoms[i].norm.utf8.count } else { counts[k] += 1 }
            }
        }
        var out = Rows()
        out.labels.reserveCapacity(size)
        for (k, region) in regions.enumerated() {
            if k == 2 { out.generationEnd = out.labels.count }
            var rows: [Row] = []
            rows.reserveCapacity(counts[k])
            var labelStart = out.labels.count
            for i in region {
                // Fields are read in place: copying the atom would retain all of them.
                guard atoms[i].kind == .values else {
                    if atoms[i].norm.utf8.withContiguousStorageIfAvailable({ out.labels.append(contentsOf: $0) }) == nil {
                        out.labels.append(contentsOf: atoms[i].norm.utf8)
                    }
                    continue
                }
                // Narrative before the table ends with a full stop; labels never contain one.
                // (The normal form keeps `。`, so the label is cut at its last one.)
                let label = out.labels.withUnsafeBufferPointer { Self.afterLastFullStop(in: UnsafeBufferPointer(rebasing: $0[labelStart...])) }
                rows.append(Row(label: labelStart + label.lowerBound..<labelStart + label.upperBound, values: atoms[i].values, grid: atoms[i].gridCells, span: atoms[i].span))
                labelStart = out.labels.count
            }
            switch k {
            case 0: out.proactive = rows
            case 1: out.applications = rows
            default: out.reviews = rows
            }
        }
        return out
    }

    /// The UTF-8 of `。`.
    private static let fullStopBytes: [UInt8] = Array("。".utf8)

    /// The part of a text (its UTF-8 bytes) after its last `。` character: offsets into the
    /// text (all of it when there is none).
    ///
    /// Finds the last `。` scalar by its bytes; when the scalars around it show that it is a
    /// character of its own (nothing before it that joins the next character, no combining
    /// mark after it), that is the last `。` character, and the bytes after it are the part.
    /// Otherwise (never seen in reports) the character search decides.
    static func afterLastFullStop(in b: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        // The last `。` scalar (E3 80 82; E3 always starts a scalar): occurrences cannot
        // overlap, so searching forwards from each one finds them all.
        let found = fullStopBytes.withUnsafeBufferPointer { stop in
            var last: Int? = nil, from = 0
            while let k = ByteSearch.firstOffset(of: stop, in: UnsafeBufferPointer(rebasing: b[from...])) {
                last = from + k
                from += k + stop.count
            }
            return last
        }
        guard let j = found else { return 0..<b.count }
        let i = j + fullStopBytes.count
        let prevOK = j == 0 || TextNormalization.neverJoinsNext(scalar(TextNormalization.decodeScalar(b, before: j).value))
        let nextOK = i == b.count || TextNormalization.neverJoinsPrevious(scalar(TextNormalization.decodeScalar(b, at: i).value))
        if prevOK && nextOK { return i..<b.count }
        let s = String(decoding: b, as: UTF8.self)
        guard let cut = s.lastIndex(of: "。") else { return 0..<b.count }
        return s.utf8.distance(from: s.startIndex, to: s.index(after: cut))..<b.count
    }

    /// The scalar of a decoded value (labels are valid UTF-8, so always one).
    private static func scalar(_ value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// The generation, from the labels of sections 二 and 三 (markers may run across two).
    func generation(_ rows: Rows) -> Generation {
        rows.labels.withUnsafeBufferPointer { RowLabels.generation(bytes: UnsafeBufferPointer(rebasing: $0[..<rows.generationEnd])) }
    }

    func match(narrativeNumbers: Set<Int>) throws(IngestError) -> Output {
        let r = try regions()
        var regionRows = rows(r)
        let g = generation(regionRows)
        let keys = Template.keys(g)
        var out = Output(generation: g, foundIndex: [Int](repeating: -1, count: keys.count), uncertain: [], notes: [])
        out.found.reserveCapacity(keys.count)
        ProactiveMatcher(generation: g, narrativeNumbers: narrativeNumbers).match(regionRows.proactive, labels: regionRows.labels, into: &out)
        // Taken out of `regionRows`, so that the matcher owns (and filters in place) the only copy.
        let applications = regionRows.applications
        regionRows.applications = []
        ApplicationsMatcher(generation: g).match(applications, labels: regionRows.labels, into: &out)
        ReviewsMatcher().match(regionRows.reviews, into: &out)
        // Every key stored once, in template order (the common case): the cells are in order
        // already, and are shared rather than copied one by one.
        if out.found.count == keys.count && out.foundIndex.indices.allSatisfy({ out.foundIndex[$0] == $0 }) {
            out.ordered = out.found
            return out
        }
        // Every key of the generation is present; what no row gave is blank and flagged.
        out.ordered.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() {
            let index = out.foundIndex[position]
            if index >= 0 {
                out.ordered.append(out.found[index])
                continue
            }
            out.ordered.append(Cell(key: key, value: .blank, raw: "", span: nil))
            out.uncertain.append(Uncertainty(key: key, reason: "row not found in the report"))
        }
        return out
    }
}

extension TemplateMatcher.Output {
    /// Stores the cells of one printed row from its tokens, each read already (as
    /// ``RowValues/read(_:)`` gives them): each cell at its token's place or, when `place` is
    /// given, there (the cells of a split digit run are all at the row's place).
    mutating func store(_ keys: RowKeys, _ cells: [ValueToken], at place: SourceSpan? = nil) {
        // Tokens are read where they lie, through a pointer: a subscript copies the whole
        // token (text, span and reading) for each of its fields read.
        cells.withUnsafeBufferPointer { tokens in
            for i in 0..<min(keys.count, tokens.count) {
                let token = tokens.baseAddress! + i
                foundIndex[keys.positions[i]] = found.count
                found.append(Cell(key: keys.keys[i], value: CellText.value(token.pointee.reading!, money: keys.money[i]), raw: token.pointee.raw, span: place ?? token.pointee.span))
            }
        }
    }

    /// Stores a row whose values cannot be read: every cell blank, with no text, at the
    /// row's place.
    mutating func storeBlank(_ keys: RowKeys, at place: SourceSpan) {
        for (i, key) in keys.keys.enumerated() {
            foundIndex[keys.positions[i]] = found.count
            found.append(Cell(key: key, value: .blank, raw: "", span: place))
        }
    }

    /// Flags every cell of a row as uncertain.
    mutating func flag(_ keys: RowKeys, _ reason: String, alternatives: [String] = []) {
        flag(keys.keys, reason, alternatives: alternatives)
    }

    /// Flags cells as uncertain.
    mutating func flag(_ keys: [CellKey], _ reason: String, alternatives: [String] = []) {
        for k in keys where !uncertain.contains(where: { $0.key == k }) {
            uncertain.append(Uncertainty(key: k, reason: reason, alternatives: alternatives))
        }
    }
}

/// The cell keys of one template row, with what storing a cell needs to know about each
/// (made once per generation, so matching a row looks nothing up).
struct RowKeys {
    /// The keys, in column order.
    let keys: [CellKey]
    /// Each key's position in ``Template/keys(_:)`` of the generation.
    let positions: [Int]
    /// Whether each key holds money (``Template/isMoney(_:)``).
    let money: [Bool]

    /// The keys of a row of generation `g`'s template.
    init(_ keys: [CellKey], generation g: Generation) {
        let all = Template.keys(g)
        self.keys = keys
        positions = keys.map { k in all.firstIndex(of: k)! }
        money = keys.map(Template.isMoney)
    }

    /// How many cells the row has.
    var count: Int { keys.count }

    /// The key of column `i`.
    subscript(i: Int) -> CellKey { keys[i] }
}

/// A row's values fitted to the number of cells the template expects.
enum RowValues {
    /// Readings of explicit cells (table cells or separate printed numbers), with extra blank
    /// padding cells at the ends removed; nil when they do not fit.
    static func cells(_ tokens: [ValueToken], width: Int) -> [ValueToken]? {
        var t = tokens
        while t.count > width, let last = t.last, TextNormalization.labelIsEmpty(last.raw) { t.removeLast() }
        while t.count > width, let first = t.first, TextNormalization.labelIsEmpty(first.raw) { t.removeFirst() }
        return t.count == width ? t : nil
    }

    /// The tokens with their readings (``ValueToken/reading`` set); nil if any is not a
    /// value. Tokens read already (table cells) are returned as they are, not copied.
    static func read(_ tokens: [ValueToken]) -> [ValueToken]? {
        var out = tokens
        for i in out.indices where out[i].reading == nil {
            guard let r = CellText.read(out[i].raw) else { return nil }
            out[i].reading = r
        }
        return out
    }
}
