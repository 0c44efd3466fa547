import GongkaiCore

/// Renders a notebook run as one self-contained HTML file (inline CSS, inline SVG, no
/// scripts, no network) or as Markdown. Deterministic: the same run renders byte-identically.
/// Every string from a report is escaped.
public enum NotebookRenderer {
    static let css = """
    body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
    h1{font-size:1.6em;border-bottom:2px solid #3b6ea5;padding-bottom:.3em}
    .params{color:#555;font-size:.9em}
    pre.code{background:#f5f6f8;border-left:3px solid #3b6ea5;padding:.6em .8em;overflow-x:auto;font-size:.85em}
    table.result{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
    table.result th,table.result td{border:1px solid #d7dbe0;padding:.25em .6em}
    table.result th{background:#eef2f7;text-align:left}
    table.result td.num{text-align:right;font-variant-numeric:tabular-nums}
    table.result td.null{color:#999;font-style:italic;text-align:center}
    .rows{color:#777;font-size:.8em;margin-top:-1em}
    .cards{display:flex;flex-wrap:wrap;gap:1em;margin:.8em 0}
    .card{border:1px solid #d7dbe0;border-radius:6px;padding:.6em 1em;min-width:9em}
    .card .v{font-size:1.6em;font-weight:bold;color:#3b6ea5}.card .k{color:#555;font-size:.85em}
    .caption{color:#555;font-size:.9em;margin:.2em 0 1em}
    .error{background:#fdecea;border-left:3px solid #c0392b;padding:.5em .8em;white-space:pre-wrap;font-family:monospace}
    pre.text{background:#fafafa;padding:.5em;font-size:.85em}
    """

    /// The HTML document.
    public static func html(_ run: NotebookRun) -> String {
        let values = Dictionary(uniqueKeysWithValues: run.parameters.map { ($0.name, $0.value) })
        func text(_ s: String) -> String { Notebook.substituteText(s, values) }
        var h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>\(SafeText.html(run.notebook.title))</title>\n<style>\n\(css)\n</style></head>\n<body>\n"
        h += "<h1>\(SafeText.html(run.notebook.title))</h1>\n"
        if !run.parameters.isEmpty {
            h += "<p class=\"params\">" + run.parameters.map { "\(SafeText.html($0.name)) = \(SafeText.html($0.value.description))" }.joined(separator: " · ") + "</p>\n"
        }
        var cells = run.cells.makeIterator()
        for part in run.notebook.parts {
            switch part {
            case .prose(let p): h += MarkdownLite.html(text(p))
            case .cell:
                guard let c = cells.next() else { continue }
                if c.cell.echo { h += "<pre class=\"code\">\(SafeText.html(c.source))</pre>\n" }
                for o in c.outputs { h += html(o) }
                if let cap = c.cell.options["caption"] { h += "<p class=\"caption\">\(SafeText.html(text(cap)))</p>\n" }
            }
        }
        return h + "</body></html>\n"
    }

    static func html(_ o: CellOutput) -> String {
        switch o {
        case .table(let t): return htmlTable(t)
        case .cards(let t):
            guard let row = t.rows.first else { return htmlTable(t) }
            return "<div class=\"cards\">" + zip(t.columns, row).map { "<div class=\"card\"><div class=\"v\">\(SafeText.html($1.display))</div><div class=\"k\">\(SafeText.html($0))</div></div>" }.joined() + "</div>\n"
        case .chart(let c): return "<figure>" + c.render() + "</figure>\n"
        case .text(let t): return "<pre class=\"text\">\(SafeText.html(t))</pre>\n"
        case .error(let e): return "<div class=\"error\">\(SafeText.html(e))</div>\n"
        }
    }

    /// A result table like the REPL's: numbers right-aligned with separators, null distinct.
    public static func htmlTable(_ t: DisplayTable) -> String {
        let numeric = t.columns.indices.map(t.isNumericColumn)
        var h = "<table class=\"result\"><thead><tr>" + t.columns.map { "<th>\(SafeText.html($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for (i, r) in t.rows.enumerated() {
            h += "<tr>" + r.enumerated().map { j, c in
                if c == .null { return "<td class=\"null\">null</td>" }
                return "<td\(numeric[j] ? " class=\"num\"" : "")>\(SafeText.html(t.display(i, j)))</td>"
            }.joined() + "</tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<p class=\"rows\">" + (t.totalRows > t.rows.count ? "\(t.totalRows) rows, showing \(t.rows.count)" : "\(t.totalRows) row\(t.totalRows == 1 ? "" : "s")") + "</p>\n"
        return h
    }

    /// The Markdown document (charts as inline SVG blocks, which most renderers show).
    public static func markdown(_ run: NotebookRun) -> String {
        let values = Dictionary(uniqueKeysWithValues: run.parameters.map { ($0.name, $0.value) })
        func text(_ s: String) -> String { Notebook.substituteText(s, values) }
        var m = "# \(run.notebook.title)\n\n"
        if !run.parameters.isEmpty { m += run.parameters.map { "`\($0.name)` = \($0.value)" }.joined(separator: " · ") + "\n\n" }
        var cells = run.cells.makeIterator()
        for part in run.notebook.parts {
            switch part {
            case .prose(let p): m += text(p) + "\n\n"
            case .cell:
                guard let c = cells.next() else { continue }
                if c.cell.echo { m += "```\n\(c.source)\n```\n\n" }
                for o in c.outputs {
                    switch o {
                    case .table(let t), .cards(let t):
                        m += TableWriter.markdown(t)
                        m += "\n_\(t.totalRows > t.rows.count ? "\(t.totalRows) rows, showing \(t.rows.count)" : "\(t.totalRows) row\(t.totalRows == 1 ? "" : "s")")_\n\n"
                    case .chart(let ch): m += ch.render() + "\n\n"
                    case .text(let t): m += "```\n\(t)\n```\n\n"
                    case .error(let e): m += "> **Error:** \(e.replacingOccurrences(of: "\n", with: "\n> "))\n\n"
                    }
                }
                if let cap = c.cell.options["caption"] { m += "_\(text(cap))_\n\n" }
            }
        }
        return m
    }
}

/// Just enough Markdown for notebook prose: headings, paragraphs, emphasis, inline code,
/// lists. Everything is escaped first, so prose cannot inject markup.
enum MarkdownLite {
    static func html(_ text: String) -> String {
        var out = ""
        var para: [String] = []
        var list: [String] = []
        func flushPara() {
            if !para.isEmpty { out += "<p>" + inline(para.joined(separator: " ")) + "</p>\n"; para = [] }
        }
        func flushList() {
            if !list.isEmpty { out += "<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>\n"; list = [] }
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flushPara(); flushList(); continue }
            var level = 0
            while level < line.count && line[line.index(line.startIndex, offsetBy: level)] == "#" { level += 1 }
            if level > 0 && level <= 6 && line.dropFirst(level).first == " " {
                flushPara(); flushList()
                out += "<h\(level + 1)>" + inline(String(line.dropFirst(level + 1))) + "</h\(level + 1)>\n"
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushPara()
                list.append(String(line.dropFirst(2)))
            } else {
                flushList()
                para.append(line)
            }
        }
        flushPara(); flushList()
        return out
    }

    static func inline(_ s: String) -> String {
        var t = SafeText.html(s)
        t = replacePairs(t, "**", "<strong>", "</strong>")
        t = replacePairs(t, "`", "<code>", "</code>")
        return t
    }

    static func replacePairs(_ s: String, _ mark: String, _ open: String, _ close: String) -> String {
        let parts = s.components(separatedBy: mark)
        guard parts.count >= 3 else { return s }
        var out = parts[0]
        for (i, p) in parts.dropFirst().enumerated() {
            let isOpen = i % 2 == 0
            if isOpen && i == parts.count - 2 { out += mark + p; continue }
            out += (isOpen ? open : close) + p
        }
        return out
    }
}
