import GongkaiPluginAPI

/// Builds the scalars of a ``ScanText`` straight from the UTF-8 bytes of the paragraphs, into
/// one buffer sized once: each paragraph is decoded in one pass, after a look at its first
/// few scalars that tells whether it is a heading (and so whether a hard break precedes it).
///
/// The rules are those ``ScanText`` documents: layout whitespace dropped (a space kept only
/// between two ASCII letters or digits), full-width ASCII folded, a hard break `\n` after a
/// sentence end, around headings and before table-like lines.
enum ScanTextBuilder {
    /// The scalars and the runs of source lines of the narrative `paragraphs`.
    static func build(_ paragraphs: [PluginReport.Paragraph]) -> (scalars: [Unicode.Scalar], lineRuns: [(start: Int, line: Int)]) {
        // At most a scalar per byte, plus a break or a space per paragraph.
        let capacity = paragraphs.reduce(0) { $0 + $1.text.utf8.count + 1 }
        var runs: [(start: Int, line: Int)] = []
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: capacity) { buffer, count in
            var writer = Writer(buffer: buffer)
            for paragraph in paragraphs {
                var text = paragraph.text
                text.withUTF8 { writer.paragraph($0, span: paragraph.span) }
            }
            count = writer.count
            runs = writer.runs
        }
        return (scalars, runs)
    }

    /// Appends the paragraphs' scalars to a buffer, remembering what joining the next paragraph needs.
    private struct Writer {
        let buffer: UnsafeMutableBufferPointer<Unicode.Scalar>
        var count = 0
        var runs: [(start: Int, line: Int)] = []
        /// The line of the last run (nil before the first scalar).
        private var runLine: Int?
        /// The last scalar of the previous paragraph that had any, and whether it was a heading.
        var previousEnd: Unicode.Scalar?
        var previousIsHeading = false
        /// The first scalars that are not spaces of a paragraph that may be a heading (one more
        /// than a heading may have), reused across paragraphs.
        private var head: [Unicode.Scalar] = []

        init(buffer: UnsafeMutableBufferPointer<Unicode.Scalar>) { self.buffer = buffer }

        mutating func paragraph(_ bytes: UnsafeBufferPointer<UInt8>, span: PluginReport.Span) {
            // The first scalar that is not a space; only one that may open a heading marker
            // (`一、`, `（一）`, `1.`) makes the rest of the heading test worth reading.
            var i = 0
            var first: Unicode.Scalar?
            while i < bytes.count, first == nil {
                let c = ScanTextBuilder.decode(bytes, &i)
                if !ScanText.isSpace(c) { first = c }
            }
            guard let first else { return }
            var heading = false
            let marker = ScanText.fold(first)
            if ScanText.isChineseNumeral(marker) || marker == "(" || ScanText.isDigit(marker) {
                head.removeAll(keepingCapacity: true)
                head.append(first)
                while i < bytes.count, head.count <= 30 {
                    let c = ScanTextBuilder.decode(bytes, &i)
                    if !ScanText.isSpace(c) { head.append(c) }
                }
                heading = head.count <= 30 && ScanText.looksLikeHeading(head)
            }
            var line = span.line
            let lastLine = max(span.endLine, span.line)
            var pendingSpace = true
            // The paragraph's scalars go through locals: a store through the buffer could
            // otherwise alias this writer, whose fields would be reloaded at every scalar.
            let out = buffer
            var n = count, runLine = self.runLine
            func put(_ c: Unicode.Scalar) {
                precondition(n < out.count, "scan text capacity")
                out[n] = c
                if line != runLine {
                    runs.append((n, line))
                    runLine = line
                }
                n += 1
            }
            if let end = previousEnd {
                let hard = ScanText.isSentenceEnd(end) || previousIsHeading || heading || first == "|" || first == "#"
                if hard { put("\n") }
            }
            i = 0
            while i < bytes.count {
                let c = ScanTextBuilder.decode(bytes, &i)
                // Most of a narrative: Chinese characters and punctuation, neither space nor folded.
                if c.value > 0x3000 && c.value < 0xFE63 {
                    pendingSpace = false
                    put(c)
                    continue
                }
                if c == "\n" { line = min(line + 1, lastLine); pendingSpace = true; continue }
                if ScanText.isSpace(c) { pendingSpace = true; continue }
                let folded = ScanText.fold(c)
                if pendingSpace, n > 0, ScanText.isASCIIAlnum(out[n - 1]), ScanText.isASCIIAlnum(folded) { put(" ") }
                pendingSpace = false
                put(folded)
            }
            count = n
            self.runLine = runLine
            previousEnd = out[n - 1]
            previousIsHeading = heading
        }
    }

    /// The scalar whose UTF-8 encoding starts at `i` of `b` (a valid encoding, as a `String`
    /// holds), moving `i` past it.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Unicode.Scalar {
        let b0 = UInt32(b[i])
        if b0 < 0x80 {
            i += 1
            return Unicode.Scalar(UInt8(b0))
        }
        var v: UInt32
        if b0 < 0xE0 {
            v = (b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
            i += 2
        } else if b0 < 0xF0 {
            v = (b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
            i += 3
        } else {
            v = (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
            i += 4
        }
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }
}
