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
        /// Where the row's values are in the atom stream's tokens (``Rows/tokens``): indices,
        /// not a slice, so that a row is plain data (copying a slice retains the tokens).
        var values: Range<Int>
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

    /// The document's atom stream.
    let stream: AtomStream
    let source: String

    /// The stream's atoms.
    var atoms: [Atom] { stream.atoms }

    /// Atom index ranges of the three regions.
    struct Regions {
        var proactive: Range<Int>
        var applications: Range<Int>
        var reviews: Range<Int>
    }

    func regions() throws(IngestError) -> Regions {
        let all = 0..<atoms.count
        guard let apps = stream.firstAtom(in: all, containing: Needles.applications) else {
            throw IngestError(.notAReport, "\(source): not an annual disclosure report: no section 三 table (收到和处理政府信息公开申请情况) found")
        }
        let pro = stream.firstAtom(in: 0..<apps, containing: Needles.article20) ?? stream.firstAtom(in: 0..<apps, containing: Needles.content) ?? apps
        // Section 四 starts at the first mention of 复议 after the applications table.
        let afterApps = stream.firstAtom(in: apps..<atoms.count, containing: Needles.carriedForward) ?? apps
        let rev = stream.firstAtom(in: afterApps..<atoms.count, containing: Needles.review) ?? atoms.count
        var revEnd = atoms.count
        // Section 四's table ends at the first text after its values that names what follows
        // it, or that is long (narrative).
        if rev < atoms.count, let values = ((rev + 1)..<atoms.count).first(where: { atoms[$0].kind == .values }) {
            let after = (values + 1)..<atoms.count
            revEnd = stream.firstAtom(in: after, containing: Needles.reviewEnd) ?? atoms.count
            if let long = (after.lowerBound..<revEnd).first(where: { atoms[$0].kind == .text && stream.hasLongLabel($0) }) { revEnd = long }
        }
        return Regions(proactive: pro..<apps, applications: apps..<rev, reviews: rev..<revEnd)
    }

    /// Words that mark where a region starts or ends, as UTF-8 bytes.
    struct Needles {
        /// The words' UTF-8 bytes.
        let words: [[UInt8]]
        /// Needles for `words` (made once each, as the static needles below).
        init(_ words: [String]) { self.words = words.map { Array($0.utf8) } }

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
        /// The label normal forms of the document's text atoms (``AtomStream/labels``): a label
        /// of several atoms is a range of them, not a string made by joining.
        var labels: [UInt8] = []
        /// The atom stream's tokens (``AtomStream/tokens``), which rows' values index.
        var tokens: [ValueToken] = []
        /// Where the text of sections 二 and 三 is in ``labels`` (what tells the generation).
        var generationText: Range<Int> = 0..<0
        /// Section 二's rows, in order.
        var proactive: [Row] = []
        /// Section 三's rows, in order.
        var applications: [Row] = []
        /// Section 四's rows, in order.
        var reviews: [Row] = []
    }

    /// The rows of each region: each group of values with the label text printed since the
    /// previous group (in its region).
    func rows(_ r: Regions) -> Rows {
        var out = Rows()
        out.generationText = stream.labelRange(of: r.proactive.lowerBound..<r.reviews.lowerBound)
        stream.labels.withUnsafeBufferPointer { bytes in
            for (k, region) in [r.proactive, r.applications, r.reviews].enumerated() {
                // The region's rows are counted first: no array grows.
                var count = 0
                for i in region where atoms[i].kind == .values { count += 1 }
                var rows: [Row] = []
                rows.reserveCapacity(count)
                var labelStart = stream.labelStart(region.lowerBound)
                for i in region where atoms[i].kind == .values {
                    // Narrative before the table ends with a full stop; labels never contain one.
                    // (The normal form keeps `。`, so the label is cut at its last one.)
                    let label = Self.afterLastFullStop(in: UnsafeBufferPointer(rebasing: bytes[labelStart..<stream.labelStart(i)]))
                    // Fields are read in place: copying the atom would retain all of them.
                    rows.append(Row(label: labelStart + label.lowerBound..<labelStart + label.upperBound, values: atoms[i].values, grid: atoms[i].gridCells, span: atoms[i].span))
                    labelStart = stream.labelStart(i + 1)
                }
                switch k {
                case 0: out.proactive = rows
                case 1: out.applications = rows
                default: out.reviews = rows
                }
            }
        }
        out.labels = stream.labels
        out.tokens = stream.tokens
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
        rows.labels.withUnsafeBufferPointer { RowLabels.generation(bytes: UnsafeBufferPointer(rebasing: $0[rows.generationText])) }
    }

    func match(narrativeNumbers: Set<Int>) throws(IngestError) -> Output {
        let r = try regions()
        var regionRows = rows(r)
        let g = generation(regionRows)
        let keys = Template.keys(g)
        var out = Output(generation: g, foundIndex: [Int](repeating: -1, count: keys.count), uncertain: [], notes: [])
        out.found.reserveCapacity(keys.count)
        ProactiveMatcher(generation: g, narrativeNumbers: narrativeNumbers).match(regionRows.proactive, labels: regionRows.labels, tokens: regionRows.tokens, into: &out)
        // Taken out of `regionRows`, so that the matcher owns (and filters in place) the only copy.
        let applications = regionRows.applications
        regionRows.applications = []
        ApplicationsMatcher(generation: g).match(applications, labels: regionRows.labels, tokens: regionRows.tokens, into: &out)
        ReviewsMatcher().match(regionRows.reviews, tokens: regionRows.tokens, into: &out)
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
    mutating func store(_ keys: RowKeys, _ cells: ArraySlice<ValueToken>, at place: SourceSpan? = nil) {
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
///
/// A class: the keys are shared, never changed, and handed to every row stored, so a copy
/// retains one object rather than its three arrays.
final class RowKeys: Sendable {
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
///
/// Tokens are looked at where they lie, through a pointer: a slice's subscript (or `first`,
/// `last`) copies the whole token, retaining and releasing its text, and copying the slice
/// retains the token array.
enum RowValues {
    /// Readings of explicit cells (table cells or separate printed numbers), with extra blank
    /// padding cells at the ends removed; nil when they do not fit.
    static func cells(_ tokens: ArraySlice<ValueToken>, width: Int) -> ArraySlice<ValueToken>? {
        keptRange(tokens, width: width).map { tokens[$0] }
    }

    /// The indices of `tokens` that ``cells(_:width:)`` keeps: blank padding tokens are
    /// dropped from the end, then from the start, while there are more than `width`; nil
    /// when `width` tokens do not remain.
    static func keptRange(_ tokens: ArraySlice<ValueToken>, width: Int) -> Range<Int>? {
        if tokens.count == width { return tokens.indices }
        guard tokens.count > width else { return nil }
        return tokens.withUnsafeBufferPointer { b in
            var lo = 0, hi = b.count
            while hi - lo > width, TextNormalization.labelIsEmpty(b[hi - 1].raw) { hi -= 1 }
            while hi - lo > width, TextNormalization.labelIsEmpty(b[lo].raw) { lo += 1 }
            return hi - lo == width ? (tokens.startIndex + lo)..<(tokens.startIndex + hi) : nil
        }
    }

    /// The tokens with their readings (``ValueToken/reading`` set); nil if any is not a
    /// value. Tokens read already (table cells) are returned as they are, not copied.
    static func read(_ tokens: ArraySlice<ValueToken>) -> ArraySlice<ValueToken>? {
        guard let first = firstUnread(tokens) else { return tokens }
        var out = tokens
        for i in first..<out.endIndex where out[i].reading == nil {
            guard let r = CellText.read(out[i].raw) else { return nil }
            out[i].reading = r
        }
        return out
    }

    /// The index of the first token not read yet (``ValueToken/reading`` nil), if any.
    static func firstUnread(_ tokens: ArraySlice<ValueToken>) -> Int? {
        tokens.withUnsafeBufferPointer { b in
            for i in 0..<b.count where b[i].reading == nil { return tokens.startIndex + i }
            return nil
        }
    }
}

/// The stream's label buffer as the template matcher reads it: the regions' anchor words are
/// searched in ``AtomStream/labels`` word by word (not atom by atom and word by word), and a
/// row's label is a range of it (no bytes copied per region).
extension AtomStream {
    /// Where atom `i`'s normal form starts in ``labels`` (a values atom's is empty); for
    /// `i` = the number of atoms, the end of the bytes (which closes the last atom).
    @inline(__always)
    func labelStart(_ i: Int) -> Int { i < atoms.count ? atoms[i].label.lowerBound : labels.count }

    /// The byte range of atoms `atoms` (their normal forms, one after another).
    func labelRange(of atoms: Range<Int>) -> Range<Int> { labelStart(atoms.lowerBound)..<labelStart(atoms.upperBound) }

    /// The atom whose normal form holds byte `offset`.
    func atom(atLabelByte offset: Int) -> Int {
        // The last atom starting at or before the offset (values atoms before it are empty).
        var lo = 0, hi = atoms.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if labelStart(mid) <= offset { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The first atom in `atoms` whose normal form contains one of the words.
    func firstAtom(in atoms: Range<Int>, containing needles: TemplateMatcher.Needles) -> Int? {
        guard !atoms.isEmpty else { return nil }
        var best: Int? = nil
        labels.withUnsafeBufferPointer { buffer in
            for word in needles.words {
                word.withUnsafeBufferPointer { word in
                    // Only an occurrence inside one atom counts, and only before the best so far.
                    var from = labelStart(atoms.lowerBound)
                    let end = labelStart(best ?? atoms.upperBound)
                    while from < end, let k = ByteSearch.firstOffset(of: word, in: UnsafeBufferPointer(rebasing: buffer[from..<end])) {
                        let at = from + k, i = atom(atLabelByte: at)
                        if at + word.count <= labelStart(i + 1) {
                            best = i
                            break
                        }
                        from = at + 1
                    }
                }
            }
        }
        return best
    }

    /// Whether atom `i`'s normal form is longer than 80 characters.
    func hasLongLabel(_ i: Int) -> Bool {
        let r = labelStart(i)..<labelStart(i + 1)
        guard r.count > 80 else { return false }
        // Labels are valid UTF-8: a scalar is a byte that does not continue one.
        var scalars = 0
        for k in r where labels[k] & 0xC0 != 0x80 { scalars += 1 }
        return scalars > 80
    }
}
