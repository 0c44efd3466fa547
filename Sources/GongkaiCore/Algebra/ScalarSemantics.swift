/// The per-value meaning of every operator and function, shared by constant folding and the
/// columnar kernels so that both agree bit for bit.
///
/// Nulls propagate through arithmetic, comparison and text functions; `and`/`or` follow
/// three-valued logic; division by zero is null; integer overflow throws.
enum ScalarOps {
    // MARK: Integers

    static func add(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw QueryError.overflow("integer addition \(a) + \(b)") }
        return r
    }

    static func subtract(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { throw QueryError.overflow("integer subtraction \(a) - \(b)") }
        return r
    }

    static func multiply(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw QueryError.overflow("integer multiplication \(a) * \(b)") }
        return r
    }

    static func negate(_ a: Int64) throws -> Int64 { try subtract(0, a) }

    /// Truncating division; nil when dividing by zero.
    static func integerDivide(_ a: Int64, _ b: Int64) throws -> Int64? {
        if b == 0 { return nil }
        let (r, o) = a.dividedReportingOverflow(by: b)
        if o { throw QueryError.overflow("integer division \(a) // \(b)") }
        return r
    }

    /// Remainder with the dividend's sign; nil when dividing by zero.
    static func remainder(_ a: Int64, _ b: Int64) -> Int64? {
        if b == 0 { return nil }
        let (r, o) = a.remainderReportingOverflow(dividingBy: b)
        return o ? 0 : r
    }

    static func abs(_ a: Int64) throws -> Int64 { a < 0 ? try negate(a) : a }

    // MARK: Text (byte-wise, like SQLite's BINARY collation)

    static func textCompare(_ a: String, _ b: String) -> Int {
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    static func textEqual(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func contains(_ s: String, _ part: String) -> Bool {
        if part.isEmpty { return true }
        let fast: Bool? = s.utf8.withContiguousStorageIfAvailable { h in
            part.utf8.withContiguousStorageIfAvailable { n in contains(h, n) }
        } ?? nil
        if let fast { return fast }
        let h = Array(s.utf8), n = Array(part.utf8)
        return h.withUnsafeBufferPointer { hb in n.withUnsafeBufferPointer { nb in contains(hb, nb) } }
    }

    /// Naive byte search; texts in reports are short, so no skip tables.
    private static func contains(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        guard n.count <= h.count, let first = n.first else { return n.isEmpty }
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var k = 1
                while k < n.count && h[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }

    static func startsWith(_ s: String, _ p: String) -> Bool { s.utf8.starts(with: p.utf8) }

    static func endsWith(_ s: String, _ p: String) -> Bool { s.utf8.reversed().starts(with: p.utf8.reversed()) }

    /// Characters as Unicode scalars (what SQLite's length() counts).
    static func length(_ s: String) -> Int64 { Int64(s.unicodeScalars.count) }

    // MARK: Values

    /// Three-way comparison of two non-null values of comparable types; nil if either is null.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.text(let x), .text(let y)): return textCompare(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default:
            guard let x = a.quantity, let y = b.quantity else { return nil }
            return Quantity.compare(x, y)
        }
    }

    /// Evaluates a row-level expression over values looked up by column name.
    ///
    /// Used for constant folding; the engine's kernels implement the same rules column-wise.
    static func evaluate(_ e: Expr, _ lookup: (String) -> Value?) throws -> Value {
        switch e {
        case .column(let c):
            guard let v = lookup(c) else { throw QueryError(.unknownColumn, "unknown column \"\(c)\"") }
            return v
        case .literal(let v):
            return v
        case .unary(let op, let x):
            let v = try evaluate(x, lookup)
            switch (op, v) {
            case (_, .null): return .null
            case (.negate, .integer(let i)): return .integer(try negate(i))
            case (.negate, .decimal(let q)): return .decimal(try q.negated())
            case (.not, .bool(let b)): return .bool(!b)
            default: throw QueryError(.type, "cannot apply \(op.rawValue) to \(v)")
            }
        case .binary(.and, let a, let b):
            let x = try evaluate(a, lookup), y = try evaluate(b, lookup)
            if x == .bool(false) || y == .bool(false) { return .bool(false) }
            if x.isNull || y.isNull { return .null }
            return .bool(true)
        case .binary(.or, let a, let b):
            let x = try evaluate(a, lookup), y = try evaluate(b, lookup)
            if x == .bool(true) || y == .bool(true) { return .bool(true) }
            if x.isNull || y.isNull { return .null }
            return .bool(false)
        case .binary(let op, let a, let b):
            return try binary(op, try evaluate(a, lookup), try evaluate(b, lookup))
        case .isNull(let x, let negated):
            return .bool(try evaluate(x, lookup).isNull != negated)
        case .inList(let x, let list, let negated):
            let v = try evaluate(x, lookup)
            if v.isNull { return .null }
            var sawNull = false
            for item in list {
                let w = try evaluate(item, lookup)
                if w.isNull { sawNull = true; continue }
                if compare(v, w) == 0 { return .bool(!negated) }
            }
            return sawNull ? .null : .bool(negated)
        case .call(let f, let args):
            return try call(f, args.map { try evaluate($0, lookup) })
        case .aggregate(let f, _):
            throw QueryError(.invalidPlan, "aggregate \(f.rawValue)() cannot be evaluated per row")
        case .window(let f, _):
            throw QueryError(.invalidPlan, "window function \(f.rawValue)() cannot be evaluated per row")
        }
    }

    static func binary(_ op: BinaryOperator, _ x: Value, _ y: Value) throws -> Value {
        if x.isNull || y.isNull { return .null }
        if op.isComparison {
            guard let c = compare(x, y) else { throw QueryError(.type, "cannot compare \(x) with \(y)") }
            switch op {
            case .equal: return .bool(c == 0)
            case .notEqual: return .bool(c != 0)
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        }
        if case .integer(let a) = x, case .integer(let b) = y {
            switch op {
            case .add: return .integer(try add(a, b))
            case .subtract: return .integer(try subtract(a, b))
            case .multiply: return .integer(try multiply(a, b))
            case .divide:
                return try Quantity(mantissa: a).divided(by: Quantity(mantissa: b)).map(Value.decimal) ?? .null
            case .integerDivide: return try integerDivide(a, b).map(Value.integer) ?? .null
            case .remainder: return remainder(a, b).map(Value.integer) ?? .null
            default: break
            }
        }
        guard let a = x.quantity, let b = y.quantity else { throw QueryError(.type, "cannot apply \(op.rawValue) to \(x) and \(y)") }
        switch op {
        case .add: return .decimal(try a.adding(b))
        case .subtract: return .decimal(try a.subtracting(b))
        case .multiply: return .decimal(try a.multiplied(by: b))
        case .divide: return try a.divided(by: b).map(Value.decimal) ?? .null
        default: throw QueryError(.type, "\(op.rawValue) needs integers")
        }
    }

    static func call(_ f: ScalarFunction, _ v: [Value]) throws -> Value {
        switch f {
        case .coalesce:
            return v.first { !$0.isNull } ?? .null
        case .if:
            guard v.count == 3 else { throw QueryError(.type, "if() takes 3 arguments") }
            return v[0] == .bool(true) ? v[1] : v[2]
        default:
            break
        }
        if v.contains(where: \.isNull) { return .null }
        switch (f, v.first) {
        case (.length, .text(let s)?): return .integer(length(s))
        case (.abs, .integer(let i)?): return .integer(try abs(i))
        case (.abs, .decimal(let q)?): return .decimal(q.mantissa < 0 ? try q.negated() : q)
        case (.concat, _):
            var out = ""
            for x in v {
                guard case .text(let s) = x else { throw QueryError(.type, "concat() needs text") }
                out += s
            }
            return .text(out)
        default: break
        }
        guard v.count == 2, case .text(let s) = v[0], case .text(let p) = v[1] else {
            throw QueryError(.type, "\(f.rawValue)() got arguments \(v)")
        }
        switch f {
        case .contains: return .bool(contains(s, p))
        case .startsWith: return .bool(startsWith(s, p))
        default: return .bool(endsWith(s, p))
        }
    }

    /// The value converted to a column type (integers widen to decimals; others unchanged).
    static func coerce(_ v: Value, to t: DataType) -> Value {
        if t == .decimal, case .integer(let i) = v { return .decimal(Quantity(mantissa: i)) }
        return v
    }
}
