/// Compiles a ``LogicalPlan`` to one SQLite `SELECT` statement: a pure function of the plan.
///
/// Each operator becomes one `SELECT` over its input as a subquery. The SQL reproduces the
/// engine's semantics exactly:
/// - **Decimals** are stored and computed as scaled `INTEGER`s: a decimal column holds
///   `value × 10^decimalScale`; every decimal expression has a static scale (sums keep it,
///   products add scales, `/` produces scale 6 with integer round-half-even). Output columns
///   report their scale in ``CompiledSQL/columns``.
/// - **Nulls sort last** in both directions: every ordering term is `x IS NULL, x ASC|DESC`.
/// - **Division by zero** is NULL on both sides; `//` and `%` are SQLite's integer `/` and `%`.
/// - **Text** compares with SQLite's default BINARY collation (bytes), like the engine.
/// - **Bools** are 0/1 integers.
/// - `median` and `quantile` have no SQLite equivalent here and throw `.unsupported`.
///
/// ```swift
/// let sql = try SQLCompiler.compile(plan)
/// ```
public struct SQLCompiler: Sendable {
    /// How catalog tables are laid out in SQLite.
    public struct Options: Hashable, Sendable {
        /// Decimal columns are stored as `INTEGER` holding `value × 10^decimalScale`.
        public var decimalScale: Int

        /// Creates options (scale 4: 万元 amounts stay exact to the 元).
        public init(decimalScale: Int = 4) { self.decimalScale = decimalScale }
    }

    /// The storage conventions.
    public var options: Options

    /// Creates a compiler.
    public init(options: Options = Options()) { self.options = options }

    /// The SQL text for a plan with default options.
    public static func compile(_ plan: LogicalPlan) throws -> String { try SQLCompiler().compile(plan).sql }

    /// The SQL text and how to decode each output column.
    public func compile(_ plan: LogicalPlan) throws -> CompiledSQL {
        let schema = try plan.schema()
        var gen = SQLGeneration(decimalScale: options.decimalScale)
        let rel = try gen.relation(plan)
        let cols = zip(schema.fields, rel.columns).map { f, c in
            SQLColumn(name: f.name, type: f.type, decimalScale: f.type == .decimal && c.value.type == .decimal ? c.value.scale : 0)
        }
        return CompiledSQL(sql: rel.sql, columns: cols)
    }
}

/// A compiled query: SQL text plus how to turn each output column back into ``Value``s.
public struct CompiledSQL: Hashable, Sendable {
    /// One `SELECT` statement.
    public var sql: String
    /// The output columns in order.
    public var columns: [SQLColumn]
}

/// One output column of compiled SQL.
public struct SQLColumn: Hashable, Sendable {
    /// The column name (the SQL alias).
    public var name: String
    /// The algebra type.
    public var type: DataType
    /// For decimals: the SQL integer is `value × 10^decimalScale`.
    public var decimalScale: Int

    /// Converts a raw SQLite integer/text cell of this column into a ``Value``.
    public func decode(integer: Int64?) -> Value {
        guard let integer else { return .null }
        switch type {
        case .integer: return .integer(integer)
        case .decimal: return .decimal(Quantity(mantissa: integer, scale: decimalScale))
        case .bool: return .bool(integer != 0)
        case .text: return .text(String(integer))
        }
    }
}

/// A compiled subquery: its SQL, its output columns and the order its rows are in.
struct SQLRelation {
    struct Column {
        var name: String
        var value: SQLValue
    }

    var sql: String
    var columns: [Column]
    /// Row order in terms of output column names, when known.
    var ordering: [SortKey]?

    /// The scope seen by an operator reading this relation under `alias`.
    func scope(_ alias: String) -> [String: SQLValue] {
        var s: [String: SQLValue] = [:]
        for c in columns {
            s[c.name] = SQLValue(sql: "\(alias).\(SQLExpressionCompiler.identifier(c.name))", type: c.value.type, scale: c.value.scale)
        }
        return s
    }
}

/// The stateful part of compilation: fresh aliases.
struct SQLGeneration {
    let decimalScale: Int
    var aliasCounter = 0

    init(decimalScale: Int) { self.decimalScale = decimalScale }

    mutating func alias() -> String {
        aliasCounter += 1
        return "t\(aliasCounter)"
    }

    static func orderTerms(_ keys: [SortKey], _ scope: [String: SQLValue]) throws -> String {
        try keys.map { k in
            guard let v = scope[k.column] else { throw QueryError(.unknownColumn, "unknown sort key \"\(k.column)\"") }
            return "\(v.sql) IS NULL, \(v.sql) \(k.descending ? "DESC" : "ASC")"
        }.joined(separator: ", ")
    }

    static func selectList(_ cols: [(String, SQLValue)]) -> String {
        cols.map { "\($0.1.sql) AS \(SQLExpressionCompiler.identifier($0.0))" }.joined(separator: ", ")
    }

    /// `SELECT list FROM (child) AS alias [WHERE] [ORDER BY child order]`, keeping the child's
    /// order when every sort key survives under its name.
    func passThrough(_ child: SQLRelation, _ alias: String, _ out: [(String, SQLValue)], where cond: String? = nil,
                     renames: [String: String] = [:]) throws -> SQLRelation {
        var sql = "SELECT \(SQLGeneration.selectList(out)) FROM (\(child.sql)) AS \(alias)"
        if let cond { sql += " WHERE \(cond)" }
        var ordering: [SortKey]? = nil
        if let o = child.ordering, !o.isEmpty {
            sql += " ORDER BY " + (try SQLGeneration.orderTerms(o, child.scope(alias)))
            let mapped = o.compactMap { k in renames[k.column].map { SortKey($0, descending: k.descending) } }
            ordering = mapped.count == o.count ? mapped : nil
        }
        return SQLRelation(sql: sql, columns: out.map { .init(name: $0.0, value: $0.1) }, ordering: ordering)
    }

    /// Columns passed through unchanged map to themselves.
    static func identityRenames(_ names: [String]) -> [String: String] {
        Dictionary(names.map { ($0, $0) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func relation(_ plan: LogicalPlan) throws -> SQLRelation {
        switch plan {
        case .scan(let table, let schema):
            let cols = schema.fields.map { f in
                SQLRelation.Column(name: f.name, value: SQLValue(sql: SQLExpressionCompiler.identifier(f.name), type: f.type,
                                                                 scale: f.type == .decimal ? decimalScale : 0))
            }
            let list = schema.names.map(SQLExpressionCompiler.identifier).joined(separator: ", ")
            return SQLRelation(sql: "SELECT \(list) FROM \(SQLExpressionCompiler.identifier(table))", columns: cols, ordering: nil)

        case .filter(let c, let pred):
            let child = try relation(c), a = alias()
            let scope = child.scope(a)
            let cond = try SQLExpressionCompiler(scope: scope).compile(pred).sql
            return try passThrough(child, a, child.columns.map { ($0.name, scope[$0.name] ?? $0.value) }, where: cond,
                                   renames: SQLGeneration.identityRenames(child.columns.map(\.name)))

        case .derive(let c, let items):
            let child = try relation(c), a = alias()
            var scope = child.scope(a)
            var out = child.columns.map { ($0.name, scope[$0.name] ?? $0.value) }
            var replaced = Set<String>()
            for item in items {
                let v = try SQLExpressionCompiler(scope: scope).compile(item.expr)
                scope[item.name] = v
                if let i = out.firstIndex(where: { $0.0 == item.name }) { out[i] = (item.name, v); replaced.insert(item.name) } else { out.append((item.name, v)) }
            }
            let kept = child.columns.map(\.name).filter { !replaced.contains($0) }
            return try passThrough(child, a, out, renames: SQLGeneration.identityRenames(kept))

        case .select(let c, let items):
            let child = try relation(c), a = alias()
            let gen = SQLExpressionCompiler(scope: child.scope(a))
            var renames: [String: String] = [:]
            for i in items { if case .column(let src) = i.expr, renames[src] == nil { renames[src] = i.name } }
            return try passThrough(child, a, try items.map { ($0.name, try gen.compile($0.expr)) }, renames: renames)

        case .aggregate(let c, let keys, let values):
            return try aggregate(c, keys, values)

        case .pivot(let c, let spec):
            return try relation(PlanLowering.pivotAsAggregate(c, spec))

        case .sort(let c, let keys):
            let child = try relation(c), a = alias()
            let scope = child.scope(a)
            let out = child.columns.map { ($0.name, scope[$0.name] ?? $0.value) }
            let sql = "SELECT \(SQLGeneration.selectList(out)) FROM (\(child.sql)) AS \(a) ORDER BY \(try SQLGeneration.orderTerms(keys, scope))"
            return SQLRelation(sql: sql, columns: out.map { .init(name: $0.0, value: $0.1) }, ordering: keys)

        case .take(let c, let count, let offset):
            let child = try relation(c), a = alias()
            var rel = try passThrough(child, a, child.columns.map { ($0.name, child.scope(a)[$0.name] ?? $0.value) },
                                      renames: SQLGeneration.identityRenames(child.columns.map(\.name)))
            rel.sql += " LIMIT \(count) OFFSET \(offset)"
            return rel

        case .join(let l, let r, let kind, let on):
            let left = try relation(l), right = try relation(r)
            let la = alias(), ra = alias()
            let ls = left.scope(la), rs = right.scope(ra)
            let conds = try on.map { k -> String in
                guard let x = ls[k.left], let y = rs[k.right] else { throw QueryError(.unknownColumn, "unknown join key \(k)") }
                let al = try SQLExpressionCompiler.aligned([x, y])
                return "\(al.sqls[0]) = \(al.sqls[1])"
            }
            let dropped = Set(on.map(\.right))
            let out = left.columns.map { ($0.name, ls[$0.name] ?? $0.value) }
                + right.columns.filter { !dropped.contains($0.name) }.map { ($0.name, rs[$0.name] ?? $0.value) }
            var sql = "SELECT \(SQLGeneration.selectList(out)) FROM (\(left.sql)) AS \(la) \(kind == .left ? "LEFT JOIN" : "JOIN") (\(right.sql)) AS \(ra) ON "
                + conds.joined(separator: " AND ")
            if let o = left.ordering, !o.isEmpty { sql += " ORDER BY " + (try SQLGeneration.orderTerms(o, ls)) }
            return SQLRelation(sql: sql, columns: out.map { .init(name: $0.0, value: $0.1) }, ordering: left.ordering)

        case .union(let l, let r):
            let left = try relation(l), right = try relation(r)
            let la = alias(), ra = alias()
            let scales = zip(left.columns, right.columns).map { max($0.value.scale, $1.value.scale) }
            func side(_ rel: SQLRelation, _ a: String) throws -> (String, [SQLRelation.Column]) {
                let scope = rel.scope(a)
                let cols = try zip(rel.columns, scales).map { c, s -> (String, SQLValue) in
                    let v = scope[c.name] ?? c.value
                    let typed = c.value.type == .decimal ? SQLValue(sql: try SQLExpressionCompiler.rescaled(v, to: s), type: .decimal, scale: s) : v
                    return (c.name, typed)
                }
                return ("SELECT \(SQLGeneration.selectList(cols)) FROM (\(rel.sql)) AS \(a)", cols.map { .init(name: $0.0, value: $0.1) })
            }
            let (ls, lcols) = try side(left, la)
            let (rs, _) = try side(right, ra)
            let u = alias()
            let outCols = lcols.map { SQLRelation.Column(name: $0.name, value: SQLValue(sql: "", type: $0.value.type, scale: $0.value.scale)) }
            let list = outCols.map { "\(u).\(SQLExpressionCompiler.identifier($0.name)) AS \(SQLExpressionCompiler.identifier($0.name))" }.joined(separator: ", ")
            return SQLRelation(sql: "SELECT \(list) FROM (\(ls) UNION ALL \(rs)) AS \(u)", columns: outCols, ordering: nil)

        case .window(let c, let partition, let order, let functions):
            let child = try relation(c), a = alias()
            let scope = child.scope(a)
            let gen = SQLExpressionCompiler(scope: scope)
            var over = ""
            if !partition.isEmpty {
                over += "PARTITION BY " + (try partition.map { p -> String in
                    guard let v = scope[p] else { throw QueryError(.unknownColumn, "unknown partition key \"\(p)\"") }
                    return v.sql
                }).joined(separator: ", ")
            }
            let partitionOnly = over
            if !order.isEmpty { over += (over.isEmpty ? "" : " ") + "ORDER BY " + (try SQLGeneration.orderTerms(order, scope)) }
            var out = child.columns.map { ($0.name, scope[$0.name] ?? $0.value) }
            for f in functions {
                guard case .window(let fn, let args) = f.expr else { throw QueryError(.invalidPlan, "window items must be window calls") }
                switch fn {
                case .rowNumber, .rank, .denseRank:
                    let name = fn == .rowNumber ? "ROW_NUMBER" : (fn == .rank ? "RANK" : "DENSE_RANK")
                    out.append((f.name, SQLValue(sql: "\(name)() OVER (\(over))", type: .integer, scale: 0)))
                case .lag, .lead:
                    guard let first = args.first else { throw QueryError(.type, "\(fn.rawValue)() needs an argument") }
                    let v = try gen.compile(first)
                    var offset: Int64 = 1
                    if args.count > 1, case .literal(.integer(let o)) = args[1] { offset = o }
                    out.append((f.name, SQLValue(sql: "\(fn == .lag ? "LAG" : "LEAD")(\(v.sql), \(offset)) OVER (\(over))", type: v.type, scale: v.scale)))
                case .partitionSize:
                    out.append((f.name, SQLValue(sql: "COUNT(*) OVER (\(partitionOnly))", type: .integer, scale: 0)))
                case .percentRank:
                    // (rank − 1) × 10^6 / (size − 1), rounded half-even like the engine's division.
                    let size = "(COUNT(*) OVER (\(partitionOnly)) - 1)"
                    let x = "((RANK() OVER (\(over)) - 1) * 1000000)"
                    let q = "(\(x) / \(size))", r = "(\(x) % \(size))"
                    let sql = "(CASE WHEN \(size) = 0 THEN 0 WHEN 2 * \(r) > \(size) THEN \(q) + 1 WHEN 2 * \(r) = \(size) THEN \(q) + (\(q) % 2) ELSE \(q) END)"
                    out.append((f.name, SQLValue(sql: sql, type: .decimal, scale: 6)))
                }
            }
            return try passThrough(child, a, out, renames: SQLGeneration.identityRenames(child.columns.map(\.name)))
        }
    }

    /// Two levels: the inner `SELECT … GROUP BY` computes keys and bare aggregate calls, the
    /// outer one the final expressions over them.
    mutating func aggregate(_ c: LogicalPlan, _ keys: [String], _ values: [NamedExpr]) throws -> SQLRelation {
        let child = try relation(c), a = alias()
        let scope = child.scope(a)
        let gen = SQLExpressionCompiler(scope: scope)
        let (calls, finals) = PlanLowering.splitAggregates(values)
        var inner: [(String, SQLValue)] = try keys.map { k in
            guard let v = scope[k] else { throw QueryError(.unknownColumn, "unknown group key \"\(k)\"") }
            return (k, v)
        }
        let b = alias()
        var outerScope: [String: SQLValue] = [:]
        func col(_ name: String, _ v: SQLValue) -> SQLValue {
            SQLValue(sql: "\(b).\(SQLExpressionCompiler.identifier(name))", type: v.type, scale: v.scale)
        }
        for (k, v) in inner { outerScope[k] = col(k, v) }
        for call in calls {
            guard case .aggregate(let f, let args) = call.expr else { throw QueryError(.invalidPlan, "expected an aggregate call") }
            let arg = try args.first.map { try gen.compile($0) }
            switch f {
            case .count:
                let v = SQLValue(sql: arg.map { "COUNT(\($0.sql))" } ?? "COUNT(*)", type: .integer, scale: 0)
                inner.append((call.name, v)); outerScope[call.name] = col(call.name, v)
            case .countDistinct:
                let v = SQLValue(sql: "COUNT(DISTINCT \(arg?.sql ?? "NULL"))", type: .integer, scale: 0)
                inner.append((call.name, v)); outerScope[call.name] = col(call.name, v)
            case .sum, .min, .max:
                let fn = f == .sum ? "SUM" : (f == .min ? "MIN" : "MAX")
                let v = SQLValue(sql: "\(fn)(\(arg?.sql ?? "NULL"))", type: arg?.type ?? .integer, scale: arg?.scale ?? 0)
                inner.append((call.name, v)); outerScope[call.name] = col(call.name, v)
            case .avg:
                let s = SQLValue(sql: "SUM(\(arg?.sql ?? "NULL"))", type: .decimal, scale: arg?.scale ?? 0)
                let n = SQLValue(sql: "COUNT(\(arg?.sql ?? "NULL"))", type: .integer, scale: 0)
                inner.append((call.name + "_sum", s)); inner.append((call.name + "_count", n))
                outerScope[call.name] = try SQLExpressionCompiler.divide(col(call.name + "_sum", s), col(call.name + "_count", n))
            case .median, .quantile:
                throw QueryError(.unsupported, "\(f.rawValue)() has no SQLite translation; run this query on the engine")
            }
        }
        var innerSQL = "SELECT \(inner.isEmpty ? "1 AS \"__one\"" : SQLGeneration.selectList(inner)) FROM (\(child.sql)) AS \(a)"
        if !keys.isEmpty { innerSQL += " GROUP BY " + inner.prefix(keys.count).map(\.1.sql).joined(separator: ", ") }
        let outerGen = SQLExpressionCompiler(scope: outerScope)
        let out: [(String, SQLValue)] = try keys.map { ($0, outerScope[$0] ?? .null()) } + finals.map { ($0.name, try outerGen.compile($0.expr)) }
        let sql = "SELECT \(SQLGeneration.selectList(out)) FROM (\(innerSQL)) AS \(b)"
        return SQLRelation(sql: sql, columns: out.map { .init(name: $0.0, value: $0.1) }, ordering: nil)
    }
}
