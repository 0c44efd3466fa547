/// Terminal display width: East Asian wide and fullwidth characters take two columns.
///
/// Tables with Chinese agency names only line up when padding counts columns, not characters.
public enum DisplayWidth {
    /// Columns a scalar occupies (0 for combining marks and zero-width characters).
    @inline(__always)
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x1100 { return 1 }
        switch v {
        case 0x0300...0x036F, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// Columns a string occupies.
    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += of(u) }
        return w
    }

    /// Pads with spaces to `width` columns (left-aligned, or right-aligned for numbers).
    public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let n = max(0, width - of(s))
        let fill = String(repeating: " ", count: n)
        return right ? fill + s : s + fill
    }
}
