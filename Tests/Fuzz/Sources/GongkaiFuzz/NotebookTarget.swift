import Foundation
import GongkaiCore
import GongkaiNotebook
import GongkaiSession

/// The notebook target: parse (front matter through Yams, fenced cells, options), bind
/// `-p` overrides, substitute parameters, run every cell against a stand-in engine whose
/// results hold hostile report text, and render HTML and Markdown.
///
/// Input: the notebook source, optionally followed by a NUL byte and `name=value` overrides,
/// one per line. The HTML must stay safe whatever the input: no element outside the
/// renderer's own vocabulary, no ANSI escape, no bidi override.
enum NotebookTarget {
    /// Text a report could carry: markup, an ANSI escape, a bidi override, a carriage return.
    static let hostile = ["<script>alert(1)</script>", "\u{1B}[31m红\u{1B}[0m", "abc\u{202E}fed", "a\rb", "<img src=x onerror=y>"]

    /// The elements the HTML renderer and the SVG charts write.
    static let allowedElements: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "h5", "h6", "h7",
        "p", "ul", "li", "strong", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "div", "figure",
        "svg", "rect", "text", "line", "path", "circle", "g", "polyline",
    ]

    /// Runs one input.
    static func run(_ bytes: [UInt8]) {
        let nul = bytes.firstIndex(of: 0) ?? bytes.count
        let source = String(decoding: bytes[..<nul], as: UTF8.self)
        let overrides = nul < bytes.count
            ? String(decoding: bytes[(nul + 1)...], as: UTF8.self).split(separator: "\n").map(String.init) : []
        guard let nb = try? Notebook.parse(source, name: "fuzz.md") else { return }
        let runner = NotebookRunner(runQuery: { query, maxRows in
            QueryOutcome(table: table(for: query, maxRows: maxRows), seconds: 0)
        }, runCommand: { line in
            if line.hasPrefix(".fail") { throw NotebookError("no such command \(line)") }
            return "ran \(line)"
        })
        guard let run = try? runner.run(nb, overrides: overrides, keepGoing: true) else { return }
        let html = NotebookRenderer.html(run)
        _ = NotebookRenderer.markdown(run)
        checkSafe(html)
    }

    /// A stand-in result: the query's first words name the columns (so `#| x:` and `#| y:`
    /// options can match), one text column holds hostile strings, the others numbers and nulls.
    static func table(for query: String, maxRows: Int) -> DisplayTable {
        var columns = ["agency"]
        for w in query.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "|" }).prefix(3) where !columns.contains(String(w)) {
            columns.append(String(w))
        }
        let total = 7
        let rows = (0..<max(0, min(maxRows, total))).map { i -> [DisplayTable.Cell] in
            [.text(hostile[i % hostile.count] + query.prefix(20))] + columns.dropFirst().enumerated().map { j, _ in
                (i + j) % 5 == 4 ? .null : .integer(Int64(i * 37 - j * 1000))
            }
        }
        return DisplayTable(columns: columns, rows: rows, totalRows: total)
    }

    /// Traps when rendered HTML contains an element the renderer never writes, an ANSI escape
    /// or a bidi override: report text got through unescaped.
    static func checkSafe(_ html: String) {
        precondition(!html.unicodeScalars.contains { $0.value == 0x1B || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) },
                     "control or bidi character in notebook HTML")
        let u = Array(html.utf8)
        var i = 0
        while i < u.count {
            defer { i += 1 }
            guard u[i] == UInt8(ascii: "<") else { continue }
            var j = i + 1
            if j < u.count && u[j] == UInt8(ascii: "/") { j += 1 }
            let start = j
            while j < u.count, u[j] == UInt8(ascii: "!") || (u[j] | 0x20 >= UInt8(ascii: "a") && u[j] | 0x20 <= UInt8(ascii: "z")) || (u[j] >= UInt8(ascii: "0") && u[j] <= UInt8(ascii: "9")) {
                j += 1
            }
            let name = String(decoding: u[start..<j], as: UTF8.self).lowercased()
            precondition(allowedElements.contains(name), "unexpected markup <\(name) in notebook HTML")
        }
    }
}
