/// Writes a ``DisplayTable`` in the output modes of the REPL and the CLI.
public enum TableWriter {
    /// Output modes.
    public enum Mode: String, Sendable, CaseIterable {
        /// Box-drawn table aligned by display width (CJK = 2 columns).
        case table
        /// Comma-separated values (RFC 4180).
        case csv
        /// An array of JSON objects.
        case json
        /// A Markdown pipe table.
        case markdown
        /// One `column = value` line per cell, a blank line between rows.
        case line
    }

    /// Renders in a mode. `width` fits wide tables to the terminal (table mode only).
    public static func render(_ t: DisplayTable, mode: Mode, width: Int = 120, color: Bool = false, bom: Bool = false) -> String {
        switch mode {
        case .table: return box(t, width: width, color: color)
        case .csv: return (bom ? "\u{FEFF}" : "") + csv(t)
        case .json: return json(t)
        case .markdown: return markdown(t)
        case .line: return line(t)
        }
    }

    /// A box table. Numbers right-aligned; null dim (or shown as `null` without colour).
    /// Columns are narrowed with `…` when the table is wider than `width`.
    public static func box(_ t: DisplayTable, width: Int = 120, color: Bool = false) -> String {
        let n = t.columns.count
        guard n > 0 else { return "(no columns)\n" }
        let numeric = (0..<n).map(t.isNumericColumn)
        let cells = t.rows.indices.map { r in (0..<n).map { SafeText.terminal(t.display(r, $0)) } }
        let headers = t.columns.map(SafeText.terminal)
        var widths = (0..<n).map { j in max(DisplayWidth.of(headers[j]), cells.map { DisplayWidth.of($0[j]) }.max() ?? 0) }
        // Fit: shrink the widest columns until the table fits (never below 6).
        let frame = 3 * n + 1
        while widths.reduce(0, +) + frame > width, let j = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[j] > 6 {
            widths[j] -= 1
        }
        func fit(_ s: String, _ w: Int) -> String {
            guard DisplayWidth.of(s) > w else { return s }
            var out = "", used = 0
            for u in s.unicodeScalars {
                let cw = DisplayWidth.of(u)
                if used + cw > w - 1 { break }
                out.unicodeScalars.append(u)
                used += cw
            }
            return out + "…"
        }
        let dim = color ? "\u{1B}[2m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r
        }
        var lines = [rule("┌", "┬", "┐")]
        lines.append("│" + (0..<n).map { j in " " + bold + DisplayWidth.pad(fit(headers[j], widths[j]), to: widths[j], right: numeric[j]) + reset + " " }.joined(separator: "│") + "│")
        lines.append(rule("├", "┼", "┤"))
        for (r, row) in cells.enumerated() {
            lines.append("│" + (0..<n).map { j in
                let s = DisplayWidth.pad(fit(row[j], widths[j]), to: widths[j], right: numeric[j])
                return " " + (t.rows[r][j] == .null ? dim + s + reset : s) + " "
            }.joined(separator: "│") + "│")
        }
        lines.append(rule("└", "┴", "┘"))
        if t.totalRows > t.rows.count {
            lines.append("\(t.totalRows) rows, showing \(t.rows.count)")
        } else {
            lines.append(t.totalRows == 1 ? "1 row" : "\(t.totalRows) rows")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV; null is an empty field.
    public static func csv(_ t: DisplayTable) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = t.columns.map(field).joined(separator: ",") + "\r\n"
        for r in t.rows { out += r.map { field($0.plain) }.joined(separator: ",") + "\r\n" }
        return out
    }

    /// A JSON array of objects (numbers exact, null as null).
    public static func json(_ t: DisplayTable) -> String {
        var w = JSONWriter()
        w.beginArray()
        for r in t.rows {
            w.beginObject()
            for (j, c) in r.enumerated() {
                switch c {
                case .null: w.raw(t.columns[j], "null")
                case .integer(let i): w.raw(t.columns[j], String(i))
                case .decimal(let s): w.raw(t.columns[j], s)
                case .bool(let b): w.raw(t.columns[j], b ? "true" : "false")
                case .text(let s): w.string(t.columns[j], s)
                }
            }
            w.endObject()
        }
        w.endArray()
        return w.output + "\n"
    }

    /// A Markdown pipe table (pipes in text escaped).
    public static func markdown(_ t: DisplayTable) -> String {
        func cell(_ s: String) -> String { SafeText.terminal(s).replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + t.columns.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + (0..<t.columns.count).map { t.isNumericColumn($0) ? "---:|" : "---|" }.joined() + "\n"
        for r in t.rows.indices { out += "| " + t.columns.indices.map { cell(t.display(r, $0)) }.joined(separator: " | ") + " |\n" }
        return out
    }

    /// One `name = value` per line.
    public static func line(_ t: DisplayTable) -> String {
        let w = t.columns.map { DisplayWidth.of($0) }.max() ?? 0
        return t.rows.indices.map { r in
            t.columns.indices.map { DisplayWidth.pad(SafeText.terminal(t.columns[$0]), to: w) + " = " + SafeText.terminal(t.display(r, $0)) }.joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }
}
