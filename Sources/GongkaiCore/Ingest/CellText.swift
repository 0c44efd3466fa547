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

    /// Reads a cell's text, or nil when it is not a value (i.e. it is a label).
    static func read(_ text: String) -> Reading? {
        let n = TextNormalization.label(text)
        if n.isEmpty { return .blank }
        if naMarks.contains(n) { return .notApplicable }
        var body = Substring(n)
        var unit = Unit.none
        for (suffix, u) in [("万元", Unit.wanYuan), ("元", .yuan), ("件", .none), ("个", .none), ("条", .none), ("项", .none), ("次", .none)] where body.hasSuffix(suffix) {
            body = body.dropLast(suffix.count)
            unit = u
            break
        }
        guard let q = Quantity(body) else { return nil }
        return .number(q, unit)
    }

    /// Whether the text reads as a value (number, blank or mark).
    static func isValue(_ text: String) -> Bool { read(text) != nil }

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
