import Foundation
import GongkaiCore

/// The reader and whole-pipeline targets.
enum ReaderTargets {
    /// Reads the bytes with `reader`; a thrown ``IngestError`` is a valid answer. The document
    /// it returns must be well formed: spans ordered, every table row inside its table.
    static func read(_ reader: some DocumentReader, _ bytes: [UInt8], source: String) {
        guard let doc = try? reader.read(bytes, source: source) else { return }
        check(doc)
    }

    /// The whole pipeline, as `gongkai parse` runs it; the report is also rendered as JSON and
    /// as the summary. The first byte picks the file name's extension (and so the reader when
    /// the content does not decide it).
    static func report(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let ext = ["txt", "md", "html", "docx"][Int(first) % 4]
        let body = Array(bytes.dropFirst())
        guard let report = try? ReportParser().parse(data: body, source: "fuzz.\(ext)") else { return }
        _ = ReportJSON.encode(report)
        _ = ReportSummary.render(report)
    }

    /// A ZIP as given; any other bytes become `word/document.xml` of a stored (uncompressed)
    /// ZIP, so the fuzzer can work on the XML directly instead of on deflate streams.
    static func docxBytes(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0x50, 0x4B]) { return bytes }
        return StoredZip.archive(["word/document.xml": bytes])
    }

    /// Traps when a document breaks the model's invariants (a reader bug the fuzzer should see).
    static func check(_ doc: Document) {
        func span(_ s: SourceSpan, _ what: String) {
            precondition(s.line >= 1 && s.endLine >= s.line, "\(what): lines \(s.line)...\(s.endLine)")
            if let a = s.byteStart, let b = s.byteEnd { precondition(a >= 0 && a <= b, "\(what): bytes \(a)..<\(b)") }
        }
        for block in doc.blocks {
            switch block {
            case .paragraph(let p):
                span(p.span, "paragraph")
            case .table(let t):
                span(t.span, "table")
                for row in t.rows {
                    span(row.span, "row")
                    for cell in row.cells {
                        precondition(cell.column >= 0 && cell.columnSpan >= 1, "cell column \(cell.column) span \(cell.columnSpan)")
                    }
                }
            }
        }
    }
}

/// Writes a minimal ZIP archive with stored (method 0) entries and correct CRC-32s.
enum StoredZip {
    /// The archive bytes for `entries` (path → contents), in path order.
    static func archive(_ entries: [String: [UInt8]]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for s in stride(from: 0, to: 32, by: 8) { a.append(UInt8(v >> UInt32(s) & 0xFF)) } }
        for (path, data) in entries.sorted(by: { $0.key < $1.key }) {
            let name = Array(path.utf8), crc = crc32(data), offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(name.count, &out); u16(0, &out); out += name; out += data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(crc, &central); u32(UInt32(data.count), &central)
            u32(UInt32(data.count), &central); u16(name.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central += name
        }
        let start = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(start, &out); u16(0, &out)
        return out
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (IEEE), as ZIP stores it.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
