import Testing
@testable import GongkaiCore

/// The fast scans over text bytes (UTF-8 check, cells of a line, run starts, vector skips,
/// metadata prefixes and scalars) against plain byte-by-byte or scalar-by-scalar versions,
/// on random mixes of the pieces that trip them: sequences that straddle 8- and 16-byte
/// blocks, E0/ED leads, controls, decomposed and joining scalars.
@Suite("Text scans")
struct TextScanTests {
    /// A small deterministic generator (the tests must not depend on a random seed).
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Bytes made of `count` pieces drawn from `pieces`.
    static func mix(_ pieces: [[UInt8]], count: Int, _ rng: inout LCG) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<count { out += pieces[rng.next(pieces.count)] }
        return out
    }

    static let utf8Pieces: [[UInt8]] = [
        Array("a".utf8), Array("0".utf8), Array("<td>".utf8), Array("abcdefghijklmnopqrstuvwxyz".utf8), [0x09], [0x0A], [0x0D], [0x0C], [0x1B],
        [0x01], [0x7F], [0x0B], Array("中".utf8), Array("文字".utf8), Array("，".utf8), Array("。".utf8),
        [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xC2, 0xA0], [0xC0, 0x80],
        [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0x80], [0xFF], [0xEF, 0xBC, 0x91],
    ]

    /// Strict UTF-8 validity and the control bytes of the first 64 KiB, one byte at a time.
    static func reference(_ bytes: [UInt8]) -> (valid: Bool, controls: Int) {
        let controls = bytes.prefix(65_536).filter { ($0 < 0x20 && ![0x09, 0x0A, 0x0D, 0x0C, 0x1B].contains($0)) || $0 == 0x7F }.count
        return (String(validating: bytes, as: UTF8.self) != nil, controls)
    }

    @Test("the UTF-8 check and control count equal a byte-by-byte check")
    func utf8Check() {
        var rng = LCG(state: 1)
        for round in 0..<4000 {
            // Mostly valid text (a few kinds of pieces), sometimes anything.
            let pieces = round % 3 == 0 ? Self.utf8Pieces : Array(Self.utf8Pieces[0..<16])
            var bytes = Self.mix(pieces, count: 1 + rng.next(60), &rng)
            if round % 7 == 0 { bytes.insert(contentsOf: Array(repeating: Array("文".utf8), count: 9).flatMap { $0 }, at: rng.next(bytes.count)) }
            let (valid, controls) = Self.reference(bytes)
            let sample = min(bytes.count, 65_536)
            do {
                let result = try TextEncoding.rejectBinaryAndCheckUTF8(bytes, what: "t")
                #expect(result == valid, "\(bytes)")
                #expect(controls * 20 <= sample, "\(bytes)")
            } catch {
                #expect(error.kind == .binary)
                #expect(controls * 20 > sample, "\(bytes)")
            }
        }
    }

    @Test("a long file is checked past the 64 KiB sample")
    func utf8LongFile() throws {
        let text = Array(String(repeating: "统计abc\t", count: 7000).utf8)
        #expect(try TextEncoding.rejectBinaryAndCheckUTF8(text, what: "t"))
        #expect(try !TextEncoding.rejectBinaryAndCheckUTF8(text + [0xED, 0xA0, 0x80] + Array("中文".utf8), what: "t"))
    }

    static let linePieces: [String] = ["a", "1", "统计", "，", " ", "  ", "\u{00A0}", "\u{3000}", "\u{200B}", "\t", "\r", "\n", "、", "（一）", "\u{FEFF}", "\u{0B}", "é"]

    /// A run's bounds and plainness worked out scalar by scalar.
    static func referenceRun(_ cell: [UInt8], offset: Int) -> (start: Int, end: Int, plain: Bool) {
        let scalars = Array(String(decoding: cell, as: UTF8.self).unicodeScalars)
        var positions: [Int] = [], at = offset
        for s in scalars { positions.append(at); at += String(s).utf8.count }
        guard let first = scalars.firstIndex(where: { !TextNormalization.isSpace($0) }) else {
            return (at, at, true)
        }
        let last = scalars.lastIndex(where: { !TextNormalization.isSpace($0) })!
        var plain = true, k = first
        while k <= last {
            if TextNormalization.isSpace(scalars[k]) {
                var e = k
                while TextNormalization.isSpace(scalars[e]) { e += 1 }
                if e - k > 1 || scalars[k] != " " { plain = false }
                k = e
            } else { k += 1 }
        }
        return (positions[first], positions[last] + String(scalars[last]).utf8.count, plain)
    }

    @Test("a line's cells are found and trimmed as a split at tabs would")
    func lineCells() {
        var rng = LCG(state: 7)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<rng.next(24) { text += Self.linePieces[rng.next(Self.linePieces.count)] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                var start = 0
                var runs = TrimmedRun.List()
                while start < b.count {
                    let lineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                    runs.removeAll()
                    TrimmedRun.cells(b, from: start, to: lineEnd, into: &runs)
                    var cellStart = start, k = 0
                    for cellEnd in (bytes[start..<lineEnd].indices.filter { bytes[$0] == 0x09 } + [lineEnd]) {
                        let want = Self.referenceRun(Array(bytes[cellStart..<cellEnd]), offset: cellStart)
                        #expect(k < runs.count && runs[k].start == want.start && runs[k].end == want.end && runs[k].plain == want.plain, "\(text.debugDescription) cell \(k)")
                        cellStart = cellEnd + 1
                        k += 1
                    }
                    #expect(runs.count == k)
                    start = lineEnd + 1
                }
            }
        }
    }

    @Test("run starts are the first digit or minus sign, from any byte, even inside a character")
    func runStarts() {
        let pieces = ["统计", "1", "-", "１", "－", "，", "a", " ", "é", "😀", "、", "（", "ｂ"]
        var rng = LCG(state: 3)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<rng.next(20) { text += pieces[rng.next(pieces.count)] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                let t = TextBytes(bytes: b)
                for from in 0...b.count {
                    var want = b.count
                    for i in from..<b.count {
                        let c = b[i]
                        if (c >= 0x30 && c <= 0x39) || c == 0x2D { want = i; break }
                        if c == 0xEF && b[i + 1] == 0xBC && ((0x90...0x99).contains(b[i + 2]) || b[i + 2] == 0x8D) { want = i; break }
                    }
                    #expect(t.nextRunStart(from: from) == want, "\(text.debugDescription) from \(from)")
                }
            }
        }
    }

    @Test("the vector skip stops at the first marked byte, or within 16 bytes of the end")
    func vectorSkip() {
        var rng = LCG(state: 11)
        for _ in 0..<2000 {
            let bytes = (0..<rng.next(80)).map { _ in rng.next(4) == 0 ? UInt8(0x20 + rng.next(0x60)) : UInt8(0x80 + rng.next(0x80)) }
            bytes.withUnsafeBufferPointer { b in
                for from in 0...b.count {
                    let j = ByteSearch.skip(b, from: from) { $0 .< SIMD16<UInt8>(repeating: 0x80) }
                    let first = b[from...].firstIndex { $0 < 0x80 } ?? b.count
                    #expect(j >= from && j <= first)
                    #expect(j == first || j + 16 > b.count)
                }
            }
        }
    }

    @Test("the metadata prefix test on bytes equals the character comparison")
    func plainPrefix() {
        let pieces = ["标题", "标", "题", ":", "：", "关于", "公布", "a", "e", "\u{0301}", "é", "\r", "\n", "\u{F9FE}", "\u{8336}", " ", "\u{200D}", "😀", "\u{1100}", "\u{1161}"]
        var rng = LCG(state: 5)
        for _ in 0..<4000 {
            var text = "", prefix = ""
            for _ in 0..<rng.next(6) { text += pieces[rng.next(pieces.count)] }
            for _ in 0..<(1 + rng.next(3)) { prefix += pieces[rng.next(pieces.count)] }
            if rng.next(2) == 0 { text = prefix + text }
            #expect(TextNormalization.hasPrefix(text, prefix) == text.hasPrefix(prefix), "\(text.debugDescription) \(prefix.debugDescription)")
            let sub = Substring(text)
            #expect(TextNormalization.hasPrefix(sub, prefix) == sub.hasPrefix(prefix))
        }
    }

    @Test("the last scalars before an offset equal those of the window decoded as a string")
    func lastScalars() {
        let pieces = ["统计", "局", "a", "1", "é", "😀", "，", "市"]
        var rng = LCG(state: 9)
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<rng.next(30) { text += pieces[rng.next(pieces.count)] }
            let bytes = Array(text.utf8)
            for end in 0...bytes.count where end == bytes.count || bytes[end] & 0xC0 != 0x80 {
                let window = 1 + rng.next(30), limit = 1 + rng.next(10)
                let want = Array(String(decoding: bytes[max(0, end - window)..<end], as: UTF8.self).unicodeScalars.suffix(limit))
                #expect(MetadataReader.lastScalars(bytes, before: end, window: window, limit: limit) == want, "\(text) \(end) \(window) \(limit)")
            }
        }
    }
}
