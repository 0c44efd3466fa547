/// One word as `pdftotext -bbox-layout` placed it on a page (PDF points, y grows downwards).
struct PDFWord: Sendable {
    var text: String
    var xMin: Double
    var yMin: Double
    var xMax: Double
    var yMax: Double
    /// 1-based page number.
    var page: Int
    /// Document-wide index of the pdftotext `<block>` the word came from.
    var block: Int

    var width: Double { xMax - xMin }
    var height: Double { max(yMax - yMin, 0.1) }
    var centerY: Double { (yMin + yMax) / 2 }
}

/// One page of words.
struct PDFPage: Sendable {
    /// 1-based page number.
    var number: Int
    var width: Double
    var height: Double
    var words: [PDFWord]
}

/// A small byte scanner for the XHTML that `pdftotext -bbox-layout` writes: it only needs the
/// `<page>`, `<block>` and `<word>` elements, so a full XML parser is not worth its cost.
enum PDFBBoxParser {
    static func parse(_ bytes: [UInt8]) -> [PDFPage] {
        var pages: [PDFPage] = []
        var block = 0
        var i = 0
        let n = bytes.count
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            var j = i + 1
            while j < n, isNameByte(bytes[j]) { j += 1 }
            let nameStart = i + 1
            let nameLen = j - nameStart
            // The end of the tag.
            var tagEnd = j
            while tagEnd < n, bytes[tagEnd] != UInt8(ascii: ">") { tagEnd += 1 }
            if tagEnd >= n { break }
            if matches(bytes, nameStart, nameLen, "page") {
                let attrs = attributes(bytes, j, tagEnd)
                pages.append(PDFPage(number: pages.count + 1, width: attrs["width"] ?? 595, height: attrs["height"] ?? 842, words: []))
                i = tagEnd + 1
            } else if matches(bytes, nameStart, nameLen, "block") {
                block += 1
                i = tagEnd + 1
            } else if matches(bytes, nameStart, nameLen, "word") {
                let attrs = attributes(bytes, j, tagEnd)
                // Text up to `</word>`.
                var k = tagEnd + 1
                while k < n, bytes[k] != UInt8(ascii: "<") { k += 1 }
                let text = decodeEntities(bytes[(tagEnd + 1)..<k])
                i = k
                if pages.isEmpty { pages.append(PDFPage(number: 1, width: 595, height: 842, words: [])) }
                guard let x0 = attrs["xMin"], let y0 = attrs["yMin"], let x1 = attrs["xMax"], let y1 = attrs["yMax"],
                      !text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) else { continue }
                pages[pages.count - 1].words.append(PDFWord(text: text, xMin: x0, yMin: y0, xMax: x1, yMax: y1, page: pages.count, block: block))
            } else {
                i = tagEnd + 1
            }
        }
        return pages
    }

    @inline(__always) private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    private static func matches(_ bytes: [UInt8], _ start: Int, _ len: Int, _ name: StaticString) -> Bool {
        guard len == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<len where bytes[start + k] != p[k] { return false }
        return true
    }

    /// Numeric attributes `name="value"` between `from` and `to`.
    private static func attributes(_ bytes: [UInt8], _ from: Int, _ to: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        var i = from
        while i < to {
            while i < to, !isNameByte(bytes[i]) { i += 1 }
            let ns = i
            while i < to, isNameByte(bytes[i]) { i += 1 }
            let name = String(decoding: bytes[ns..<i], as: UTF8.self)
            while i < to, bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < to, bytes[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < to, bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < to, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { continue }
            let quote = bytes[i]
            i += 1
            let vs = i
            while i < to, bytes[i] != quote { i += 1 }
            if let v = Double(String(decoding: bytes[vs..<i], as: UTF8.self)) { out[name] = v }
            i += 1
        }
        return out
    }

    /// Decodes the five XML entities and numeric character references.
    static func decodeEntities(_ raw: ArraySlice<UInt8>) -> String {
        let s = String(decoding: raw, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semi = after.firstIndex(of: ";"), after.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = after[after.index(after: amp)..<semi]
            var decoded: String?
            switch entity {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    if let v = UInt32(entity.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { decoded = String(u) }
                } else if entity.hasPrefix("#") {
                    if let v = UInt32(entity.dropFirst()), let u = Unicode.Scalar(v) { decoded = String(u) }
                }
            }
            if let d = decoded {
                out += d
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        out += rest
        return out
    }
}
