/// How a printed value is read: a number (with its unit), a blank, or a not-applicable mark.
enum CellText {
    /// The unit a number was printed with.
    enum Unit: Equatable, Sendable {
        case none, yuan, wanYuan
    }

    /// What a cell's text holds.
    enum Reading: Equatable, Sendable {
        case blank
        case notApplicable
        case number(Quantity, Unit)
    }

    /// Not-applicable marks as real reports print them (after label normalisation).
    static let naMarks: Set<String> = ["/", "-", "--", "---", "----", "无", "\\", "NA", "N/A", "n/a", "×", "—", "——", "//"]

    /// The longest mark in bytes: longer text is no mark, without hashing it.
    static let naMarkMaxBytes = naMarks.map(\.utf8.count).max() ?? 0

    /// Reads a cell's text, or nil when it is not a value (i.e. it is a label).
    static func read(_ text: String) -> Reading? {
        if let plain = readPlainASCII(text) { return plain }
        if startsWithIdeographOtherThanWu(text) { return nil }
        let n = TextNormalization.label(text)
        guard let first = n.utf8.first, let lastByte = n.utf8.last else { return .blank }
        // No mark starts with a digit (checked first: most cells are numbers).
        if !(first >= 0x30 && first <= 0x39), n.utf8.count <= naMarkMaxBytes, naMarks.contains(n) { return .notApplicable }
        var body = Substring(n)
        var unit = Unit.none
        // Units are not ASCII: a text ending in an ASCII byte ends in no unit.
        if lastByte >= 0x80, let last = n.unicodeScalars.last, mayEndInUnit(last) {
            // `body` is still all of `n` here: its suffix is decided on bytes where they can.
            for (suffix, u) in [("万元", Unit.wanYuan), ("元", .yuan), ("件", .none), ("个", .none), ("条", .none), ("项", .none), ("次", .none)] where TextNormalization.hasSuffix(n, suffix) {
                body = body.dropLast(suffix.count)
                unit = u
                break
            }
        }
        guard let q = Quantity(body) else { return nil }
        return .number(q, unit)
    }

    /// ``read(_:)`` of a text of printable ASCII starting with a digit (most cells: `0`,
    /// `12`, `3.5`), decided on its bytes: such a text is its own normal form, is no mark and
    /// has no unit, so it reads as the number its bytes parse to, or as no value. The outer
    /// nil means the text is of another kind and the general path decides.
    @inline(__always)
    static func readPlainASCII(_ text: String) -> Reading?? {
        text.utf8.withContiguousStorageIfAvailable { b -> Reading?? in
            guard let first = b.first, first >= 0x30 && first <= 0x39 else { return .none }
            for c in b where c >= 0x80 || c == 0x20 || (c >= 0x09 && c <= 0x0D) { return .none }
            return .some(Quantity(utf8: b).map { .number($0, .none) })
        } ?? .none
    }

    /// Whether the text starts with a CJK ideograph (U+4E00–U+9FFF, lead byte E4–E9) other
    /// than 无 (E6 97 A0). Its normal form starts with that ideograph too, so it is no mark
    /// (the only ideograph mark is 无 alone) and no number (what is left after a unit suffix
    /// still starts with it, or is empty): ``read(_:)`` gives nil, as for any label.
    @inline(__always)
    static func startsWithIdeographOtherThanWu(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { b in
            guard b.count >= 3, b[0] >= 0xE4 && b[0] <= 0xE9 else { return false }
            return !(b[0] == 0xE6 && b[1] == 0x97 && b[2] == 0xA0)
        } ?? false
    }

    /// Whether a text whose last scalar is `s` may end in one of the units `read` strips.
    ///
    /// The suffix test compares characters, so a last character matches a unit only when it
    /// is that unit's scalar or a scalar canonically equivalent to it (U+2F8EF is 次); a text
    /// ending in any other scalar cannot match, and skips the seven character comparisons.
    @inline(__always)
    static func mayEndInUnit(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "元", "件", "个", "条", "项", "次", "\u{2F8EF}": return true
        default: return false
        }
    }


    /// The cell value for a key: money becomes 万元, blanks and marks stay what they are.
    static func value(_ reading: Reading, money: Bool) -> CellValue {
        switch reading {
        case .blank: return .blank
        case .notApplicable: return .notApplicable
        case .number(let q, let unit):
            if money && unit == .yuan { return .number(q.shifted(by: 4)) }
            return .number(q.normalized)
        }
    }
}
