/// Text helpers shared by the readers and the matcher: whitespace that real reports use
/// (NBSP, ideographic space) and the label normal form the matcher compares.
enum TextNormalization {
    /// Whitespace as reports print it: ASCII, NBSP, ideographic space, zero-width characters.
    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0x200B, 0x200C, 0x200D, 0xFEFF, 0x2002...0x200A, 0x202F, 0x205F:
            return true
        default:
            return false
        }
    }

    /// The label normal form: no whitespace, full-width ASCII folded to half-width
    /// (`（一）` → `(一)`, `１` → `1`), a few look-alike marks unified.
    static func label(_ text: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isSpace(s) { continue }
            out.append(fold(s))
        }
        return String(out)
    }

    /// Folds one scalar: full-width forms to ASCII, look-alike dots and colons.
    @inline(__always)
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
        switch v {
        case 0x2212, 0x2013, 0x2014, 0x2015, 0xFE63: return "-"   // minus and dashes
        case 0x00B7, 0x2027, 0x30FB: return "."                      // middle dots used as item dots
        default: return s
        }
    }

    /// Collapses runs of whitespace to one ASCII space and trims both ends.
    static func collapseSpaces(_ text: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in text.unicodeScalars {
            if isSpace(s) { pendingSpace = !out.isEmpty; continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(s)
        }
        return String(out)
    }
}
