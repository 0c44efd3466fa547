/// The parsed, not yet resolved form of a program; every node keeps its span so the
/// binder can point at it.
struct ProgramSyntax {
    var lets: [LetSyntax] = []
    var main: PipelineSyntax?
}

/// `let name = <pipeline>`.
struct LetSyntax {
    var name: SyntaxName
    var pipeline: PipelineSyntax
}

/// A name with the span it was written at.
struct SyntaxName: Hashable {
    var text: String
    var span: QuerySpan
}

/// `from <relation> | step | step …`.
struct PipelineSyntax {
    var source: RelationSyntax
    var steps: [StepSyntax]
    var span: QuerySpan
    /// Whether something before the steps did not parse.
    var hadErrors = false
}

/// What `from`, `join` and `union` read: a table or let name, or a parenthesized pipeline.
indirect enum RelationSyntax {
    case name(SyntaxName)
    case pipeline(PipelineSyntax)

    var span: QuerySpan {
        switch self {
        case .name(let n): n.span
        case .pipeline(let p): p.span
        }
    }
}

/// One `| step`.
struct StepSyntax {
    var kind: StepKind
    var span: QuerySpan
    /// The step keyword's span.
    var keywordSpan: QuerySpan
}

/// `name = expr`, or a bare expression (a column in `select`, a key elsewhere).
struct AssignSyntax {
    var name: SyntaxName?
    var expr: ExprSyntax
}

/// `col` or `-col` in `sort`/`window sort:`.
struct SortSyntax {
    var column: SyntaxName
    var descending: Bool
}

/// `a` or `a == b` in `join`.
struct JoinKeySyntax {
    var left: SyntaxName
    var right: SyntaxName
}

/// The step kinds and their arguments.
enum StepKind {
    case filter(ExprSyntax)
    case derive([AssignSyntax])
    case select([AssignSyntax])
    case group(keys: [SyntaxName], aggregates: [AssignSyntax])
    case aggregate([AssignSyntax])
    case sort([SortSyntax])
    case take(count: Int, offset: Int)
    case join(kind: JoinKind, relation: RelationSyntax, keys: [JoinKeySyntax])
    case union(RelationSyntax)
    case window(partition: [SyntaxName], order: [SortSyntax], items: [AssignSyntax])
    case pivot(keys: [SyntaxName]?, column: SyntaxName, aggregate: ExprSyntax, values: [(Value, QuerySpan)])
    /// A step that did not parse (already reported); `keyword` tells whether it could add columns.
    case invalid(keyword: String)
}

/// An expression with its span.
struct ExprSyntax {
    indirect enum Kind {
        case identifier(String)
        case literal(Value)
        case unary(UnaryOperator, ExprSyntax)
        case binary(BinaryOperator, ExprSyntax, ExprSyntax)
        case isNull(ExprSyntax, negated: Bool)
        case inList(ExprSyntax, [ExprSyntax], negated: Bool)
        case call(SyntaxName, [ExprSyntax])
    }

    var kind: Kind
    var span: QuerySpan
}
