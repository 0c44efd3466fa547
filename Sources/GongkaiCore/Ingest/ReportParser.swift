import Foundation

/// The front door of ingest: a file (or bytes, or a ``Document``) in, a checked ``Report`` out.
///
/// It picks the reader by content and extension, runs the template matcher, reads the
/// metadata and runs the checks. Errors are ``IngestError``s that name the file and the reason.
public struct ReportParser: Sendable {
    /// Files larger than this are refused before reading (real reports are well under 20 MB).
    /// It is at most ``SourceSpan/largestSource``: spans address bytes and lines in 32 bits.
    public var maxFileSize: Int {
        didSet { maxFileSize = min(maxFileSize, SourceSpan.largestSource) }
    }

    /// Creates a parser (a limit over ``SourceSpan/largestSource`` is lowered to it).
    public init(maxFileSize: Int = 64 << 20) {
        self.maxFileSize = min(maxFileSize, SourceSpan.largestSource)
    }

    /// Reads and parses the file at `path`; a file over ``maxFileSize`` is refused unread.
    public func parse(file path: String) throws(IngestError) -> Report {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw IngestError(.unreadable, "\(path): no such file")
        }
        if isDir.boolValue { throw IngestError(.unreadable, "\(path): is a directory") }
        switch ReportFiles.read(path, limit: maxFileSize) {
        case .success(let bytes): return try parse(data: bytes, source: path)
        case .failure(.tooLarge(let size)): throw tooLarge(path, size: size)
        case .failure(.unreadable): throw IngestError(.unreadable, "\(path): cannot read the file")
        }
    }

    /// Parses a file's bytes; `source` names it in the report and in errors.
    public func parse(data: [UInt8], source: String, format: DocumentFormat? = nil) throws(IngestError) -> Report {
        if data.count > maxFileSize { throw tooLarge(source, size: data.count) }
        let fmt = format ?? Self.detectFormat(data, source: source)
        let doc = try Self.reader(for: fmt).read(data, source: source)
        return try parse(document: doc)
    }

    /// The error for `size` bytes over the limit. Sizes are in MiB with one decimal, rounded
    /// up, so a file just over the limit never reads as equal to it.
    func tooLarge(_ name: String, size: Int) -> IngestError {
        func mb(_ n: Int, whole: Bool) -> String {
            if whole && n % (1 << 20) == 0 { return String(n >> 20) }
            return String(format: "%.1f", (Double(n) / 1_048_576 * 10).rounded(.up) / 10)
        }
        return IngestError(.tooLarge, "\(name): file is \(mb(size, whole: false)) MB, larger than the \(mb(maxFileSize, whole: true)) MB limit")
    }

    /// Parses a document produced by any reader.
    public func parse(document doc: Document) throws(IngestError) -> Report {
        // Every report asks about applications (申请); a document that never says it is not one.
        guard doc.mentions("申请") else {
            throw IngestError(.notAReport, "\(doc.source): not an annual disclosure report: no section 三 (收到和处理政府信息公开申请情况)")
        }
        let stream = AtomStream.build(doc)
        // Room for every block: growing the array as paragraphs came copied it several times.
        var narrative: [Paragraph] = []
        narrative.reserveCapacity(doc.blocks.count)
        for case .paragraph(let p) in doc.blocks { narrative.append(p) }
        let matcher = TemplateMatcher(stream: stream, source: doc.source)
        // Each paragraph's normal form, put together by the atom stream.
        let normalized = stream.paragraphLabels
        let out = try matcher.match(narrativeNumbers: NarrativeFacts.normativeDocumentCounts(normalized: normalized))
        let meta = MetadataReader.read(doc, normalized: normalized)
        let region = RegionResolver.resolve(agency: meta.agency ?? "", text: narrative.prefix(40).map(\.text).joined(separator: "\n"))
        // The checks read the cells before the report is made: checking a report made first
        // copied it.
        let checks = ReportChecks.run(matched: out.ordered, generation: out.generation,
                                      claims: NarrativeFacts.firstClaims(normalized: normalized, topics: ReportChecks.narrativeTopics))
        // The matcher's notes, nearly always none, come first: the checks' findings are
        // taken whole when there are none (appending copies each finding).
        return Report(
            source: doc.source, format: doc.format, generation: out.generation,
            metadata: ReportMetadata(agency: meta.agency, year: meta.year, region: region, title: meta.title),
            cells: out.ordered, uncertain: out.uncertain.sorted { $0.key < $1.key },
            findings: out.notes.isEmpty ? checks : out.notes + checks, narrative: narrative)
    }

    /// The reader for a format.
    public static func reader(for format: DocumentFormat) -> any DocumentReader {
        switch format {
        case .text: return TextReader()
        case .html: return HTMLReader()
        case .pdf: return PDFReader()
        case .docx: return DocxReader()
        }
    }

    /// The format of a file: by its first bytes, then by its extension.
    public static func detectFormat(_ data: [UInt8], source: String) -> DocumentFormat {
        if data.starts(with: Array("%PDF".utf8)) { return .pdf }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .docx }
        switch ReportFiles.pathExtension(source) {
        case "html", "htm", "shtml", "xhtml": return .html
        case "pdf": return .pdf
        case "docx": return .docx
        default: break
        }
        // Markup in the first two kilobytes.
        return containsMarkupTag(data.prefix(2048)) ? .html : .text
    }

    /// Tags that make a file HTML, as lowercase bytes; each starts with `<`.
    private static let markupTags = ["<html", "<!doctype html", "<body", "<table", "<p>", "<p ", "<div", "<meta"].map { Array($0.utf8) }

    /// Whether one of ``markupTags`` occurs in `head`, ASCII letters compared
    /// case-insensitively: every `<` (found by `memchr`) is tried against all the tags, so
    /// the bytes are searched once, not once per tag.
    private static func containsMarkupTag(_ head: ArraySlice<UInt8>) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        return head.withUnsafeBufferPointer { h in
            guard let base = h.baseAddress else { return false }
            var i = 0
            while i < h.count, let p = memchr(base + i, Int32(UInt8(ascii: "<")), h.count - i) {
                i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(p))
                for tag in markupTags where tag.count <= h.count - i {
                    var j = 1
                    while j < tag.count && lower(h[i + j]) == tag[j] { j += 1 }
                    if j == tag.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}

extension Document {
    /// Whether any block's text contains `needle` (a byte search, no normalisation).
    func mentions(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        for block in blocks {
            switch block {
            case .paragraph(let p):
                if p.text.utf8.withContiguousStorageIfAvailable({ RowLabels.firstIndex(of: n, in: $0) != nil }) ?? p.text.containsText(needle) { return true }
            case .table(let t):
                for row in t.rows { for c in row.cells where c.text.containsText(needle) { return true } }
            }
        }
        return false
    }
}
