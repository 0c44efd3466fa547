/// Recursive-descent parser for the pipeline language (grammar in `Docs/query-language.md`).
///
/// ```
/// program   := (let | ";")* pipeline? ";"*
/// let       := "let" name "=" pipeline
/// pipeline  := "from" relation ("|" step)*
/// relation  := name | "(" pipeline ")"
/// step      := "where" expr
///            | "derive" assigns | "select" assigns
///            | "group" keys "(" "aggregate" assigns ")" | "aggregate" assigns
///            | "sort" sortkeys | "take" INT ("offset:" INT)?
///            | "join" ("side:" ("inner"|"left"))? relation "(" joinkey ("," joinkey)* ")"
///            | "union" relation
///            | "window" ("by:" keys)? ("sort:" sortkeys)? assigns
///            | "pivot" ("by:" keys)? name "(" expr ")" "columns" "[" literal ("," literal)* "]"
/// assigns   := "{" assign ("," assign)* ","? "}" | assign ("," assign)*
/// assign    := name "=" expr | expr
/// keys      := name | "{" name ("," name)* "}"
/// sortkeys  := sortkey | "{" sortkey ("," sortkey)* "}"     sortkey := ("-"|"+")? name
/// joinkey   := name ("==" name)?
/// ```
///
/// On an error inside a step the parser records a diagnostic and resumes at the next `|`,
/// so one run reports every broken step.
struct QueryParser {
    private var tokens: [QueryToken]
    private var pos = 0
    private(set) var diagnostics: [Diagnostic] = []

    /// Thrown to unwind to the nearest recovery point after a diagnostic was recorded.
    private struct Failure: Error {}

    static let stepNames = ["where", "derive", "select", "group", "aggregate", "sort", "take", "join", "union", "window", "pivot"]

    init(_ tokens: [QueryToken]) { self.tokens = tokens }

    /// Parses a whole program.
    static func parse(_ source: String) -> (ProgramSyntax, [Diagnostic]) {
        let (tokens, lexDiags) = QueryLexer.tokenize(source)
        var p = QueryParser(tokens)
        let program = p.program()
        return (program, lexDiags + p.diagnostics)
    }

    /// Parses a lone expression (metric definitions).
    static func parseExpression(_ source: String) -> (ExprSyntax?, [Diagnostic]) {
        let (tokens, lexDiags) = QueryLexer.tokenize(source)
        var p = QueryParser(tokens)
        let e = try? p.expression()
        if e != nil, p.peek.kind != .end { p.report("unexpected \(p.peek.describe) after the expression", p.peek.span) }
        return (e, lexDiags + p.diagnostics)
    }

    // MARK: Token helpers

    private var peek: QueryToken { tokens[min(pos, tokens.count - 1)] }
    private func peek(_ k: Int) -> QueryToken { tokens[min(pos + k, tokens.count - 1)] }
    private mutating func advance() -> QueryToken { let t = peek; if pos < tokens.count - 1 { pos += 1 }; return t }
    private var previousEnd: Int { pos > 0 ? tokens[pos - 1].span.end : 0 }

    mutating func report(_ message: String, _ span: QuerySpan, help: String? = nil) {
        diagnostics.append(Diagnostic(message, span: span, help: help))
    }

    private mutating func fail(_ message: String, _ span: QuerySpan? = nil, help: String? = nil) -> Failure {
        // Something missing before the next step or the end is reported where it is missing.
        let missing = peek.kind == .end || peek.isSymbol("|")
        report(message, span ?? (missing ? QuerySpan(start: previousEnd, end: previousEnd) : peek.span), help: help)
        return Failure()
    }

    private mutating func expectSymbol(_ s: String, _ context: String) throws -> QueryToken {
        if peek.isSymbol(s) { return advance() }
        throw fail("expected \"\(s)\" \(context), found \(peek.describe)")
    }

    private mutating func name(_ what: String) throws -> SyntaxName {
        let t = peek
        guard t.kind == .identifier, t.quoted || !QueryLexer.keywords.contains(t.text) else {
            throw fail("expected \(what), found \(t.describe)")
        }
        _ = advance()
        return SyntaxName(text: t.text, span: t.span)
    }

    /// Whether the current token ends a step.
    private var atStepEnd: Bool {
        let t = peek
        return t.kind == .end || t.isSymbol("|") || t.isSymbol(";") || t.isSymbol(")") || t.isWord("let") || t.isWord("from")
    }

    /// Skips to the next `|`, `;`, `let` or closing `)` at the current nesting depth.
    private mutating func recover() {
        var depth = 0
        while peek.kind != .end {
            let t = peek
            if depth == 0 && (t.isSymbol("|") || t.isSymbol(";") || t.isWord("let") || t.isWord("from") || t.isSymbol(")")) { return }
            if t.isSymbol("(") || t.isSymbol("{") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("}") || t.isSymbol("]") { depth -= 1 }
            _ = advance()
        }
    }

    // MARK: Program and pipelines

    mutating func program() -> ProgramSyntax {
        var prog = ProgramSyntax()
        var lastPos = -1
        while peek.kind != .end {
            // Every round must consume input; a token nothing can start with is skipped.
            if pos == lastPos { _ = advance(); continue }
            lastPos = pos
            if peek.isSymbol(";") { _ = advance(); continue }
            if peek.isWord("let") {
                let letToken = advance()
                do {
                    let n = try name("a name after let")
                    _ = try expectSymbol("=", "after let \(n.text)")
                    if let p = pipeline() { prog.lets.append(LetSyntax(name: n, pipeline: p)) }
                } catch {
                    _ = letToken
                    recover()
                }
                continue
            }
            let start = peek.span
            guard let p = pipeline() else { recover(); if peek.isSymbol(")") { _ = advance() }; continue }
            if prog.main != nil {
                report("a program has one final pipeline; bind earlier ones with let", start, help: "write `let name = from …` or separate statements with a blank line in the REPL")
            } else {
                prog.main = p
            }
            if peek.isSymbol(")") {
                report("unmatched \")\"", peek.span)
                _ = advance()
            }
        }
        return prog
    }

    /// `from relation (| step)*`; nil when the pipeline cannot even start.
    mutating func pipeline() -> PipelineSyntax? {
        let start = peek.span.start
        guard peek.isWord("from") else {
            if peek.kind == .identifier, EditDistance.distance(peek.text, "from") <= 2 {
                report("a pipeline starts with `from <table>`", peek.span, help: "did you mean \"from\"?")
            } else {
                report("a pipeline starts with `from <table>`, found \(peek.describe)", peek.span)
            }
            return nil
        }
        _ = advance()
        let source: RelationSyntax
        do { source = try relation() } catch { recover(); return nil }
        var p = PipelineSyntax(source: source, steps: [], span: QuerySpan(start: start, end: previousEnd))
        if !atStepEnd {
            report("expected \"|\" before the next step, found \(peek.describe)", peek.span)
            recover()
            p.hadErrors = true
        }
        while peek.isSymbol("|") {
            _ = advance()
            let kw = peek
            do {
                let s = try step()
                if !atStepEnd { throw fail("unexpected \(peek.describe) at the end of this step", help: "steps are separated by \"|\"") }
                p.steps.append(s)
            } catch {
                recover()
                p.steps.append(StepSyntax(kind: .invalid(keyword: kw.text), span: QuerySpan(start: kw.span.start, end: previousEnd), keywordSpan: kw.span))
            }
        }
        p.span = QuerySpan(start: start, end: previousEnd)
        return p
    }

    private mutating func relation() throws -> RelationSyntax {
        if peek.isSymbol("(") {
            let open = advance()
            guard let p = pipeline() else { throw Failure() }
            guard peek.isSymbol(")") else { throw fail("expected \")\" to close the pipeline opened here", open.span) }
            _ = advance()
            return .pipeline(p)
        }
        return .name(try name("a table name or a parenthesized pipeline"))
    }

    // MARK: Steps

    private mutating func step() throws -> StepSyntax {
        let kw = peek
        guard kw.kind == .identifier, !kw.quoted, QueryParser.stepNames.contains(kw.text) else {
            throw fail("unknown step \(kw.describe)", kw.span, help: kw.kind == .identifier
                ? EditDistance.suggestion(for: kw.text, among: QueryParser.stepNames) ?? "steps are: \(QueryParser.stepNames.joined(separator: ", "))"
                : "steps are: \(QueryParser.stepNames.joined(separator: ", "))")
        }
        _ = advance()
        let kind: StepKind
        switch kw.text {
        case "where": kind = .filter(try expression())
        case "derive": kind = .derive(try assigns())
        case "select": kind = .select(try assigns())
        case "aggregate": kind = .aggregate(try assigns())
        case "group":
            let keys = try keyList("group key")
            _ = try expectSymbol("(", "after the group keys (write `group k (aggregate {…})`)")
            guard peek.isWord("aggregate") else { throw fail("expected aggregate inside group (…), found \(peek.describe)") }
            _ = advance()
            let items = try assigns()
            _ = try expectSymbol(")", "to close group (…)")
            kind = .group(keys: keys, aggregates: items)
        case "sort": kind = .sort(try sortKeys())
        case "take":
            let n = try integerLiteral("a row count after take")
            var offset = 0
            while let arg = try namedArgument() {
                guard arg.text == "offset" else { throw fail("take has no option \"\(arg.text)\"", arg.span, help: "write take 10 offset:20") }
                offset = try integerLiteral("a row count after offset:")
            }
            kind = .take(count: n, offset: offset)
        case "join":
            var joinKind = JoinKind.inner
            while let arg = try namedArgument() {
                guard arg.text == "side" else { throw fail("join has no option \"\(arg.text)\"", arg.span, help: "write join side:left t (key)") }
                let v = try name("inner or left after side:")
                guard let k = JoinKind(rawValue: v.text) else { throw fail("join side must be inner or left, not \"\(v.text)\"", v.span) }
                joinKind = k
            }
            let rel = try relation()
            _ = try expectSymbol("(", "before the join keys (write join t (key))")
            var keys: [JoinKeySyntax] = []
            repeat {
                if peek.isSymbol("==") { _ = advance() }
                let l = try name("a join key column")
                if peek.isSymbol("==") {
                    _ = advance()
                    keys.append(JoinKeySyntax(left: l, right: try name("the right join key column")))
                } else {
                    keys.append(JoinKeySyntax(left: l, right: l))
                }
            } while try consumeComma()
            _ = try expectSymbol(")", "to close the join keys")
            kind = .join(kind: joinKind, relation: rel, keys: keys)
        case "union": kind = .union(try relation())
        case "window":
            var partition: [SyntaxName] = [], order: [SortSyntax] = []
            while let arg = try namedArgument() {
                switch arg.text {
                case "by": partition = try keyList("partition key")
                case "sort": order = try sortKeys()
                default: throw fail("window has no option \"\(arg.text)\"", arg.span, help: "options are by: and sort:")
                }
            }
            kind = .window(partition: partition, order: order, items: try assigns())
        default: // pivot
            var keys: [SyntaxName]? = nil
            while let arg = try namedArgument() {
                guard arg.text == "by" else { throw fail("pivot has no option \"\(arg.text)\"", arg.span, help: "write pivot by:{a, b} col (sum(x)) columns [...]") }
                keys = try keyList("pivot key")
            }
            let column = try name("the column to pivot")
            _ = try expectSymbol("(", "before the pivot's aggregate (write pivot col (sum(x)) columns [...])")
            let agg = try expression()
            _ = try expectSymbol(")", "after the pivot's aggregate")
            guard peek.isWord("columns") else { throw fail("expected columns [...] listing the pivot's output values, found \(peek.describe)") }
            _ = advance()
            _ = try expectSymbol("[", "after columns")
            var values: [(Value, QuerySpan)] = []
            repeat {
                if peek.isSymbol("]") { break }
                let e = try unary()
                guard case .literal(let v) = e.kind else {
                    if case .unary(.negate, let inner) = e.kind, case .literal(let v) = inner.kind, let q = v.quantity {
                        values.append((v.type == .integer ? .integer(-(q.intValue.map(Int64.init) ?? 0)) : .decimal((try? q.negated()) ?? q), e.span))
                        continue
                    }
                    throw fail("pivot columns must be literal values", e.span)
                }
                values.append((v, e.span))
            } while try consumeComma()
            _ = try expectSymbol("]", "to close the pivot columns")
            kind = .pivot(keys: keys, column: column, aggregate: agg, values: values)
        }
        return StepSyntax(kind: kind, span: QuerySpan(start: kw.span.start, end: previousEnd), keywordSpan: kw.span)
    }

    /// `name:` if present.
    private mutating func namedArgument() throws -> SyntaxName? {
        guard peek.kind == .identifier, !peek.quoted, peek(1).isSymbol(":") else { return nil }
        let t = advance()
        _ = advance()
        return SyntaxName(text: t.text, span: t.span)
    }

    private mutating func consumeComma() throws -> Bool {
        if peek.isSymbol(",") { _ = advance(); return true }
        return false
    }

    private mutating func integerLiteral(_ what: String) throws -> Int {
        let t = peek
        guard t.kind == .integer, let n = Int(t.text) else { throw fail("expected \(what), found \(t.describe)") }
        _ = advance()
        return n
    }

    private mutating func keyList(_ what: String) throws -> [SyntaxName] {
        guard peek.isSymbol("{") else { return [try name("a \(what)")] }
        _ = advance()
        var out: [SyntaxName] = []
        while !peek.isSymbol("}") {
            out.append(try name("a \(what)"))
            if !(try consumeComma()) { break }
        }
        _ = try expectSymbol("}", "to close the \(what) list")
        return out
    }

    private mutating func sortKey() throws -> SortSyntax {
        var desc = false
        if peek.isSymbol("-") { _ = advance(); desc = true } else if peek.isSymbol("+") { _ = advance() }
        return SortSyntax(column: try name("a column to sort by"), descending: desc)
    }

    private mutating func sortKeys() throws -> [SortSyntax] {
        guard peek.isSymbol("{") else {
            var out = [try sortKey()]
            while try consumeComma() { out.append(try sortKey()) }
            return out
        }
        _ = advance()
        var out: [SortSyntax] = []
        while !peek.isSymbol("}") {
            out.append(try sortKey())
            if !(try consumeComma()) { break }
        }
        _ = try expectSymbol("}", "to close the sort keys")
        return out
    }

    private mutating func assign() throws -> AssignSyntax {
        if peek.kind == .identifier, peek(1).isSymbol("=") {
            let n = try name("a column name")
            _ = advance()
            return AssignSyntax(name: n, expr: try expression())
        }
        return AssignSyntax(name: nil, expr: try expression())
    }

    private mutating func assigns() throws -> [AssignSyntax] {
        guard peek.isSymbol("{") else {
            var out = [try assign()]
            while try consumeComma() { out.append(try assign()) }
            return out
        }
        _ = advance()
        var out: [AssignSyntax] = []
        while !peek.isSymbol("}") {
            out.append(try assign())
            if !(try consumeComma()) { break }
        }
        _ = try expectSymbol("}", "to close the list")
        return out
    }

    // MARK: Expressions

    mutating func expression() throws -> ExprSyntax { try binaryLevel(1) }

    private static func binaryOperator(_ t: QueryToken) -> BinaryOperator? {
        if t.kind == .identifier && !t.quoted { return t.text == "and" ? .and : (t.text == "or" ? .or : nil) }
        guard t.kind == .symbol else { return nil }
        return BinaryOperator(rawValue: t.text)
    }

    private mutating func binaryLevel(_ minPrec: Int) throws -> ExprSyntax {
        var left = peek.isWord("not") ? try notExpr() : try unary()
        var lastWasComparison = false
        while true {
            let t = peek
            if t.isSymbol("=") { throw fail("use == to compare (= names a column in derive/select)", t.span) }
            let postfixStart = t.isWord("is") || t.isWord("in") || (t.isWord("not") && peek(1).isWord("in"))
            if minPrec <= 4 && postfixStart {
                if lastWasComparison { throw fail("comparisons cannot be chained; combine them with and", t.span) }
                left = try postfix(left)
                lastWasComparison = true
                continue
            }
            guard let op = QueryParser.binaryOperator(t), op.precedence >= minPrec else { break }
            if op.isComparison && lastWasComparison { throw fail("comparisons cannot be chained; combine them with and", t.span) }
            _ = advance()
            let right = try binaryLevel(op.precedence + 1)
            left = ExprSyntax(kind: .binary(op, left, right), span: left.span.union(right.span))
            lastWasComparison = op.isComparison
        }
        return left
    }

    private mutating func notExpr() throws -> ExprSyntax {
        let t = advance()
        let inner = try binaryLevel(4)
        return ExprSyntax(kind: .unary(.not, inner), span: t.span.union(inner.span))
    }

    /// `x in [...]`, `x not in [...]`, `x is [not] null`.
    private mutating func postfix(_ e: ExprSyntax) throws -> ExprSyntax {
        if peek.isWord("is") {
            _ = advance()
            var negated = false
            if peek.isWord("not") { _ = advance(); negated = true }
            guard peek.isWord("null") else { throw fail("expected null after is, found \(peek.describe)") }
            let t = advance()
            return ExprSyntax(kind: .isNull(e, negated: negated), span: e.span.union(t.span))
        }
        var negated = false
        if peek.isWord("not") && peek(1).isWord("in") { _ = advance(); negated = true }
        if peek.isWord("in") {
            _ = advance()
            _ = try expectSymbol("[", "after in (write x in [1, 2])")
            var items: [ExprSyntax] = []
            while !peek.isSymbol("]") {
                items.append(try expression())
                if !(try consumeComma()) { break }
            }
            let close = try expectSymbol("]", "to close the in list")
            return ExprSyntax(kind: .inList(e, items, negated: negated), span: e.span.union(close.span))
        }
        return e
    }

    private mutating func unary() throws -> ExprSyntax {
        if peek.isSymbol("-") {
            let t = advance()
            let inner = try unary()
            if case .literal(.integer(let v)) = inner.kind { return ExprSyntax(kind: .literal(.integer(-v)), span: t.span.union(inner.span)) }
            return ExprSyntax(kind: .unary(.negate, inner), span: t.span.union(inner.span))
        }
        return try primary()
    }

    private mutating func primary() throws -> ExprSyntax {
        let t = peek
        switch t.kind {
        case .integer:
            _ = advance()
            guard let v = Int64(t.text) else { throw fail("integer \(t.text) is too large", t.span) }
            return ExprSyntax(kind: .literal(.integer(v)), span: t.span)
        case .decimal:
            _ = advance()
            guard let q = Quantity(t.text) else { throw fail("decimal \(t.text) is too long", t.span) }
            return ExprSyntax(kind: .literal(.decimal(q)), span: t.span)
        case .string:
            _ = advance()
            return ExprSyntax(kind: .literal(.text(t.text)), span: t.span)
        case .identifier:
            if !t.quoted {
                switch t.text {
                case "true", "false": _ = advance(); return ExprSyntax(kind: .literal(.bool(t.text == "true")), span: t.span)
                case "null": _ = advance(); return ExprSyntax(kind: .literal(.null), span: t.span)
                case "and", "or", "not", "in", "is", "let": throw fail("expected an expression, found \(t.describe)")
                default: break
                }
            }
            _ = advance()
            if peek.isSymbol("(") && !t.quoted {
                _ = advance()
                var args: [ExprSyntax] = []
                while !peek.isSymbol(")") {
                    args.append(try expression())
                    if !(try consumeComma()) { break }
                }
                let close = try expectSymbol(")", "to close the call to \(t.text)(…)")
                return ExprSyntax(kind: .call(SyntaxName(text: t.text, span: t.span), args), span: t.span.union(close.span))
            }
            return ExprSyntax(kind: .identifier(t.text), span: t.span)
        case .symbol where t.text == "(":
            _ = advance()
            let e = try expression()
            let close = try expectSymbol(")", "to close the parenthesis")
            return ExprSyntax(kind: e.kind, span: t.span.union(close.span))
        default:
            throw fail("expected an expression, found \(t.describe)")
        }
    }
}

extension QueryToken {
    /// How the token is named in messages: `"foo"`, `number 12`, `end of input`.
    var describe: String {
        switch kind {
        case .end: "end of input"
        case .integer, .decimal: "number \(text)"
        case .string: "text \"\(text)\""
        case .identifier: "\"\(text)\""
        case .symbol: "\"\(text)\""
        }
    }
}
