import Foundation
import ZIPFoundation

/// A bounds-checked reader of a ZIP archive's central directory.
///
/// ZIPFoundation's `Archive` traps on damaged in-memory archives (out-of-range offsets) and can
/// loop forever on a damaged deflate stream, so entries are located here, with every offset
/// checked, and only inflating is left to ZIPFoundation (`Data.decompress`), fed by a provider
/// that never reads outside the entry and fails instead of returning nothing.
struct ZipDirectory {
    struct Entry {
        var path: String
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeader: Int
    }

    let data: [UInt8]
    let name: String
    private(set) var entries: [Entry] = []

    init(_ data: [UInt8], name: String) throws(IngestError) {
        self.data = data
        self.name = name
        let bad = IngestError(.malformed, "not a DOCX file: \(name) is not a readable ZIP archive")
        // End of central directory: the last 22 bytes plus up to 64 KB of comment.
        var eocd = data.count - 22
        let lowest = max(0, data.count - 22 - 65_535)
        while eocd >= lowest && !(data[eocd] == 0x50 && data[eocd + 1] == 0x4B && data[eocd + 2] == 5 && data[eocd + 3] == 6) {
            eocd -= 1
        }
        guard eocd >= lowest else { throw bad }
        let count = u16(eocd + 10)
        var offset = Int(u32(eocd + 16))
        for _ in 0..<count {
            guard offset + 46 <= data.count, u32(offset) == 0x0201_4B50 else { throw bad }
            let nameLength = u16(offset + 28), extraLength = u16(offset + 30), commentLength = u16(offset + 32)
            guard offset + 46 + nameLength + extraLength + commentLength <= data.count else { throw bad }
            var entry = Entry(path: String(decoding: data[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self),
                              method: UInt16(u16(offset + 10)), crc: u32(offset + 16),
                              compressedSize: Int(u32(offset + 20)), uncompressedSize: Int(u32(offset + 24)),
                              localHeader: Int(u32(offset + 42)))
            readZip64(&entry, extra: offset + 46 + nameLength, length: extraLength)
            entries.append(entry)
            offset += 46 + nameLength + extraLength + commentLength
        }
    }

    private func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
    private func u32(_ at: Int) -> UInt32 {
        UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
    }
    private func u64(_ at: Int) -> Int {
        let low = Int(u32(at)), high = Int(u32(at + 4))
        return high > 0x7FFF ? Int.max : low | high << 32
    }

    /// Reads 64-bit sizes and offset from a ZIP64 extra field where the 32-bit ones are saturated.
    private func readZip64(_ e: inout Entry, extra: Int, length: Int) {
        var i = extra
        while i + 4 <= extra + length {
            let id = u16(i), size = u16(i + 2)
            if id == 1 {
                var f = i + 4
                let end = min(i + 4 + size, extra + length)
                if e.uncompressedSize == 0xFFFF_FFFF && f + 8 <= end { e.uncompressedSize = u64(f); f += 8 }
                if e.compressedSize == 0xFFFF_FFFF && f + 8 <= end { e.compressedSize = u64(f); f += 8 }
                if e.localHeader == 0xFFFF_FFFF && f + 8 <= end { e.localHeader = u64(f) }
                return
            }
            i += 4 + size
        }
    }

    /// The first entry with this path.
    func entry(_ path: String) -> Entry? { entries.first { $0.path == path } }

    /// The entry's uncompressed bytes, checked against its size and CRC-32.
    func contents(of e: Entry, limit: Int) throws(IngestError) -> [UInt8] {
        let damaged = IngestError(.malformed, "not a DOCX file: \(name) has a damaged \(e.path)")
        if e.uncompressedSize > limit {
            throw IngestError(.tooLarge, "\(name): \(e.path) is larger than \(limit >> 20) MB")
        }
        guard e.localHeader >= 0, e.localHeader <= data.count - 30, u32(e.localHeader) == 0x0403_4B50 else { throw damaged }
        let start = e.localHeader + 30 + u16(e.localHeader + 26) + u16(e.localHeader + 28)
        guard e.compressedSize >= 0, start <= data.count, e.compressedSize <= data.count - start else { throw damaged }
        let end = start + e.compressedSize
        switch e.method {
        case 0:
            let out = Array(data[start..<end])
            guard out.count == e.uncompressedSize, Data(out).crc32(checksum: 0) == e.crc else { throw damaged }
            return out
        case 8:
            var out: [UInt8] = []
            out.reserveCapacity(min(e.uncompressedSize, limit))
            var pastEnd = 0
            let source = data, name = self.name
            do {
                let checksum = try Data.decompress(
                    size: Int64(e.compressedSize), bufferSize: 1 << 16, skipCRC32: false,
                    provider: { position, size in
                        // Always hand out exactly `size` bytes (zlib is told that many are there);
                        // past the entry's end: zeros once, then fail rather than loop.
                        let from = start + Int(position)
                        if from >= end {
                            pastEnd += 1
                            if pastEnd > 1 { throw damaged }
                            return Data(count: size)
                        }
                        var chunk = Data(source[from..<min(end, from + size)])
                        if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                        return chunk
                    },
                    consumer: { piece in
                        if out.count + piece.count > limit {
                            throw IngestError(.tooLarge, "\(name): \(e.path) is larger than \(limit >> 20) MB")
                        }
                        out.append(contentsOf: piece)
                    })
                guard checksum == e.crc, out.count == e.uncompressedSize else { throw damaged }
            } catch let error as IngestError {
                throw error
            } catch {
                throw damaged
            }
            return out
        default:
            throw IngestError(.malformed, "not a DOCX file: \(name) stores \(e.path) with unsupported compression method \(e.method)")
        }
    }
}
