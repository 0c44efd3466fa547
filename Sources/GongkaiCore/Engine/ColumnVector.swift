/// A typed column: one contiguous Swift array of the column's type plus an optional
/// validity bitmap. This is what every engine kernel loops over.
///
/// Null slots hold a placeholder (0, 0.0, "", false) that kernels never interpret.
public struct ColumnVector: Sendable {
    /// The typed values.
    public enum Storage: Sendable {
        /// Integers.
        case integer([Int64])
        /// Exact decimals.
        case decimal([Quantity])
        /// Texts (plain or dictionary-coded).
        case text(TextColumn)
        /// Truth values.
        case bool([Bool])
    }

    /// The values.
    public var storage: Storage
    /// Which rows are present; nil when none is null.
    public var validity: ValidityBitmap?

    /// For a coded text column, its rows as codes into distinct values (columns loaded from
    /// a workspace are coded); kernels use it to work once per distinct value.
    public var dictionary: DictionaryCodes? {
        if case .text(let t) = storage { return t.codes }
        return nil
    }

    /// Creates a column from storage and validity.
    public init(_ storage: Storage, validity: ValidityBitmap? = nil) {
        self.storage = storage
        self.validity = validity
    }

    /// A text column from codes into a dictionary (-1: null).
    public init(codes: DictionaryCodes) {
        var flags: ValidityBitmap? = nil
        if codes.codes.contains(-1) {
            var v = ValidityBitmap(count: codes.codes.count, allValid: true)
            for (i, c) in codes.codes.enumerated() where c < 0 { v[i] = false }
            flags = v
        }
        self.init(.text(TextColumn(codes: codes)), validity: flags)
    }

    /// A plain text column from strings.
    public init(texts: [String], validity: ValidityBitmap? = nil) {
        self.init(.text(TextColumn(texts)), validity: validity)
    }

    /// The same text column dictionary-coded (coded here when it is not), so later kernels
    /// can use the codes; other columns are returned as they are.
    public func dictionaryEncoded() -> ColumnVector {
        guard case .text(let t) = storage, t.codes == nil else { return self }
        return ColumnVector(.text(TextColumn(codes: TextDictionary.encode(Array(t), validity: validity))), validity: validity)
    }

    /// The column type.
    public var type: DataType {
        switch storage {
        case .integer: .integer
        case .decimal: .decimal
        case .text: .text
        case .bool: .bool
        }
    }

    /// The number of rows.
    public var count: Int {
        switch storage {
        case .integer(let a): a.count
        case .decimal(let a): a.count
        case .text(let a): a.count
        case .bool(let a): a.count
        }
    }

    /// Whether row `i` is null.
    @inline(__always)
    public func isNull(_ i: Int) -> Bool { validity.map { !$0[i] } ?? false }

    /// Row `i` as a ``Value`` (for results and tests, not for kernels).
    public subscript(i: Int) -> Value {
        if isNull(i) { return .null }
        switch storage {
        case .integer(let a): return .integer(a[i])
        case .decimal(let a): return .decimal(a[i])
        case .text(let a): return .text(a[i])
        case .bool(let a): return .bool(a[i])
        }
    }

    /// All rows as values.
    public var values: [Value] { (0..<count).map { self[$0] } }

    /// Builds a column of `type` from values; integers widen into decimal columns.
    public init(type: DataType, values: [Value]) throws {
        var flags = [Bool](repeating: true, count: values.count)
        func bad(_ v: Value) -> QueryError { QueryError(.type, "value \(v.literalText) does not fit a \(type) column") }
        switch type {
        case .integer:
            var a = [Int64](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() {
                switch v { case .null: flags[i] = false; case .integer(let x): a[i] = x; default: throw bad(v) }
            }
            storage = .integer(a)
        case .decimal:
            var a = [Quantity](repeating: .zero, count: values.count)
            for (i, v) in values.enumerated() {
                switch v { case .null: flags[i] = false; case .integer(let x): a[i] = Quantity(mantissa: x); case .decimal(let q): a[i] = q; default: throw bad(v) }
            }
            storage = .decimal(a)
        case .text:
            var a = [String](repeating: "", count: values.count)
            for (i, v) in values.enumerated() {
                switch v { case .null: flags[i] = false; case .text(let x): a[i] = x; default: throw bad(v) }
            }
            storage = .text(TextColumn(a))
        case .bool:
            var a = [Bool](repeating: false, count: values.count)
            for (i, v) in values.enumerated() {
                switch v { case .null: flags[i] = false; case .bool(let x): a[i] = x; default: throw bad(v) }
            }
            storage = .bool(a)
        }
        validity = ValidityBitmap(flags).simplified
    }

    /// `count` copies of one value (null allowed) as a column of `type`.
    public static func constant(_ value: Value, type: DataType, count: Int) throws -> ColumnVector {
        if value.isNull { return nulls(type: type, count: count) }
        switch ScalarOps.coerce(value, to: type) {
        case .integer(let x) where type == .integer: return ColumnVector(.integer([Int64](repeating: x, count: count)))
        case .decimal(let x) where type == .decimal: return ColumnVector(.decimal([Quantity](repeating: x, count: count)))
        case .text(let x) where type == .text: return ColumnVector(texts: [String](repeating: x, count: count))
        case .bool(let x) where type == .bool: return ColumnVector(.bool([Bool](repeating: x, count: count)))
        default: throw QueryError(.type, "value \(value.literalText) does not fit a \(type) column")
        }
    }

    /// An all-null column.
    public static func nulls(type: DataType, count: Int) -> ColumnVector {
        let v = ValidityBitmap(count: count, allValid: false)
        switch type {
        case .integer: return ColumnVector(.integer([Int64](repeating: 0, count: count)), validity: v)
        case .decimal: return ColumnVector(.decimal([Quantity](repeating: .zero, count: count)), validity: v)
        case .text: return ColumnVector(texts: [String](repeating: "", count: count), validity: v)
        case .bool: return ColumnVector(.bool([Bool](repeating: false, count: count)), validity: v)
        }
    }

    /// The rows at `indices`, in that order; index -1 produces a null row (outer joins).
    public func gather(_ indices: [Int]) -> ColumnVector {
        let missing = indices.contains { $0 < 0 }
        var flags: ValidityBitmap? = nil
        if let v = validity {
            flags = indices.withUnsafeBufferPointer { ix in ValidityBitmap(count: ix.count) { ix[$0] >= 0 && v[ix[$0]] } }.simplified
        } else if missing {
            flags = indices.withUnsafeBufferPointer { ix in ValidityBitmap(count: ix.count) { ix[$0] >= 0 } }
        }
        let s: Storage
        switch storage {
        case .integer(let a): s = .integer(Self.pick(a, indices, missing, 0))
        case .decimal(let a): s = .decimal(Self.pick(a, indices, missing, .zero))
        case .text(let a): s = .text(a.gathered(indices, missing: missing))
        case .bool(let a): s = .bool(Self.pick(a, indices, missing, false))
        }
        return ColumnVector(s, validity: flags)
    }

    /// `a` at `indices` (-1: `placeholder`, only looked for when `missing`), in one unchecked
    /// loop: the indices come from the engine's own filters and joins, all within `a`.
    @inline(__always)
    static func pick<T>(_ a: [T], _ indices: [Int], _ missing: Bool, _ placeholder: T) -> [T] {
        a.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { ix in
                [T](unsafeUninitializedCapacity: ix.count) { out, made in
                    if missing {
                        for k in 0..<ix.count { (out.baseAddress! + k).initialize(to: ix[k] >= 0 ? src[ix[k]] : placeholder) }
                    } else {
                        for k in 0..<ix.count { (out.baseAddress! + k).initialize(to: src[ix[k]]) }
                    }
                    made = ix.count
                }
            }
        }
    }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> ColumnVector {
        let s: Storage
        switch storage {
        case .integer(let a): s = .integer(Array(a[range]))
        case .decimal(let a): s = .decimal(Array(a[range]))
        case .text(let a): s = .text(a.sliced(range))
        case .bool(let a): s = .bool(Array(a[range]))
        }
        let v = validity.flatMap { $0.slice(range).simplified }
        return ColumnVector(s, validity: v)
    }

    /// The columns one after another (all of the same type).
    public static func concatenate(_ parts: [ColumnVector], type: DataType) throws -> ColumnVector {
        if parts.count == 1 { return parts[0] }
        var ints: [Int64] = [], decs: [Quantity] = [], texts: [TextColumn] = [], bools: [Bool] = []
        var flags: [Bool] = []
        let anyNull = parts.contains { $0.validity != nil }
        for p in parts {
            guard p.type == type else { throw QueryError(.type, "cannot concatenate a \(p.type) column to a \(type) column") }
            switch p.storage {
            case .integer(let a): ints += a
            case .decimal(let a): decs += a
            case .text(let a): texts.append(a)
            case .bool(let a): bools += a
            }
            if anyNull { flags += (0..<p.count).map { !p.isNull($0) } }
        }
        let s: Storage
        switch type {
        case .integer: s = .integer(ints)
        case .decimal: s = .decimal(decs)
        case .text: s = .text(TextColumn.concatenated(texts))
        case .bool: s = .bool(bools)
        }
        return ColumnVector(s, validity: anyNull ? ValidityBitmap(flags).simplified : nil)
    }

    /// The column converted to `type`: integers widen to decimals, all-null columns take any type.
    func cast(to target: DataType) throws -> ColumnVector {
        if target == type { return self }
        if case .integer(let a) = storage, target == .decimal {
            return ColumnVector(.decimal(a.map { Quantity(mantissa: $0) }), validity: validity)
        }
        if let v = validity, v.nullCount == count { return ColumnVector.nulls(type: target, count: count) }
        if count == 0 { return ColumnVector.nulls(type: target, count: 0) }
        throw QueryError(.type, "cannot convert a \(type) column to \(target)")
    }
}
