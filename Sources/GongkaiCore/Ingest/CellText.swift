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
    ///
    /// Inlined: the bytes decide most cells (``readOnBytes(_:)``), and a caller reading a
    /// text where it lies (a table cell through a pointer) then passes no copy of it (a call
    /// would retain and release the text).
    @inline(__always)
    static func read(_ text: String) -> Reading? {
        if case .some(.some(let decided)) = text.utf8.withContiguousStorageIfAvailable(readOnBytes) { return decided }
        return readNormalized(text)
    }

    /// ``read(_:)`` of a text its bytes do not decide: from its label normal form.
    static func readNormalized(_ text: String) -> Reading? {
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

    /// ``read(_:)`` of the cells its text's bytes decide (most): a plain ASCII number
    /// (``readPlainASCII(_:)``) or a label (``isLabelOnly(_:)``), looked at through one
    /// access to the bytes. The outer nil means the general path decides.
    @inline(__always)
    static func readOnBytes(_ b: UnsafeBufferPointer<UInt8>) -> Reading?? {
        if let plain = readPlainASCII(b) { return plain }
        return isLabelOnly(b) ? .some(nil) : .none
    }

    /// ``read(_:)`` of a text of printable ASCII starting with a digit (most cells: `0`,
    /// `12`, `3.5`), decided on its bytes: such a text is its own normal form, is no mark and
    /// has no unit, so it reads as the number its bytes parse to, or as no value. The outer
    /// nil means the text is of another kind and the general path decides.
    @inline(__always)
    static func readPlainASCII(_ b: UnsafeBufferPointer<UInt8>) -> Reading?? {
        guard let first = b.first, first >= 0x30 && first <= 0x39 else { return .none }
        // Only digits, at most 18 (no overflow): the number they spell, as Quantity reads it.
        var value: Int64 = 0, k = 0
        while k < b.count && k < 18 {
            let d = b[k] &- 0x30
            guard d <= 9 else { break }
            value = value &* 10 &+ Int64(d)
            k += 1
        }
        if k == b.count { return .some(.number(Quantity(mantissa: value), .none)) }
        for c in b where c >= 0x80 || c == 0x20 || (c >= 0x09 && c <= 0x0D) { return .none }
        return .some(Quantity(utf8: b).map { .number($0, .none) })
    }

    /// Whether the text, seen on its bytes, cannot be a value, so that ``read(_:)`` gives nil
    /// without making its normal form. A value's normal form is a number (ASCII: a sign,
    /// digits, `.`, `,`), maybe followed by a unit (万元, 元, 件, 个, 条, 项, 次), or a mark
    /// (``naMarks``). The text cannot be one when
    /// - its first scalar that is not a space (the normal form drops exactly the spaces)
    ///   folds to an ASCII character that starts no number and no mark (`（一）…` folds to
    ///   `(`);
    /// - or it holds a CJK ideograph (U+4E00–U+9FFF, lead byte E4–E9) other than 无 and the
    ///   unit characters. Such an ideograph has no canonical equivalent and composes with
    ///   nothing, so it stays in the normal form and in whatever is left after a unit suffix,
    ///   and it is in no number and no mark.
    ///
    /// Most label cells are decided here.
    static func isLabelOnly(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count {
            let space = TextNormalization.spaceLength(b, at: i)
            guard space > 0 else { break }
            i += space
        }
        guard i < b.count else { return false }
        if let ascii = foldedASCII(b, at: i), !mayStartValue(ascii) { return true }
        while i < b.count {
            let c = b[i]
            if c >= 0xE4 && c <= 0xE9 && i + 3 <= b.count {
                if !isValueIdeograph(b[i], b[i + 1], b[i + 2]) { return true }
                i += 3
            } else {
                i += 1
            }
        }
        return false
    }

    /// The ASCII character the scalar at `i` is in the normal form: itself when ASCII, or
    /// a full-width form's (U+FF01…U+FF5E: EF BC 81…EF BD 9E); nil for any other scalar.
    @inline(__always)
    private static func foldedASCII(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt8? {
        let c = b[i]
        if c < 0x80 { return c }
        guard c == 0xEF, i + 3 <= b.count else { return nil }
        if b[i + 1] == 0xBC && b[i + 2] >= 0x81 { return b[i + 2] - 0x81 + 0x21 }
        if b[i + 1] == 0xBD && b[i + 2] <= 0x9E { return b[i + 2] - 0x80 + 0x60 }
        return nil
    }

    /// Whether a normal form starting with this ASCII character may be a value: a number
    /// (`-`, `+`, a digit, `.`, `,`) or a mark (`/`, `-`, `\`, `N`, `n`).
    @inline(__always)
    private static func mayStartValue(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: ","),
             UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "N"), UInt8(ascii: "n"):
            return true
        default:
            return false
        }
    }

    /// Whether the ideograph encoded by these three bytes may be in a value: 无 (a mark) or
    /// a unit character (万, 元, 件, 个, 条, 项, 次).
    @inline(__always)
    private static func isValueIdeograph(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        let code = UInt32(b0) << 16 | UInt32(b1) << 8 | UInt32(b2)
        return valueIdeographs.contains(code)
    }

    /// The UTF-8 of 无, 万, 元, 件, 个, 条, 项, 次, each as one number (bytes in order).
    private static let valueIdeographs: [UInt32] = ["无", "万", "元", "件", "个", "条", "项", "次"].map { s in
        s.utf8.reduce(0) { $0 << 8 | UInt32($1) }
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
