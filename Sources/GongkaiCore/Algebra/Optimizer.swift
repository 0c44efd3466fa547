/// One rewrite of the logical plan that keeps its meaning and its output schema.
///
/// Rules are small, tested on their own, and can be switched off by leaving them out of an
/// ``Optimizer``.
public protocol OptimizerRule: Sendable {
    /// A short stable name (`predicate_pushdown`), shown by `explain`.
    var name: String { get }
    /// The rewritten plan (the input itself when nothing applies).
    func apply(_ plan: LogicalPlan) -> LogicalPlan
}

/// Applies a list of rules in order, discarding any rewrite that would change the output
/// schema or produce an invalid plan.
///
/// ```swift
/// let fast = Optimizer.default.optimize(plan)
/// let noPushdown = Optimizer.default.disabling("predicate_pushdown")
/// ```
public struct Optimizer: Sendable {
    /// The rules, applied in order.
    public var rules: [any OptimizerRule]

    /// An optimizer with the given rules.
    public init(rules: [any OptimizerRule]) { self.rules = rules }

    /// Constant folding, then predicate pushdown, then projection pruning.
    public static let `default` = Optimizer(rules: [ConstantFolding(), PredicatePushdown(), ProjectionPruning()])

    /// No rules: plans run as written.
    public static let none = Optimizer(rules: [])

    /// The same optimizer without the named rules.
    public func disabling(_ names: String...) -> Optimizer {
        Optimizer(rules: rules.filter { !names.contains($0.name) })
    }

    /// The plan after every rule (each rule's result is kept only if the schema is unchanged).
    public func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        guard let schema = try? plan.schema() else { return plan }
        var current = plan
        for rule in rules {
            let next = rule.apply(current)
            if let s = try? next.schema(), Optimizer.sameShape(s, schema) { current = next }
        }
        return current
    }

    static func sameShape(_ a: Schema, _ b: Schema) -> Bool {
        a.names == b.names && a.fields.map(\.type) == b.fields.map(\.type)
    }
}
