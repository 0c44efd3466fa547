import Foundation

/// The distinct values of a text column, shared by every slice and copy of it.
///
/// Report tables repeat a handful of texts millions of times (31 provinces, 7 applicant
/// types, a few thousand agencies). A column loaded from the workspace keeps, beside its
/// strings, a code per row into one of these, so kernels can work on the distinct values
/// once — `applicant == "total"` compares 7 strings, not 700,000 — and group or sort by
/// integer codes. Identity (`===`) tells whether two columns' codes are comparable.
public final class TextDictionary: @unchecked Sendable {
    /// The distinct values; a code is an index into this array.
    public let values: [String]
    private let lock = NSLock()
    private var cachedRanks: [Int32]?

    /// The rank of each value in binary order (equal strings share a rank), computed once
    /// per dictionary for sorting by code.
    var ranks: [Int32] {
        lock.lock()
        defer { lock.unlock() }
        if let r = cachedRanks { return r }
        let order = values.indices.sorted { ScalarOps.textCompare(values[$0], values[$1]) < 0 }
        var rank = [Int32](repeating: 0, count: values.count)
        var r: Int32 = 0
        for (k, i) in order.enumerated() {
            if k > 0 && ScalarOps.textCompare(values[order[k - 1]], values[i]) != 0 { r += 1 }
            rank[i] = r
        }
        cachedRanks = rank
        return rank
    }

    /// Creates a dictionary of distinct values.
    public init(_ values: [String]) { self.values = values }

    /// Keyed by the key's UTF-8 bytes: Swift's `String` equality would merge canonically
    /// equivalent constants (`aé` and `ae\u{301}`), which the engine keeps apart.
    private var tables: [[UInt8]: [Bool]] = [:]

    /// `f` of every value, computed once per dictionary and `key` (the predicate and its
    /// constant, e.g. `contains\u{0}统计局`): every chunk of a column, and every later query
    /// in the session, reuses it. At most 256 tables are kept.
    ///
    /// Read it at `code + 1`: entry 0 is false and stands for null rows (code -1), so a row's
    /// entry is one load with no test for null.
    func table(_ key: String, _ f: (String) -> Bool) -> [Bool] {
        let bytes = Array(key.utf8)
        lock.lock()
        if let t = tables[bytes] { lock.unlock(); return t }
        lock.unlock()
        let t = [false] + values.map(f)
        lock.lock()
        if tables.count >= 256 { tables = [:] }
        tables[bytes] = t
        lock.unlock()
        return t
    }

    /// Encodes strings (rows the validity marks null get -1) as a dictionary in
    /// first-appearance order plus codes.
    static func encode(_ strings: [String], validity: ValidityBitmap?) -> DictionaryCodes {
        var builder = TextDictionaryBuilder()
        var codes = [Int32](repeating: -1, count: strings.count)
        for i in strings.indices where validity.map({ $0[i] }) ?? true { codes[i] = builder.code(for: strings[i]) }
        return DictionaryCodes(dictionary: builder.dictionary, codes: codes)
    }
}

/// Collects distinct texts in first-appearance order and hands out their codes. Texts are
/// told apart by their bytes, as grouping compares text (`aé` and `ae\u{301}` get two codes).
struct TextDictionaryBuilder {
    private var index: [BinaryText: Int32] = [:]
    private var values: [String] = []

    /// The code of `s`, added when it is new.
    mutating func code(for s: String) -> Int32 {
        if let c = index[BinaryText(string: s)] { return c }
        let c = Int32(values.count)
        index[BinaryText(string: s)] = c
        values.append(s)
        return c
    }

    /// The texts collected so far.
    var dictionary: TextDictionary { TextDictionary(values) }
}

/// A text column's rows as codes into a ``TextDictionary``; -1 marks a null row.
public struct DictionaryCodes: Sendable {
    /// The distinct values.
    public var dictionary: TextDictionary
    /// One code per row.
    public var codes: [Int32]

    /// Creates codes over a dictionary.
    public init(dictionary: TextDictionary, codes: [Int32]) {
        self.dictionary = dictionary
        self.codes = codes
    }

    /// A per-distinct-value table (see ``TextDictionary/table(_:_:)``, entry 0 for null) read
    /// per row; null rows get false (the kernels mark them null).
    func perRow(_ table: [Bool]) -> [Bool] {
        codes.map { table[Int($0) + 1] }
    }
}

/// A text column's values: plain strings, or codes into a shared ``TextDictionary``.
///
/// Columns loaded from a workspace are coded, and stay coded through filters, slices,
/// gathers and concatenations of the same dictionary, so no per-row string is copied until a
/// result is rendered. Either way it reads like an array of strings (nulls read as "").
public struct TextColumn: RandomAccessCollection, Sendable {
    enum Representation: Sendable {
        case plain([String])
        case coded(DictionaryCodes)
    }

    var representation: Representation

    /// Plain strings.
    public init(_ strings: [String]) { representation = .plain(strings) }

    /// Codes into a dictionary (-1: null).
    public init(codes: DictionaryCodes) { representation = .coded(codes) }

    /// The codes, when the column is coded.
    public var codes: DictionaryCodes? {
        if case .coded(let c) = representation { return c }
        return nil
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch representation {
        case .plain(let a): a.count
        case .coded(let c): c.codes.count
        }
    }

    public subscript(i: Int) -> String {
        switch representation {
        case .plain(let a): return a[i]
        case .coded(let c):
            let k = c.codes[i]
            return k >= 0 ? c.dictionary.values[Int(k)] : ""
        }
    }

    /// The rows at `indices` (-1: a null row, read as ""); `missing` tells whether any is -1.
    func gathered(_ indices: [Int], missing: Bool) -> TextColumn {
        switch representation {
        case .plain(let a): return TextColumn(indices.map { $0 >= 0 ? a[$0] : "" })
        case .coded(let c):
            return TextColumn(codes: DictionaryCodes(dictionary: c.dictionary, codes: ColumnVector.pick(c.codes, indices, missing, -1)))
        }
    }

    /// Rows `range`.
    func sliced(_ range: Range<Int>) -> TextColumn {
        switch representation {
        case .plain(let a): return TextColumn(Array(a[range]))
        case .coded(let c): return TextColumn(codes: DictionaryCodes(dictionary: c.dictionary, codes: Array(c.codes[range])))
        }
    }

    /// The parts one after another: still coded when all share one dictionary.
    static func concatenated(_ parts: [TextColumn]) -> TextColumn {
        if let d = parts.first?.codes?.dictionary, parts.allSatisfy({ $0.codes?.dictionary === d }) {
            return TextColumn(codes: DictionaryCodes(dictionary: d, codes: parts.flatMap { $0.codes!.codes }))
        }
        return TextColumn(parts.flatMap { Array($0) })
    }
}
