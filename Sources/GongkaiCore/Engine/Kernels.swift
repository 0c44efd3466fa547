/// Collects the null rows a kernel produces, allocating a bitmap only on the first null.
struct NullTracker {
    private(set) var bits: ValidityBitmap?
    let count: Int

    init(_ initial: ValidityBitmap?, count: Int) {
        bits = initial
        self.count = count
    }

    @inline(__always)
    func isValid(_ i: Int) -> Bool { bits.map { $0[i] } ?? true }

    @inline(__always)
    mutating func setValid(_ i: Int) { bits?[i] = true }

    @inline(__always)
    mutating func setNull(_ i: Int) {
        if bits == nil { bits = ValidityBitmap(count: count, allValid: true) }
        bits?[i] = false
    }
}

extension BinaryOperator {
    /// The comparison with its operands swapped: `a < b` is `b > a`.
    var flipped: BinaryOperator {
        switch self {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: self
        }
    }
}

/// Column-at-a-time kernels: each loops over typed arrays, skipping null slots.
enum Kernels {
    /// Applies `f` to the non-null pairs; `f` returning nil makes that row null.
    @inline(__always)
    static func zipMap<CA: RandomAccessCollection, CB: RandomAccessCollection, R>(
        _ a: CA, _ b: CB, _ valid: ValidityBitmap?, _ placeholder: R, _ f: (CA.Element, CB.Element) throws -> R?
    ) rethrows -> ([R], ValidityBitmap?) where CA.Index == Int, CB.Index == Int {
        let n = a.count
        var out = [R](repeating: placeholder, count: n)
        var nulls = NullTracker(valid, count: n)
        for i in 0..<n where nulls.isValid(i) {
            if let r = try f(a[i], b[i]) { out[i] = r } else { nulls.setNull(i) }
        }
        return (out, nulls.bits)
    }

    /// Applies `f` to the non-null values; nil makes the row null.
    @inline(__always)
    static func map<C: RandomAccessCollection, R>(_ a: C, _ valid: ValidityBitmap?, _ placeholder: R,
                                                 _ f: (C.Element) throws -> R?) rethrows -> ([R], ValidityBitmap?) where C.Index == Int {
        let n = a.count
        var out = [R](repeating: placeholder, count: n)
        var nulls = NullTracker(valid, count: n)
        for i in 0..<n where nulls.isValid(i) {
            if let r = try f(a[i]) { out[i] = r } else { nulls.setNull(i) }
        }
        return (out, nulls.bits)
    }

    static func negate(_ x: ColumnVector) throws -> ColumnVector {
        switch x.storage {
        case .integer(let a):
            let (r, v) = try map(a, x.validity, Int64(0)) { try ScalarOps.negate($0) }
            return ColumnVector(.integer(r), validity: v)
        case .decimal(let a):
            let (r, v) = try map(a, x.validity, Quantity.zero) { try $0.negated() }
            return ColumnVector(.decimal(r), validity: v)
        default:
            throw QueryError(.type, "cannot negate a \(x.type) column")
        }
    }

    static func not(_ x: ColumnVector) -> ColumnVector {
        guard case .bool(let a) = x.storage else { return x }
        return ColumnVector(.bool(a.map { !$0 }), validity: x.validity)
    }

    static func arithmetic(_ op: BinaryOperator, _ x: ColumnVector, _ y: ColumnVector) throws -> ColumnVector {
        let valid = ValidityBitmap.and(x.validity, y.validity)
        switch (x.storage, y.storage) {
        case (.integer(let a), .integer(let b)):
            let r: ([Int64], ValidityBitmap?)
            switch op {
            case .add: r = try zipMap(a, b, valid, 0) { try ScalarOps.add($0, $1) }
            case .subtract: r = try zipMap(a, b, valid, 0) { try ScalarOps.subtract($0, $1) }
            case .multiply: r = try zipMap(a, b, valid, 0) { try ScalarOps.multiply($0, $1) }
            case .integerDivide: r = try zipMap(a, b, valid, 0) { try ScalarOps.integerDivide($0, $1) }
            case .remainder: r = zipMap(a, b, valid, 0) { ScalarOps.remainder($0, $1) }
            default: throw QueryError(.type, "\(op.rawValue) is not an integer operation")
            }
            return ColumnVector(.integer(r.0), validity: r.1)
        case (.decimal(let a), .decimal(let b)):
            let r: ([Quantity], ValidityBitmap?)
            switch op {
            case .add: r = try zipMap(a, b, valid, .zero) { try $0.adding($1) }
            case .subtract: r = try zipMap(a, b, valid, .zero) { try $0.subtracting($1) }
            case .multiply: r = try zipMap(a, b, valid, .zero) { try $0.multiplied(by: $1) }
            case .divide: r = try zipMap(a, b, valid, .zero) { try $0.divided(by: $1) }
            default: throw QueryError(.type, "\(op.rawValue) needs integers")
            }
            return ColumnVector(.decimal(r.0), validity: r.1)
        default:
            throw QueryError(.type, "cannot apply \(op.rawValue) to \(x.type) and \(y.type)")
        }
    }

    @inline(__always)
    static func holds(_ op: BinaryOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessEqual: c <= 0
        case .greater: c > 0
        default: c >= 0
        }
    }

    static func compare(_ op: BinaryOperator, _ x: ColumnVector, _ y: ColumnVector) -> ColumnVector {
        let valid = ValidityBitmap.and(x.validity, y.validity)
        let r: ([Bool], ValidityBitmap?)
        switch (x.storage, y.storage) {
        case (.integer(let a), .integer(let b)):
            r = zipMap(a, b, valid, false) { holds(op, $0 < $1 ? -1 : ($0 == $1 ? 0 : 1)) }
        case (.decimal(let a), .decimal(let b)):
            r = zipMap(a, b, valid, false) { holds(op, Quantity.compare($0, $1)) }
        case (.text(let a), .text(let b)):
            if op == .equal || op == .notEqual {
                r = zipMap(a, b, valid, false) { ScalarOps.textEqual($0, $1) == (op == .equal) }
            } else {
                r = zipMap(a, b, valid, false) { holds(op, ScalarOps.textCompare($0, $1)) }
            }
        case (.bool(let a), .bool(let b)):
            r = zipMap(a, b, valid, false) { holds(op, $0 == $1 ? 0 : (!$0 ? -1 : 1)) }
        default:
            return ColumnVector.nulls(type: .bool, count: x.count)
        }
        return ColumnVector(.bool(r.0), validity: r.1)
    }

    /// `x op constant` for a text column with dictionary codes: one comparison per distinct value.
    static func compare(_ op: BinaryOperator, _ x: ColumnVector, constant: String) -> ColumnVector {
        let d = x.dictionary!
        return ColumnVector(.bool(d.perRow(compareTable(op, d.dictionary, constant: constant))), validity: x.validity)
    }

    /// `x [not] in [constants]` for a text column with dictionary codes.
    static func inList(_ x: ColumnVector, constants: [String], negated: Bool) -> ColumnVector {
        let d = x.dictionary!
        return ColumnVector(.bool(d.perRow(inListTable(d.dictionary, constants: constants, negated: negated))), validity: x.validity)
    }

    /// `contains` / `starts_with` / `ends_with` of a text column with dictionary codes and a constant.
    static func textPredicate(_ f: ScalarFunction, _ x: ColumnVector, constant p: String) -> ColumnVector {
        let d = x.dictionary!
        return ColumnVector(.bool(d.perRow(textPredicateTable(f, d.dictionary, constant: p))), validity: x.validity)
    }

    /// `value op constant` for each distinct value of a dictionary (memoised by the dictionary;
    /// laid out as ``TextDictionary/table(_:_:)`` says, entry 0 for null).
    static func compareTable(_ op: BinaryOperator, _ d: TextDictionary, constant: String) -> [Bool] {
        let key = op.rawValue + "\u{0}" + constant
        if op == .equal || op == .notEqual {
            return d.table(key) { ScalarOps.textEqual($0, constant) == (op == .equal) }
        }
        return d.table(key) { holds(op, ScalarOps.textCompare($0, constant)) }
    }

    /// `value [not] in [constants]` for each distinct value of a dictionary.
    static func inListTable(_ d: TextDictionary, constants: [String], negated: Bool) -> [Bool] {
        let key = (negated ? "not in" : "in") + constants.map { "\u{0}" + $0 }.joined()
        return d.table(key) { v in constants.contains { ScalarOps.textEqual(v, $0) } != negated }
    }

    /// `contains` / `starts_with` / `ends_with` of each distinct value of a dictionary.
    static func textPredicateTable(_ f: ScalarFunction, _ d: TextDictionary, constant p: String) -> [Bool] {
        let key = f.rawValue + "\u{0}" + p
        switch f {
        case .contains: return d.table(key) { ScalarOps.contains($0, p) }
        case .startsWith: return d.table(key) { ScalarOps.startsWith($0, p) }
        default: return d.table(key) { ScalarOps.endsWith($0, p) }
        }
    }

    static func logical(_ op: BinaryOperator, _ x: ColumnVector, _ y: ColumnVector) -> ColumnVector {
        guard case .bool(let a) = x.storage, case .bool(let b) = y.storage else { return .nulls(type: .bool, count: x.count) }
        let n = a.count
        if x.validity == nil && y.validity == nil {
            return ColumnVector(.bool(op == .and ? (0..<n).map { a[$0] && b[$0] } : (0..<n).map { a[$0] || b[$0] }))
        }
        var out = [Bool](repeating: false, count: n)
        var nulls = NullTracker(nil, count: n)
        let decisive = op == .or // `true or _` is true, `false and _` is false
        for i in 0..<n {
            let va = !x.isNull(i), vb = !y.isNull(i)
            if (va && a[i] == decisive) || (vb && b[i] == decisive) { out[i] = decisive }
            else if !va || !vb { nulls.setNull(i) }
            else { out[i] = !decisive }
        }
        return ColumnVector(.bool(out), validity: nulls.bits)
    }

    static func inList(_ x: ColumnVector, _ items: [ColumnVector], negated: Bool) -> ColumnVector {
        let n = x.count
        let eq = items.map { compare(.equal, x, $0) }
        var out = [Bool](repeating: false, count: n)
        var nulls = NullTracker(nil, count: n)
        for i in 0..<n {
            if x.isNull(i) { nulls.setNull(i); continue }
            var found = false, sawNull = false
            for e in eq {
                if e.isNull(i) { sawNull = true } else if case .bool(let b) = e.storage, b[i] { found = true; break }
            }
            if found { out[i] = !negated } else if sawNull { nulls.setNull(i) } else { out[i] = negated }
        }
        return ColumnVector(.bool(out), validity: nulls.bits)
    }

    static func call(_ f: ScalarFunction, _ args: [ColumnVector], type: DataType, count n: Int) throws -> ColumnVector {
        switch f {
        case .coalesce:
            var chosen = [Int](repeating: -1, count: n)
            for i in 0..<n { chosen[i] = args.firstIndex { !$0.isNull(i) } ?? -1 }
            return try pickPerRow(args, chosen, type: type, count: n)
        case .if:
            let cond = args[0]
            guard case .bool(let c) = cond.storage else { throw QueryError(.type, "if() needs a bool condition") }
            if let r = choose(c, cond.validity, args[1], args[2]) { return r }
            let chosen = (0..<n).map { (!cond.isNull($0) && c[$0]) ? 0 : 1 }
            return try pickPerRow([args[1], args[2]], chosen, type: type, count: n)
        case .abs:
            switch args[0].storage {
            case .integer(let a):
                let (r, v) = try map(a, args[0].validity, Int64(0)) { try ScalarOps.abs($0) }
                return ColumnVector(.integer(r), validity: v)
            case .decimal(let a):
                let (r, v) = try map(a, args[0].validity, Quantity.zero) { $0.mantissa < 0 ? try $0.negated() : $0 }
                return ColumnVector(.decimal(r), validity: v)
            default: throw QueryError(.type, "abs() needs a number")
            }
        case .length:
            guard case .text(let a) = args[0].storage else { throw QueryError(.type, "length() needs text") }
            let (r, v) = map(a, args[0].validity, Int64(0)) { ScalarOps.length($0) }
            return ColumnVector(.integer(r), validity: v)
        case .concat:
            var out = [String](repeating: "", count: n)
            var valid: ValidityBitmap? = nil
            for a in args { valid = ValidityBitmap.and(valid, a.validity) }
            for a in args {
                guard case .text(let s) = a.storage else { throw QueryError(.type, "concat() needs text") }
                for i in 0..<n { out[i] += s[i] }
            }
            return ColumnVector(texts: out, validity: valid)
        case .contains, .startsWith, .endsWith:
            guard case .text(let a) = args[0].storage, case .text(let b) = args[1].storage else {
                throw QueryError(.type, "\(f.rawValue)() needs text")
            }
            let valid = ValidityBitmap.and(args[0].validity, args[1].validity)
            let r: ([Bool], ValidityBitmap?)
            switch f {
            case .contains: r = zipMap(a, b, valid, false) { ScalarOps.contains($0, $1) }
            case .startsWith: r = zipMap(a, b, valid, false) { ScalarOps.startsWith($0, $1) }
            default: r = zipMap(a, b, valid, false) { ScalarOps.endsWith($0, $1) }
            }
            return ColumnVector(.bool(r.0), validity: r.1)
        }
    }

    /// `if(c, a, b)` with both arms of one storage type, in one typed loop (pivots lower to
    /// one of these per output column); nil for mixed types, handled by ``pickPerRow``.
    static func choose(_ c: [Bool], _ cv: ValidityBitmap?, _ a: ColumnVector, _ b: ColumnVector) -> ColumnVector? {
        func pick<T>(_ x: [T], _ y: [T]) -> ([T], ValidityBitmap?) {
            let n = c.count
            var out = y
            var nulls = NullTracker(b.validity, count: n)
            for i in 0..<n where c[i] && (cv.map { $0[i] } ?? true) {
                out[i] = x[i]
                if a.isNull(i) { nulls.setNull(i) } else if !nulls.isValid(i) { nulls.setValid(i) }
            }
            return (out, nulls.bits?.simplified)
        }
        switch (a.storage, b.storage) {
        case (.integer(let x), .integer(let y)): let (r, v) = pick(x, y); return ColumnVector(.integer(r), validity: v)
        case (.decimal(let x), .decimal(let y)): let (r, v) = pick(x, y); return ColumnVector(.decimal(r), validity: v)
        case (.bool(let x), .bool(let y)): let (r, v) = pick(x, y); return ColumnVector(.bool(r), validity: v)
        default: return nil
        }
    }

    /// Row i taken from `args[chosen[i]]` (-1 → null); all args have type `type`.
    static func pickPerRow(_ args: [ColumnVector], _ chosen: [Int], type: DataType, count n: Int) throws -> ColumnVector {
        var nulls = NullTracker(nil, count: n)
        for i in 0..<n where chosen[i] < 0 || args[chosen[i]].isNull(i) { nulls.setNull(i) }
        func pick<T>(_ arrays: [[T]], _ placeholder: T) -> [T] {
            (0..<n).map { i in chosen[i] >= 0 ? arrays[chosen[i]][i] : placeholder }
        }
        let cols = try args.map { try $0.cast(to: type) }
        switch type {
        case .integer: return ColumnVector(.integer(pick(cols.map { if case .integer(let a) = $0.storage { a } else { [] } }, 0)), validity: nulls.bits)
        case .decimal: return ColumnVector(.decimal(pick(cols.map { if case .decimal(let a) = $0.storage { a } else { [] } }, .zero)), validity: nulls.bits)
        case .text: return ColumnVector(texts: pick(cols.map { if case .text(let a) = $0.storage { Array(a) } else { [] } }, ""), validity: nulls.bits)
        case .bool: return ColumnVector(.bool(pick(cols.map { if case .bool(let a) = $0.storage { a } else { [] } }, false)), validity: nulls.bits)
        }
    }

    /// A three-way row comparator for one column: nulls last in both directions.
    static func comparator(_ c: ColumnVector, descending: Bool) -> (Int, Int) -> Int {
        let base: (Int, Int) -> Int
        switch c.storage {
        case .integer(let a): base = { a[$0] < a[$1] ? -1 : (a[$0] == a[$1] ? 0 : 1) }
        case .decimal(let a): base = { Quantity.compare(a[$0], a[$1]) }
        case .text(let a):
            if let d = c.dictionary {
                let rank = d.dictionary.ranks, codes = d.codes
                base = { i, j in
                    let x = rank[Int(codes[i])], y = rank[Int(codes[j])]
                    return x < y ? -1 : (x == y ? 0 : 1)
                }
            } else {
                base = { ScalarOps.textCompare(a[$0], a[$1]) }
            }
        case .bool(let a): base = { a[$0] == a[$1] ? 0 : (!a[$0] ? -1 : 1) }
        }
        guard c.validity != nil else { return descending ? { -base($0, $1) } : base }
        return { i, j in
            let ni = c.isNull(i), nj = c.isNull(j)
            if ni || nj { return ni == nj ? 0 : (ni ? 1 : -1) }
            return descending ? -base(i, j) : base(i, j)
        }
    }

    /// A comparator over several columns, first difference wins.
    static func comparator(_ cols: [ColumnVector], descending: [Bool]) -> (Int, Int) -> Int {
        let parts = zip(cols, descending).map { comparator($0.0, descending: $0.1) }
        return { i, j in
            for p in parts { let c = p(i, j); if c != 0 { return c } }
            return 0
        }
    }
}
