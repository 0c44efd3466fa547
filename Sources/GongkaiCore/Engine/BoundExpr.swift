/// An expression resolved against one input schema: column positions and every node's
/// type fixed once, with explicit casts, so the per-batch evaluation does no name lookups.
indirect enum BoundExpr {
    case column(Int, DataType)
    case literal(Value, DataType)
    case cast(BoundExpr, DataType)
    case negate(BoundExpr, DataType)
    case not(BoundExpr)
    /// Operands already cast to the result type (decimal for `/`).
    case arithmetic(BinaryOperator, BoundExpr, BoundExpr, DataType)
    /// Operands already cast to a common type.
    case compare(BinaryOperator, BoundExpr, BoundExpr)
    case logical(BinaryOperator, BoundExpr, BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    /// Value and items already cast to a common type.
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    /// Arguments already cast to what the function expects.
    case call(ScalarFunction, [BoundExpr], DataType)

    var type: DataType {
        switch self {
        case .column(_, let t), .literal(_, let t), .cast(_, let t), .negate(_, let t), .arithmetic(_, _, _, let t), .call(_, _, let t): t
        case .not, .compare, .logical, .isNull, .inList: .bool
        }
    }

    /// The positions of the input columns the expression reads.
    var columnsRead: Set<Int> {
        switch self {
        case .column(let i, _): [i]
        case .literal: []
        case .cast(let x, _), .negate(let x, _), .not(let x), .isNull(let x, _): x.columnsRead
        case .arithmetic(_, let a, let b, _), .compare(_, let a, let b), .logical(_, let a, let b): a.columnsRead.union(b.columnsRead)
        case .inList(let x, let items, _): items.reduce(x.columnsRead) { $0.union($1.columnsRead) }
        case .call(_, let args, _): args.reduce(Set<Int>()) { $0.union($1.columnsRead) }
        }
    }

    /// Binds a row-level expression; type errors are reported by ``ExprTyping`` first.
    static func bind(_ e: Expr, _ schema: Schema, as type: DataType? = nil) throws -> BoundExpr {
        _ = try ExprTyping.type(of: e, in: schema, context: .row)
        let (b, t) = try bindNode(e, schema)
        if let type, t == nil { return coerce(b, type) }
        return b
    }

    private static func widen(_ a: DataType?, _ b: DataType?) -> DataType? {
        guard let a else { return b }
        guard let b else { return a }
        return ExprTyping.common(a, b) ?? a
    }

    private static func coerce(_ b: BoundExpr, _ t: DataType) -> BoundExpr {
        if b.type == t { return b }
        if case .literal(let v, _) = b { return .literal(ScalarOps.coerce(v, to: t), t) }
        return .cast(b, t)
    }

    // The second component is the inferred type, nil for a bare null.
    private static func bindNode(_ e: Expr, _ s: Schema) throws -> (BoundExpr, DataType?) {
        switch e {
        case .column(let name):
            guard let i = s.index(of: name) else { throw QueryError(.unknownColumn, "unknown column \"\(name)\"") }
            let t = s.fields[i].type
            return (.column(i, t), t)
        case .literal(let v):
            return (.literal(v, v.type ?? .integer), v.type)
        case .unary(.negate, let x):
            let (b, t) = try bindNode(x, s)
            return (.negate(coerce(b, t ?? .integer), t ?? .integer), t)
        case .unary(.not, let x):
            let (b, _) = try bindNode(x, s)
            return (.not(coerce(b, .bool)), .bool)
        case .binary(let op, let x, let y):
            let (a, ta) = try bindNode(x, s), (b, tb) = try bindNode(y, s)
            if op.isLogical { return (.logical(op, coerce(a, .bool), coerce(b, .bool)), .bool) }
            if op.isComparison {
                let t = widen(ta, tb) ?? .integer
                return (.compare(op, coerce(a, t), coerce(b, t)), .bool)
            }
            let t: DataType
            switch op {
            case .divide: t = .decimal
            case .integerDivide, .remainder: t = .integer
            default: t = widen(ta, tb) ?? .integer
            }
            return (.arithmetic(op, coerce(a, t), coerce(b, t), t), t)
        case .isNull(let x, let n):
            return (.isNull(try bindNode(x, s).0, negated: n), .bool)
        case .inList(let x, let list, let n):
            let (v, tv) = try bindNode(x, s)
            let items = try list.map { try bindNode($0, s) }
            let t = items.reduce(tv) { widen($0, $1.1) } ?? .integer
            return (.inList(coerce(v, t), items.map { coerce($0.0, t) }, negated: n), .bool)
        case .call(let f, let args):
            let bound = try args.map { try bindNode($0, s) }
            switch f {
            case .coalesce:
                let t = bound.reduce(nil as DataType?) { widen($0, $1.1) } ?? .integer
                return (.call(f, bound.map { coerce($0.0, t) }, t), t)
            case .if:
                let t = widen(bound[1].1, bound[2].1) ?? .integer
                return (.call(f, [coerce(bound[0].0, .bool), coerce(bound[1].0, t), coerce(bound[2].0, t)], t), t)
            case .abs:
                let t = bound[0].1 ?? .integer
                return (.call(f, [coerce(bound[0].0, t)], t), t)
            case .length:
                return (.call(f, [coerce(bound[0].0, .text)], .integer), .integer)
            case .concat:
                return (.call(f, bound.map { coerce($0.0, .text) }, .text), .text)
            case .contains, .startsWith, .endsWith:
                return (.call(f, bound.map { coerce($0.0, .text) }, .bool), .bool)
            }
        case .aggregate(let f, _):
            throw QueryError(.invalidPlan, "aggregate function \(f.rawValue)() is only allowed inside aggregate {…}")
        case .window(let f, _):
            throw QueryError(.invalidPlan, "window function \(f.rawValue)() is only allowed inside window {…}")
        }
    }
}

/// Evaluates bound expressions over a batch, one typed kernel per node.
enum VectorEvaluator {
    /// The column `e` evaluates to when it is a text column carrying dictionary codes (the
    /// kernels then work once per distinct value), else nil.
    private static func dictionaryColumn(_ e: BoundExpr, _ batch: Batch) throws -> ColumnVector? {
        guard case .column(let i, .text) = e, batch.columns[i].dictionary != nil else { return nil }
        return batch.columns[i]
    }

    static func evaluate(_ e: BoundExpr, _ batch: Batch) throws -> ColumnVector {
        let n = batch.rowCount
        switch e {
        case .column(let i, _):
            return batch.columns[i]
        case .literal(let v, let t):
            return try ColumnVector.constant(v, type: t, count: n)
        case .cast(let x, let t):
            return try evaluate(x, batch).cast(to: t)
        case .negate(let x, _):
            return try Kernels.negate(try evaluate(x, batch))
        case .not(let x):
            return Kernels.not(try evaluate(x, batch))
        case .arithmetic(let op, let a, let b, _):
            return try Kernels.arithmetic(op, try evaluate(a, batch), try evaluate(b, batch))
        case .compare(let op, let a, let b):
            if case .literal(.text(let t), _) = b, let x = try dictionaryColumn(a, batch) {
                return Kernels.compare(op, x, constant: t)
            }
            if case .literal(.text(let t), _) = a, let y = try dictionaryColumn(b, batch) {
                return Kernels.compare(op.flipped, y, constant: t)
            }
            return Kernels.compare(op, try evaluate(a, batch), try evaluate(b, batch))
        case .logical(let op, let a, let b):
            return Kernels.logical(op, try evaluate(a, batch), try evaluate(b, batch))
        case .isNull(let x, let negated):
            let v = try evaluate(x, batch)
            return ColumnVector(.bool((0..<n).map { v.isNull($0) != negated }))
        case .inList(let x, let items, let negated):
            let texts = items.compactMap { if case .literal(.text(let t), _) = $0 { t } else { nil } }
            if texts.count == items.count, let v = try dictionaryColumn(x, batch) {
                return Kernels.inList(v, constants: texts, negated: negated)
            }
            return Kernels.inList(try evaluate(x, batch), try items.map { try evaluate($0, batch) }, negated: negated)
        case .call(let f, let args, let t):
            if [.contains, .startsWith, .endsWith].contains(f), args.count == 2, case .literal(.text(let p), _) = args[1],
               let x = try dictionaryColumn(args[0], batch) {
                return Kernels.textPredicate(f, x, constant: p)
            }
            return try Kernels.call(f, try args.map { try evaluate($0, batch) }, type: t, count: n)
        }
    }
}
