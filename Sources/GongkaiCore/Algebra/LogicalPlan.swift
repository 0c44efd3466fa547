/// The logical query plan: a tree of relational operators over named, typed columns.
///
/// The language compiles into it, the optimizer rewrites it, the ``Executor`` runs it and the
/// ``SQLCompiler`` prints it as SQLite SQL. Every node's output ``Schema`` is known before it
/// runs (see ``LogicalPlan/schema()``); row order is kept by every operator except
/// `aggregate`, `pivot` and the right side of `join`.
///
/// ```swift
/// let plan = LogicalPlan.scan("applications", schema)
///     .filter(.column("year").equals(.integer(2020)))
///     .aggregate(keys: ["county"], [NamedExpr("received", .aggregate(.sum, [.column("new_received")]))])
///     .sort([SortKey("received", descending: true)])
///     .take(10)
/// ```
public indirect enum LogicalPlan: Hashable, Sendable {
    /// Reads the listed columns of a catalog table (`from t`); `schema` is the columns read.
    case scan(table: String, schema: Schema)
    /// Keeps rows whose predicate is true (`where`); false and null drop the row.
    case filter(LogicalPlan, predicate: Expr)
    /// Adds or replaces columns, each item seeing the ones before it (`derive`).
    case derive(LogicalPlan, [NamedExpr])
    /// Outputs exactly the listed expressions (`select`).
    case select(LogicalPlan, [NamedExpr])
    /// Groups by key columns and computes aggregate expressions; no keys means one row.
    case aggregate(LogicalPlan, keys: [String], values: [NamedExpr])
    /// Orders rows, stable, nulls last in both directions (`sort`).
    case sort(LogicalPlan, [SortKey])
    /// Keeps `count` rows after skipping `offset` (`take`).
    case take(LogicalPlan, count: Int, offset: Int)
    /// Joins on equal keys; the right key columns are dropped from the output.
    case join(LogicalPlan, LogicalPlan, kind: JoinKind, on: [JoinKey])
    /// All rows of both sides (UNION ALL); the sides must have the same columns.
    case union(LogicalPlan, LogicalPlan)
    /// Appends window-function columns computed per partition in the given order.
    case window(LogicalPlan, partition: [String], order: [SortKey], functions: [NamedExpr])
    /// Spreads one column's values into declared output columns, aggregating per group.
    case pivot(LogicalPlan, PivotSpec)
}

/// The join flavours.
public enum JoinKind: String, Hashable, Sendable {
    /// Only matching pairs.
    case inner
    /// Every left row; right columns null where nothing matches.
    case left
}

/// One equality of a join condition: `left == right`.
public struct JoinKey: Hashable, Sendable, CustomStringConvertible {
    /// Column of the left input.
    public var left: String
    /// Column of the right input.
    public var right: String

    /// Creates a key pair (same name on both sides when `right` is omitted).
    public init(_ left: String, _ right: String? = nil) {
        self.left = left
        self.right = right ?? left
    }

    /// `a` or `a == b`.
    public var description: String { left == right ? left : "\(left) == \(right)" }
}

/// A pivot: group by `keys`, and for each declared value of `column` output one column
/// holding `aggregate` over the rows having that value.
///
/// It is the conditional aggregation
/// `aggregate keys { v = agg(if(column == v, arg, null)) }`, and runs as exactly that.
public struct PivotSpec: Hashable, Sendable {
    /// The group key columns kept in the output.
    public var keys: [String]
    /// The column whose values become output columns.
    public var column: String
    /// The aggregate expression, e.g. `sum(new_received)`; must be a single aggregate call.
    public var aggregate: Expr
    /// The declared output columns: name and the value of `column` it collects.
    public var values: [PivotValue]

    /// Creates a pivot.
    public init(keys: [String], column: String, aggregate: Expr, values: [PivotValue]) {
        self.keys = keys
        self.column = column
        self.aggregate = aggregate
        self.values = values
    }
}

/// One declared pivot output column.
public struct PivotValue: Hashable, Sendable {
    /// Output column name.
    public var name: String
    /// The value of the pivot column it collects.
    public var value: Value

    /// Creates a declared column; the name defaults to the value's text.
    public init(_ value: Value, name: String? = nil) {
        self.value = value
        self.name = name ?? value.description
    }
}

// MARK: - Fluent constructors

extension LogicalPlan {
    /// A scan of all columns in `schema`.
    public static func scan(_ table: String, _ schema: Schema) -> LogicalPlan { .scan(table: table, schema: schema) }
    /// `| where predicate`.
    public func filter(_ predicate: Expr) -> LogicalPlan { .filter(self, predicate: predicate) }
    /// `| derive …`.
    public func derive(_ items: [NamedExpr]) -> LogicalPlan { .derive(self, items) }
    /// `| select …`.
    public func select(_ items: [NamedExpr]) -> LogicalPlan { .select(self, items) }
    /// `| select a, b` for plain columns.
    public func select(columns: [String]) -> LogicalPlan { .select(self, columns.map { NamedExpr($0, .column($0)) }) }
    /// `| group keys (aggregate {…})`.
    public func aggregate(keys: [String] = [], _ values: [NamedExpr]) -> LogicalPlan { .aggregate(self, keys: keys, values: values) }
    /// `| sort …`.
    public func sort(_ keys: [SortKey]) -> LogicalPlan { .sort(self, keys) }
    /// `| take n`.
    public func take(_ count: Int, offset: Int = 0) -> LogicalPlan { .take(self, count: count, offset: offset) }
    /// `| join side:kind right (keys)`.
    public func join(_ right: LogicalPlan, kind: JoinKind = .inner, on keys: [JoinKey]) -> LogicalPlan { .join(self, right, kind: kind, on: keys) }
    /// `| union right`.
    public func union(_ right: LogicalPlan) -> LogicalPlan { .union(self, right) }
    /// `| window by:… sort:… {…}`.
    public func window(partition: [String] = [], order: [SortKey] = [], _ functions: [NamedExpr]) -> LogicalPlan {
        .window(self, partition: partition, order: order, functions: functions)
    }
    /// `| pivot column (aggregate) columns [values]`.
    public func pivot(_ spec: PivotSpec) -> LogicalPlan { .pivot(self, spec) }
}

// MARK: - Traversal

extension LogicalPlan {
    /// The direct inputs.
    public var inputs: [LogicalPlan] {
        switch self {
        case .scan: []
        case .filter(let c, _), .derive(let c, _), .select(let c, _), .aggregate(let c, _, _), .sort(let c, _),
             .take(let c, _, _), .window(let c, _, _, _), .pivot(let c, _): [c]
        case .join(let l, let r, _, _), .union(let l, let r): [l, r]
        }
    }

    /// The same node over new inputs (in `inputs` order).
    public func replacingInputs(_ new: [LogicalPlan]) -> LogicalPlan {
        switch self {
        case .scan: self
        case .filter(_, let p): .filter(new[0], predicate: p)
        case .derive(_, let i): .derive(new[0], i)
        case .select(_, let i): .select(new[0], i)
        case .aggregate(_, let k, let v): .aggregate(new[0], keys: k, values: v)
        case .sort(_, let k): .sort(new[0], k)
        case .take(_, let c, let o): .take(new[0], count: c, offset: o)
        case .window(_, let p, let o, let f): .window(new[0], partition: p, order: o, functions: f)
        case .pivot(_, let s): .pivot(new[0], s)
        case .join(_, _, let k, let on): .join(new[0], new[1], kind: k, on: on)
        case .union: .union(new[0], new[1])
        }
    }

    /// Rewrites bottom-up: inputs first, then `transform` on the rebuilt node.
    public func transformed(_ transform: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        let kids = inputs
        let node = kids.isEmpty ? self : replacingInputs(try kids.map { try $0.transformed(transform) })
        return try transform(node)
    }

    /// Every expression held directly by this node (not its inputs).
    public var expressions: [Expr] {
        switch self {
        case .scan, .sort, .take, .union, .join: []
        case .filter(_, let p): [p]
        case .derive(_, let i), .select(_, let i), .aggregate(_, _, let i), .window(_, _, _, let i): i.map(\.expr)
        case .pivot(_, let s): [s.aggregate]
        }
    }

    /// The same node with every directly held expression rewritten.
    public func mappingExpressions(_ f: (Expr) -> Expr) -> LogicalPlan {
        func named(_ items: [NamedExpr]) -> [NamedExpr] { items.map { NamedExpr($0.name, f($0.expr)) } }
        switch self {
        case .scan, .sort, .take, .union, .join: return self
        case .filter(let c, let p): return .filter(c, predicate: f(p))
        case .derive(let c, let i): return .derive(c, named(i))
        case .select(let c, let i): return .select(c, named(i))
        case .aggregate(let c, let k, let i): return .aggregate(c, keys: k, values: named(i))
        case .window(let c, let p, let o, let i): return .window(c, partition: p, order: o, functions: named(i))
        case .pivot(let c, var s): s.aggregate = f(s.aggregate); return .pivot(c, s)
        }
    }

    /// The operator's name as shown by `explain`.
    public var operatorName: String {
        switch self {
        case .scan: "scan"
        case .filter: "filter"
        case .derive: "derive"
        case .select: "select"
        case .aggregate: "aggregate"
        case .sort: "sort"
        case .take: "take"
        case .join: "join"
        case .union: "union"
        case .window: "window"
        case .pivot: "pivot"
        }
    }
}
