/// Text from reports comes from the web: it may hold ANSI escapes, control characters and
/// bidirectional marks that would rewrite a terminal or reorder a line. Before text reaches a
/// terminal it passes through here.
public enum SafeText {
    /// The text with control characters shown as `\u{…}`-free placeholders: C0/C1 controls
    /// and DEL become `�`-like visible marks, bidi controls are dropped, tabs and newlines
    /// become spaces (a cell is one line).
    public static func terminal(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0: out.append("\u{FFFD}")
            case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// HTML-escaped text (`<`, `>`, `&`, quotes), also free of control and bidi characters.
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                switch u.value {
                case 0x09, 0x0A, 0x0D: out.unicodeScalars.append(u)
                case 0x00..<0x20, 0x7F, 0x80..<0xA0: out += "\u{FFFD}"
                case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: continue
                default: out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
