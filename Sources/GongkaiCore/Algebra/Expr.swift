/// A typed scalar expression of the algebra: the language parses into it, the optimizer
/// rewrites it, the engine evaluates it column-wise and the SQL compiler prints it.
///
/// Build expressions with the small constructors and operators:
///
/// ```swift
/// let rate: Expr = .column("denied") / .column("received")
/// let filter: Expr = .column("year").equals(.integer(2020)).and(.column("total").greater(.integer(0)))
/// ```
public indirect enum Expr: Hashable, Sendable, CustomStringConvertible {
    /// A column of the input, by name: `received`.
    case column(String)
    /// A constant: `2020`, `12.5`, `"宁夏"`, `true`, `null`.
    case literal(Value)
    /// `-x` or `not x`.
    case unary(UnaryOperator, Expr)
    /// `a + b`, `a == b`, `a and b`, …
    case binary(BinaryOperator, Expr, Expr)
    /// `x is null` / `x is not null`.
    case isNull(Expr, negated: Bool)
    /// `x in [a, b]` / `x not in [a, b]` (SQL semantics: null when no match and a null is listed).
    case inList(Expr, [Expr], negated: Bool)
    /// A scalar function: `contains(name, "局")`.
    case call(ScalarFunction, [Expr])
    /// An aggregate function, only inside `aggregate {…}`: `sum(received)`; `count()` counts rows.
    case aggregate(AggregateFunction, [Expr])
    /// A window function, only inside `window {…}`: `lag(received)`.
    case window(WindowFunction, [Expr])
}

/// The two prefix operators.
public enum UnaryOperator: String, Hashable, Sendable {
    /// Arithmetic negation, `-x`.
    case negate = "-"
    /// Boolean negation, `not x` (null stays null).
    case not = "not"
}

/// The infix operators, with the language's spelling as raw value.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    /// Addition (integer if both integer, else decimal).
    case add = "+"
    /// Subtraction.
    case subtract = "-"
    /// Multiplication (exact for decimals).
    case multiply = "*"
    /// Division: always decimal, rounded half-even to 6 places; `x / 0` is null.
    case divide = "/"
    /// Integer division truncating toward zero (integers only); `x // 0` is null.
    case integerDivide = "//"
    /// Remainder with the dividend's sign (integers only); `x % 0` is null.
    case remainder = "%"
    /// Equality (null if either side is null).
    case equal = "=="
    /// Inequality.
    case notEqual = "!="
    /// Less than (text compares byte-wise).
    case less = "<"
    /// Less than or equal.
    case lessEqual = "<="
    /// Greater than.
    case greater = ">"
    /// Greater than or equal.
    case greaterEqual = ">="
    /// Three-valued conjunction.
    case and = "and"
    /// Three-valued disjunction.
    case or = "or"

    /// Binding strength, higher binds tighter (used by the printer and the parser).
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: 4
        case .add, .subtract: 5
        case .multiply, .divide, .integerDivide, .remainder: 6
        }
    }

    /// Whether the operator compares two values and yields a bool.
    public var isComparison: Bool { precedence == 4 }
    /// Whether the operator is arithmetic.
    public var isArithmetic: Bool { precedence >= 5 }
    /// Whether the operator is `and`/`or`.
    public var isLogical: Bool { self == .and || self == .or }
}

/// Scalar functions; the raw value is the name in the language.
public enum ScalarFunction: String, Hashable, Sendable, CaseIterable {
    /// `contains(text, part)`: byte-exact substring test.
    case contains
    /// `starts_with(text, prefix)`.
    case startsWith = "starts_with"
    /// `ends_with(text, suffix)`.
    case endsWith = "ends_with"
    /// `length(text)`: characters (Unicode scalars), so `length("宁夏") == 2`.
    case length
    /// `concat(a, b, …)`: text concatenation; null if any part is null.
    case concat
    /// `coalesce(a, b, …)`: the first non-null argument.
    case coalesce
    /// `if(condition, then, else)`: `else` when the condition is false or null.
    case `if`
    /// `abs(x)`: absolute value.
    case abs
}

/// Aggregate functions; the raw value is the name in the language.
public enum AggregateFunction: String, Hashable, Sendable, CaseIterable {
    /// `count()` counts rows; `count(x)` counts non-null values.
    case count
    /// `count_distinct(x)`: distinct non-null values.
    case countDistinct = "count_distinct"
    /// `sum(x)`: null when there is no non-null value.
    case sum
    /// `avg(x)`: decimal, sum / count rounded like `/`.
    case avg
    /// `min(x)`.
    case min
    /// `max(x)`.
    case max
    /// `median(x)`: `quantile(x, 0.5)`.
    case median
    /// `quantile(x, p)`: linear interpolation between order statistics, exact decimal.
    case quantile
}

/// Window functions; the raw value is the name in the language.
public enum WindowFunction: String, Hashable, Sendable, CaseIterable {
    /// `row_number()`: 1, 2, 3, … within the partition.
    case rowNumber = "row_number"
    /// `rank()`: ties share a rank, gaps follow.
    case rank
    /// `dense_rank()`: ties share a rank, no gaps.
    case denseRank = "dense_rank"
    /// `lag(x[, n])`: the value n rows earlier in the partition (default 1), else null.
    case lag
    /// `lead(x[, n])`: the value n rows later in the partition.
    case lead
    /// `percent_rank()`: (rank − 1) / (rows in the partition − 1), 0 in a partition of one row;
    /// a decimal rounded half-even at six places. With `sort:-x`, 0 is the highest `x`.
    case percentRank = "percent_rank"
    /// `partition_size()`: the rows in the partition (the cohort a rank is out of).
    case partitionSize = "partition_size"
}

/// An expression with an output name: `rate = denied / received`.
public struct NamedExpr: Hashable, Sendable, CustomStringConvertible {
    /// The output column name.
    public var name: String
    /// The expression.
    public var expr: Expr

    /// Creates a named expression.
    public init(_ name: String, _ expr: Expr) {
        self.name = name
        self.expr = expr
    }

    /// `name = expr`, or just `name` for a column kept as is.
    public var description: String {
        if case .column(let c) = expr, c == name { return name }
        return "\(name) = \(expr)"
    }
}

/// One ordering term: a column, ascending unless `descending`; nulls always sort last.
public struct SortKey: Hashable, Sendable, CustomStringConvertible {
    /// The column sorted by.
    public var column: String
    /// Whether larger values come first.
    public var descending: Bool

    /// Creates a sort key.
    public init(_ column: String, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    /// `-col` for descending, `col` otherwise.
    public var description: String { (descending ? "-" : "") + column }
}

// MARK: - Constructors

extension Expr {
    /// An integer literal.
    public static func integer(_ v: Int64) -> Expr { .literal(.integer(v)) }
    /// A decimal literal from text such as `"12.5"` (null if the text is not a number).
    public static func decimal(_ text: String) -> Expr { .literal(Quantity(text).map(Value.decimal) ?? .null) }
    /// A text literal.
    public static func text(_ v: String) -> Expr { .literal(.text(v)) }
    /// A bool literal.
    public static func bool(_ v: Bool) -> Expr { .literal(.bool(v)) }
    /// The null literal.
    public static var null: Expr { .literal(.null) }

    /// `self == other`.
    public func equals(_ other: Expr) -> Expr { .binary(.equal, self, other) }
    /// `self != other`.
    public func notEquals(_ other: Expr) -> Expr { .binary(.notEqual, self, other) }
    /// `self < other`.
    public func less(_ other: Expr) -> Expr { .binary(.less, self, other) }
    /// `self <= other`.
    public func lessOrEqual(_ other: Expr) -> Expr { .binary(.lessEqual, self, other) }
    /// `self > other`.
    public func greater(_ other: Expr) -> Expr { .binary(.greater, self, other) }
    /// `self >= other`.
    public func greaterOrEqual(_ other: Expr) -> Expr { .binary(.greaterEqual, self, other) }
    /// `self and other`.
    public func and(_ other: Expr) -> Expr { .binary(.and, self, other) }
    /// `self or other`.
    public func or(_ other: Expr) -> Expr { .binary(.or, self, other) }

    /// `a + b`.
    public static func + (a: Expr, b: Expr) -> Expr { .binary(.add, a, b) }
    /// `a - b`.
    public static func - (a: Expr, b: Expr) -> Expr { .binary(.subtract, a, b) }
    /// `a * b`.
    public static func * (a: Expr, b: Expr) -> Expr { .binary(.multiply, a, b) }
    /// `a / b` (decimal division).
    public static func / (a: Expr, b: Expr) -> Expr { .binary(.divide, a, b) }
}

// MARK: - Traversal

extension Expr {
    /// The direct sub-expressions.
    public var children: [Expr] {
        switch self {
        case .column, .literal: []
        case .unary(_, let e), .isNull(let e, _): [e]
        case .binary(_, let a, let b): [a, b]
        case .inList(let e, let list, _): [e] + list
        case .call(_, let args), .aggregate(_, let args), .window(_, let args): args
        }
    }

    /// The same node with its children replaced (in `children` order).
    public func replacingChildren(_ new: [Expr]) -> Expr {
        switch self {
        case .column, .literal: self
        case .unary(let op, _): .unary(op, new[0])
        case .isNull(_, let n): .isNull(new[0], negated: n)
        case .binary(let op, _, _): .binary(op, new[0], new[1])
        case .inList(_, _, let n): .inList(new[0], Array(new.dropFirst()), negated: n)
        case .call(let f, _): .call(f, new)
        case .aggregate(let f, _): .aggregate(f, new)
        case .window(let f, _): .window(f, new)
        }
    }

    /// Rewrites bottom-up: children first, then `transform` on the rebuilt node.
    public func transformed(_ transform: (Expr) throws -> Expr) rethrows -> Expr {
        let kids = children
        let node = kids.isEmpty ? self : replacingChildren(try kids.map { try $0.transformed(transform) })
        return try transform(node)
    }

    /// Every column name referenced, in first-appearance order.
    public var columns: [String] {
        var seen = Set<String>(), out: [String] = []
        func walk(_ e: Expr) {
            if case .column(let c) = e, seen.insert(c).inserted { out.append(c) }
            e.children.forEach(walk)
        }
        walk(self)
        return out
    }

    /// Whether an aggregate call occurs anywhere inside.
    public var containsAggregate: Bool {
        if case .aggregate = self { return true }
        return children.contains { $0.containsAggregate }
    }

    /// Whether a window call occurs anywhere inside.
    public var containsWindow: Bool {
        if case .window = self { return true }
        return children.contains { $0.containsWindow }
    }

    /// Renames column references through a mapping (names not in it stay).
    public func renamingColumns(_ map: [String: String]) -> Expr {
        transformed { e in
            if case .column(let c) = e, let n = map[c] { return .column(n) }
            return e
        }
    }

    /// Replaces column references by expressions (names not in it stay).
    public func substitutingColumns(_ map: [String: Expr]) -> Expr {
        transformed { e in
            if case .column(let c) = e, let n = map[c] { return n }
            return e
        }
    }

    /// Splits nested `and`s into their conjuncts.
    public var conjuncts: [Expr] {
        if case .binary(.and, let a, let b) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// Joins conjuncts back with `and` (nil for none).
    public static func conjunction(_ parts: [Expr]) -> Expr? {
        guard var e = parts.first else { return nil }
        for p in parts.dropFirst() { e = .binary(.and, e, p) }
        return e
    }
}

// MARK: - Printing

extension Expr {
    /// The expression in pipeline-language syntax (parseable back).
    public var description: String { rendered(parentPrecedence: 0) }

    private func rendered(parentPrecedence: Int) -> String {
        switch self {
        case .column(let c): return Expr.quotedIdentifier(c)
        case .literal(let v): return v.literalText
        case .unary(.negate, let e): return "-" + e.rendered(parentPrecedence: 7)
        case .unary(.not, let e):
            let s = "not " + e.rendered(parentPrecedence: 3)
            return parentPrecedence > 3 ? "(\(s))" : s
        case .binary(let op, let a, let b):
            let p = op.precedence
            let s = a.rendered(parentPrecedence: p) + " \(op.rawValue) " + b.rendered(parentPrecedence: p + 1)
            return p < parentPrecedence ? "(\(s))" : s
        case .isNull(let e, let n):
            let s = e.rendered(parentPrecedence: 5) + (n ? " is not null" : " is null")
            return parentPrecedence > 4 ? "(\(s))" : s
        case .inList(let e, let list, let n):
            let s = e.rendered(parentPrecedence: 5) + (n ? " not in [" : " in [") + list.map(\.description).joined(separator: ", ") + "]"
            return parentPrecedence > 4 ? "(\(s))" : s
        case .call(let f, let args): return f.rawValue + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .aggregate(let f, let args): return f.rawValue + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .window(let f, let args): return f.rawValue + "(" + args.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// A column name as written in the language: bare when it is an identifier, else in backticks.
    public static func quotedIdentifier(_ name: String) -> String {
        guard let first = name.unicodeScalars.first, QueryLexer.isIdentifierStart(first),
              name.unicodeScalars.allSatisfy(QueryLexer.isIdentifierContinue),
              !QueryLexer.keywords.contains(name) else {
            return "`" + name.split(separator: "`", omittingEmptySubsequences: false).joined(separator: "``") + "`"
        }
        return name
    }
}
