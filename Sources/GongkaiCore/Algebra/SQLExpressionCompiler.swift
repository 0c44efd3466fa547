/// A compiled SQL expression with its algebra type and, for decimals, the static scale of
/// the integer it evaluates to (`value = sql × 10^-scale`).
struct SQLValue {
    var sql: String
    /// nil for a bare NULL.
    var type: DataType?
    var scale: Int

    static func null() -> SQLValue { SQLValue(sql: "NULL", type: nil, scale: 0) }
}

/// Compiles ``Expr`` to SQLite SQL over named inputs, keeping decimals exact as scaled
/// integers (see ``SQLCompiler`` for the representation).
struct SQLExpressionCompiler {
    /// What each visible name compiles to.
    var scope: [String: SQLValue]

    // MARK: Spelling

    static func identifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static func text(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    static func literal(_ v: Value) -> SQLValue {
        switch v {
        case .null: return .null()
        case .integer(let i): return SQLValue(sql: i < 0 ? "(\(i))" : "\(i)", type: .integer, scale: 0)
        case .decimal(let q): return SQLValue(sql: q.mantissa < 0 ? "(\(q.mantissa))" : "\(q.mantissa)", type: .decimal, scale: q.scale)
        case .text(let s): return SQLValue(sql: text(s), type: .text, scale: 0)
        case .bool(let b): return SQLValue(sql: b ? "1" : "0", type: .bool, scale: 0)
        }
    }

    /// The value's integer at a larger scale (`x * 100`).
    static func rescaled(_ v: SQLValue, to s: Int) throws -> String {
        if v.scale == s || v.sql == "NULL" { return v.sql }
        guard s > v.scale, let p = Quantity.power10(s - v.scale) else {
            throw QueryError(.unsupported, "decimal scale \(s) is too large for SQLite integers")
        }
        return "(\(v.sql) * \(p))"
    }

    /// Both operands at one scale (numeric) or as they are.
    static func aligned(_ vs: [SQLValue]) throws -> (sqls: [String], type: DataType?, scale: Int) {
        var t: DataType? = nil
        for v in vs { if let vt = v.type { t = t.map { ExprTyping.common($0, vt) ?? $0 } ?? vt } }
        if t == .decimal {
            let s = vs.map(\.scale).max() ?? 0
            return (try vs.map { try rescaled($0, to: s) }, .decimal, s)
        }
        return (vs.map(\.sql), t, 0)
    }

    /// `round_half_even(n / d)` in integer SQL, NULL when d is 0 or either is NULL.
    ///
    /// Short operands are repeated inline in a CASE; long ones are bound once in a scalar
    /// subquery, which keeps the SQL small without nesting SELECTs for every division.
    static func roundedDivision(_ n: String, _ d: String) -> String {
        func body(_ n: String, _ d: String) -> String {
            "CASE WHEN \(d) = 0 THEN NULL ELSE \(n) / \(d) + (CASE WHEN 2 * abs(\(n) % \(d)) > abs(\(d))"
                + " OR (2 * abs(\(n) % \(d)) = abs(\(d)) AND (\(n) / \(d)) % 2 <> 0)"
                + " THEN (CASE WHEN (\(n) < 0) = (\(d) < 0) THEN 1 ELSE -1 END) ELSE 0 END) END"
        }
        if n.utf8.count + d.utf8.count <= 160 { return "(" + body(n, d) + ")" }
        return "(SELECT \(body("n", "d")) FROM (SELECT \(n) AS n, \(d) AS d))"
    }

    /// Exact decimal division at ``Quantity/divisionScale`` places.
    static func divide(_ a: SQLValue, _ b: SQLValue) throws -> SQLValue {
        let e = b.scale + Quantity.divisionScale - a.scale
        guard let p = Quantity.power10(abs(e)) else { throw QueryError(.unsupported, "decimal division over too many places for SQLite") }
        let n = e > 0 ? "(\(a.sql) * \(p))" : a.sql
        let d = e < 0 ? "(\(b.sql) * \(p))" : b.sql
        return SQLValue(sql: roundedDivision(n, d), type: .decimal, scale: Quantity.divisionScale)
    }

    // MARK: Expressions

    func compile(_ e: Expr) throws -> SQLValue {
        switch e {
        case .column(let c):
            guard let v = scope[c] else { throw QueryError(.unknownColumn, "unknown column \"\(c)\"") }
            return v
        case .literal(let v):
            return SQLExpressionCompiler.literal(v)
        case .unary(.negate, let x):
            let v = try compile(x)
            return SQLValue(sql: "(- \(v.sql))", type: v.type, scale: v.scale)
        case .unary(.not, let x):
            return SQLValue(sql: "(NOT \(try compile(x).sql))", type: .bool, scale: 0)
        case .binary(let op, let x, let y):
            return try binary(op, try compile(x), try compile(y))
        case .isNull(let x, let n):
            return SQLValue(sql: "(\(try compile(x).sql) IS \(n ? "NOT " : "")NULL)", type: .bool, scale: 0)
        case .inList(let x, let items, let n):
            let v = try compile(x)
            if items.isEmpty { return SQLValue(sql: "(CASE WHEN \(v.sql) IS NULL THEN NULL ELSE \(n ? 1 : 0) END)", type: .bool, scale: 0) }
            let all = try SQLExpressionCompiler.aligned([v] + items.map(compile))
            return SQLValue(sql: "(\(all.sqls[0]) \(n ? "NOT IN" : "IN") (\(all.sqls.dropFirst().joined(separator: ", "))))", type: .bool, scale: 0)
        case .call(let f, let args):
            return try call(f, try args.map(compile))
        case .aggregate(let f, _):
            throw QueryError(.invalidPlan, "aggregate \(f.rawValue)() outside an aggregate")
        case .window(let f, _):
            throw QueryError(.invalidPlan, "window function \(f.rawValue)() outside a window")
        }
    }

    private func binary(_ op: BinaryOperator, _ a: SQLValue, _ b: SQLValue) throws -> SQLValue {
        switch op {
        case .and, .or:
            return SQLValue(sql: "(\(a.sql) \(op == .and ? "AND" : "OR") \(b.sql))", type: .bool, scale: 0)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let al = try SQLExpressionCompiler.aligned([a, b])
            let sym = op == .equal ? "=" : (op == .notEqual ? "<>" : op.rawValue)
            return SQLValue(sql: "(\(al.sqls[0]) \(sym) \(al.sqls[1]))", type: .bool, scale: 0)
        case .add, .subtract:
            let al = try SQLExpressionCompiler.aligned([a, b])
            return SQLValue(sql: "(\(al.sqls[0]) \(op.rawValue) \(al.sqls[1]))", type: al.type ?? .integer, scale: al.scale)
        case .multiply:
            let t: DataType = (a.type == .decimal || b.type == .decimal) ? .decimal : .integer
            return SQLValue(sql: "(\(a.sql) * \(b.sql))", type: t, scale: t == .decimal ? a.scale + b.scale : 0)
        case .divide:
            return try SQLExpressionCompiler.divide(a, b)
        case .integerDivide:
            return SQLValue(sql: "(\(a.sql) / \(b.sql))", type: .integer, scale: 0)
        case .remainder:
            return SQLValue(sql: "(\(a.sql) % \(b.sql))", type: .integer, scale: 0)
        }
    }

    private func call(_ f: ScalarFunction, _ args: [SQLValue]) throws -> SQLValue {
        let s = args.map(\.sql)
        switch f {
        case .contains:
            return SQLValue(sql: "(instr(\(s[0]), \(s[1])) > 0)", type: .bool, scale: 0)
        case .startsWith:
            return SQLValue(sql: "(substr(\(s[0]), 1, length(\(s[1]))) = \(s[1]))", type: .bool, scale: 0)
        case .endsWith:
            return SQLValue(sql: "(CASE WHEN \(s[0]) IS NULL OR \(s[1]) IS NULL THEN NULL WHEN length(\(s[1])) = 0 THEN 1 "
                            + "ELSE substr(\(s[0]), -length(\(s[1]))) = \(s[1]) END)", type: .bool, scale: 0)
        case .length:
            return SQLValue(sql: "length(\(s[0]))", type: .integer, scale: 0)
        case .concat:
            return SQLValue(sql: "(" + s.joined(separator: " || ") + ")", type: .text, scale: 0)
        case .coalesce:
            let al = try SQLExpressionCompiler.aligned(args)
            if al.sqls.count == 1 { return SQLValue(sql: al.sqls[0], type: al.type, scale: al.scale) }
            return SQLValue(sql: "coalesce(\(al.sqls.joined(separator: ", ")))", type: al.type, scale: al.scale)
        case .if:
            let al = try SQLExpressionCompiler.aligned([args[1], args[2]])
            return SQLValue(sql: "(CASE WHEN \(s[0]) THEN \(al.sqls[0]) ELSE \(al.sqls[1]) END)", type: al.type, scale: al.scale)
        case .abs:
            return SQLValue(sql: "abs(\(s[0]))", type: args[0].type, scale: args[0].scale)
        }
    }
}
