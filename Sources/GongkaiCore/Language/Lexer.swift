/// One lexical token of the pipeline language, with its source span.
public struct QueryToken: Hashable, Sendable {
    /// The token classes.
    public enum Kind: Hashable, Sendable {
        /// A name: bare (`received`, `县区`) or backtick-quoted (`` `2020` ``).
        case identifier
        /// An integer literal.
        case integer
        /// A decimal literal (has a `.`).
        case decimal
        /// A string literal; `text` holds the unescaped contents.
        case string
        /// An operator or punctuation; `text` is its spelling.
        case symbol
        /// End of input.
        case end
    }

    /// The class.
    public var kind: Kind
    /// Identifier name, unescaped string contents, number digits or symbol spelling.
    public var text: String
    /// Where the token is.
    public var span: QuerySpan
    /// Whether an identifier was written in backticks (never a keyword).
    public var quoted: Bool = false

    /// Whether this is the symbol `s`.
    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    /// Whether this is the bare (unquoted) word `w`.
    func isWord(_ w: String) -> Bool { kind == .identifier && !quoted && text == w }
}

/// Turns source text into tokens; `#` starts a comment that runs to the end of the line.
///
/// Errors (unterminated strings, stray characters) become diagnostics and lexing goes on.
public struct QueryLexer {
    /// Words that cannot name columns unless written in backticks.
    public static let keywords: Set<String> = ["and", "or", "not", "in", "is", "null", "true", "false", "let"]

    /// Symbols, longest first so `//` wins over `/`.
    static let symbols = ["==", "!=", "<=", ">=", "//", "|", "(", ")", "{", "}", "[", "]", ",", "=", "<", ">", "+", "-", "*", "/", "%", ":", ";"]

    /// Whether a scalar can start a bare identifier (letters of any script, `_`).
    public static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        s == "_" || (s.isASCII ? (("a"..."z").contains(s) || ("A"..."Z").contains(s)) : s.properties.isAlphabetic)
    }

    /// Whether a scalar can continue a bare identifier (adds digits).
    public static func isIdentifierContinue(_ s: Unicode.Scalar) -> Bool {
        isIdentifierStart(s) || ("0"..."9").contains(s)
    }

    /// Tokenizes `source`; the last token is always `.end`.
    public static func tokenize(_ source: String) -> (tokens: [QueryToken], diagnostics: [Diagnostic]) {
        let bytes = Array(source.utf8)
        var tokens: [QueryToken] = [], diags: [Diagnostic] = []
        var i = 0
        func scalar(at p: Int) -> (Unicode.Scalar, Int)? {
            guard p < bytes.count else { return nil }
            var it = bytes[p...].makeIterator()
            var dec = UTF8()
            if case .scalarValue(let s) = dec.decode(&it) { return (s, String(s).utf8.count) }
            return nil
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { i += 1; continue }
            if b == UInt8(ascii: "#") {
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            let start = i
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
                var kind = QueryToken.Kind.integer
                if i + 1 < bytes.count && bytes[i] == UInt8(ascii: ".") && bytes[i + 1] >= UInt8(ascii: "0") && bytes[i + 1] <= UInt8(ascii: "9") {
                    kind = .decimal
                    i += 1
                    while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
                }
                tokens.append(QueryToken(kind: kind, text: String(decoding: bytes[start..<i], as: UTF8.self), span: QuerySpan(start: start, end: i)))
                continue
            }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                let quote = b
                i += 1
                var content: [UInt8] = [], closed = false
                while i < bytes.count {
                    let c = bytes[i]
                    if c == quote { closed = true; i += 1; break }
                    if c == UInt8(ascii: "\n") { break }
                    if c == UInt8(ascii: "\\") && i + 1 < bytes.count {
                        let e = bytes[i + 1]
                        switch e {
                        case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
                        case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t"))
                        default: content.append(e)
                        }
                        i += 2
                        continue
                    }
                    content.append(c)
                    i += 1
                }
                if !closed {
                    diags.append(Diagnostic("unterminated string", span: QuerySpan(start: start, end: i), help: "close it with \(quote == UInt8(ascii: "\"") ? "\"" : "'") on the same line"))
                }
                tokens.append(QueryToken(kind: .string, text: String(decoding: content, as: UTF8.self), span: QuerySpan(start: start, end: i)))
                continue
            }
            if b == UInt8(ascii: "`") {
                i += 1
                var content: [UInt8] = [], closed = false
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") {
                    if bytes[i] == UInt8(ascii: "`") {
                        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "`") { content.append(bytes[i]); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    content.append(bytes[i]); i += 1
                }
                if !closed { diags.append(Diagnostic("unterminated quoted name", span: QuerySpan(start: start, end: i), help: "close it with `")) }
                tokens.append(QueryToken(kind: .identifier, text: String(decoding: content, as: UTF8.self), span: QuerySpan(start: start, end: i), quoted: true))
                continue
            }
            if let (s, len) = scalar(at: i), isIdentifierStart(s) {
                i += len
                while let (t, l) = scalar(at: i), isIdentifierContinue(t) { i += l }
                tokens.append(QueryToken(kind: .identifier, text: String(decoding: bytes[start..<i], as: UTF8.self), span: QuerySpan(start: start, end: i)))
                continue
            }
            if let sym = symbols.first(where: { sym in
                let u = Array(sym.utf8)
                return i + u.count <= bytes.count && Array(bytes[i..<(i + u.count)]) == u
            }) {
                i += sym.utf8.count
                tokens.append(QueryToken(kind: .symbol, text: sym, span: QuerySpan(start: start, end: i)))
                continue
            }
            let len = scalar(at: i)?.1 ?? 1
            let ch = String(decoding: bytes[i..<min(bytes.count, i + len)], as: UTF8.self)
            var help: String? = nil
            if ch == "“" || ch == "”" { help = "use straight quotes \"…\" for text" }
            if ch == "&" { help = "write `and`" }
            if ch == "!" { help = "write `not` (or != for inequality)" }
            diags.append(Diagnostic("unexpected character \"\(ch)\"", span: QuerySpan(start: i, end: i + len), help: help))
            i += len
        }
        tokens.append(QueryToken(kind: .end, text: "", span: QuerySpan(start: bytes.count, end: bytes.count)))
        return (tokens, diags)
    }
}
