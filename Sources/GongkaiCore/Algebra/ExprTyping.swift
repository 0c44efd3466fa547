/// Where an expression is evaluated, which decides the function families it may use.
public enum ExprContext: Hashable, Sendable {
    /// Per row (`where`, `derive`, `select`): no aggregates, no window functions.
    case row
    /// Inside `aggregate {…}`: aggregates allowed; bare columns must be group keys.
    case aggregate(groupKeys: [String])
    /// Inside `window {…}`: one window function per item, arguments per row.
    case window
}

/// Type inference and checking for ``Expr``: the single source of the typing rules.
///
/// Integer op integer stays integer for `+ - * // %`; any decimal operand makes a decimal;
/// `/` is always decimal. Text compares with text, bool with bool, numbers with numbers.
public enum ExprTyping {
    /// The type of `expr` over `schema`, or a ``QueryError`` describing why it is ill-typed.
    ///
    /// A bare `null` (no typed operand anywhere) is typed `integer`.
    public static func type(of expr: Expr, in schema: Schema, context: ExprContext = .row) throws -> DataType {
        try infer(expr, schema, context, insideAggregate: false) ?? .integer
    }

    /// The common type two operands widen to (`integer` + `decimal` → `decimal`), nil if none.
    public static func common(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a.isNumeric && b.isNumeric { return .decimal }
        return nil
    }

    private static func unify(_ a: DataType?, _ b: DataType?, _ what: @autoclosure () -> String) throws -> DataType? {
        guard let a else { return b }
        guard let b else { return a }
        guard let c = common(a, b) else { throw QueryError(.type, "\(what()): cannot combine \(a) and \(b)") }
        return c
    }

    private static func expect(_ t: DataType?, _ allowed: (DataType) -> Bool, _ wanted: String, _ e: Expr) throws {
        if let t, !allowed(t) { throw QueryError(.type, "expected \(wanted) but \(e) is \(t)") }
    }

    // Returns nil for an expression that is a bare null.
    static func infer(_ e: Expr, _ schema: Schema, _ ctx: ExprContext, insideAggregate: Bool) throws -> DataType? {
        func sub(_ x: Expr, inAgg: Bool = insideAggregate) throws -> DataType? {
            try infer(x, schema, ctx, insideAggregate: inAgg)
        }
        switch e {
        case .column(let name):
            guard let f = schema.field(named: name) else {
                throw QueryError(.unknownColumn, "unknown column \"\(name)\"", help: EditDistance.suggestion(for: name, among: schema.names))
            }
            if case .aggregate(let keys) = ctx, !insideAggregate, !keys.contains(name) {
                throw QueryError(.invalidPlan, "column \"\(name)\" must be a group key or used inside an aggregate function such as sum(\(name))")
            }
            return f.type
        case .literal(let v):
            return v.type
        case .unary(.negate, let x):
            let t = try sub(x)
            try expect(t, \.isNumeric, "a number", x)
            return t
        case .unary(.not, let x):
            try expect(try sub(x), { $0 == .bool }, "a bool", x)
            return .bool
        case .binary(let op, let a, let b):
            let ta = try sub(a), tb = try sub(b)
            switch op {
            case .add, .subtract, .multiply:
                try expect(ta, \.isNumeric, "a number", a)
                try expect(tb, \.isNumeric, "a number", b)
                return try unify(ta, tb, "\(e)")
            case .divide:
                try expect(ta, \.isNumeric, "a number", a)
                try expect(tb, \.isNumeric, "a number", b)
                return .decimal
            case .integerDivide, .remainder:
                try expect(ta, { $0 == .integer }, "an integer (use / for decimals)", a)
                try expect(tb, { $0 == .integer }, "an integer (use / for decimals)", b)
                return .integer
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                _ = try unify(ta, tb, "\(e)")
                return .bool
            case .and, .or:
                try expect(ta, { $0 == .bool }, "a bool", a)
                try expect(tb, { $0 == .bool }, "a bool", b)
                return .bool
            }
        case .isNull(let x, _):
            _ = try sub(x)
            return .bool
        case .inList(let x, let list, _):
            var t = try sub(x)
            for item in list { t = try unify(t, try sub(item), "\(e)") }
            return .bool
        case .call(let f, let args):
            return try callType(f, args, e, sub: { try sub($0) })
        case .aggregate(let f, let args):
            guard case .aggregate = ctx else {
                throw QueryError(.invalidPlan, "aggregate function \(f.rawValue)() is only allowed inside aggregate {…}")
            }
            if insideAggregate { throw QueryError(.invalidPlan, "aggregate function \(f.rawValue)() cannot be nested in another aggregate") }
            return try aggregateType(f, args, e, sub: { try sub($0, inAgg: true) })
        case .window(let f, let args):
            guard ctx == .window else {
                throw QueryError(.invalidPlan, "window function \(f.rawValue)() is only allowed inside window {…}")
            }
            return try windowType(f, args, e, sub: { try infer($0, schema, .row, insideAggregate: false) })
        }
    }

    private static func arity(_ name: String, _ args: [Expr], _ range: ClosedRange<Int>) throws {
        guard range.contains(args.count) else {
            let want = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw QueryError(.type, "\(name)() takes \(want) argument\(range.upperBound == 1 ? "" : "s"), got \(args.count)")
        }
    }

    private static func callType(_ f: ScalarFunction, _ args: [Expr], _ e: Expr, sub: (Expr) throws -> DataType?) throws -> DataType? {
        switch f {
        case .contains, .startsWith, .endsWith:
            try arity(f.rawValue, args, 2...2)
            for a in args { try expect(try sub(a), { $0 == .text }, "text", a) }
            return .bool
        case .length:
            try arity(f.rawValue, args, 1...1)
            try expect(try sub(args[0]), { $0 == .text }, "text", args[0])
            return .integer
        case .concat:
            try arity(f.rawValue, args, 1...64)
            for a in args { try expect(try sub(a), { $0 == .text }, "text", a) }
            return .text
        case .coalesce:
            try arity(f.rawValue, args, 1...64)
            var t: DataType? = nil
            for a in args { t = try unify(t, try sub(a), "\(e)") }
            return t
        case .if:
            try arity(f.rawValue, args, 3...3)
            try expect(try sub(args[0]), { $0 == .bool }, "a bool", args[0])
            return try unify(try sub(args[1]), try sub(args[2]), "\(e)")
        case .abs:
            try arity(f.rawValue, args, 1...1)
            let t = try sub(args[0])
            try expect(t, \.isNumeric, "a number", args[0])
            return t
        }
    }

    private static func aggregateType(_ f: AggregateFunction, _ args: [Expr], _ e: Expr, sub: (Expr) throws -> DataType?) throws -> DataType? {
        switch f {
        case .count:
            try arity(f.rawValue, args, 0...1)
            if let a = args.first { _ = try sub(a) }
            return .integer
        case .countDistinct:
            try arity(f.rawValue, args, 1...1)
            _ = try sub(args[0])
            return .integer
        case .sum:
            try arity(f.rawValue, args, 1...1)
            let t = try sub(args[0])
            try expect(t, \.isNumeric, "a number", args[0])
            return t ?? .integer
        case .avg, .median:
            try arity(f.rawValue, args, 1...1)
            try expect(try sub(args[0]), \.isNumeric, "a number", args[0])
            return .decimal
        case .min, .max:
            try arity(f.rawValue, args, 1...1)
            return try sub(args[0]) ?? .integer
        case .quantile:
            try arity(f.rawValue, args, 2...2)
            try expect(try sub(args[0]), \.isNumeric, "a number", args[0])
            guard case .literal(let v) = args[1], let p = v.quantity,
                  Quantity.compare(p, .zero) >= 0, Quantity.compare(p, Quantity(1)) <= 0 else {
                throw QueryError(.type, "quantile() needs a constant fraction between 0 and 1 as its second argument, got \(args[1])")
            }
            return .decimal
        }
    }

    private static func windowType(_ f: WindowFunction, _ args: [Expr], _ e: Expr, sub: (Expr) throws -> DataType?) throws -> DataType? {
        switch f {
        case .rowNumber, .rank, .denseRank, .partitionSize:
            try arity(f.rawValue, args, 0...0)
            return .integer
        case .percentRank:
            try arity(f.rawValue, args, 0...0)
            return .decimal
        case .lag, .lead:
            try arity(f.rawValue, args, 1...2)
            if args.count == 2 {
                guard case .literal(.integer(let n)) = args[1], n >= 0 else {
                    throw QueryError(.type, "\(f.rawValue)() needs a constant non-negative integer offset, got \(args[1])")
                }
            }
            return try sub(args[0]) ?? .integer
        }
    }
}
