import Foundation

/// Column files beside a workspace (`W.db.columns/TABLE.COLUMN.col`): the typed vectors a
/// query loaded, saved so that the next process — a REPL started tomorrow, a notebook run,
/// `gongkai query` in a script — reads them back in milliseconds instead of decoding every
/// row from SQLite again.
///
/// A file is stamped with the workspace's identity and data version and used only while
/// both match (any ingest changes the version), so a snapshot is never stale: at worst it is
/// ignored and rewritten. Files are written to a temporary name and renamed, so a reader
/// never sees half a file; a damaged or foreign file is ignored. Writing is best effort — a
/// read-only directory just means no snapshot.
///
/// Layout (little-endian): `GKCOLS01`, workspace id, data version, type, row count, validity
/// words (or none), the values — integers as `Int64`; decimals as mantissas then scales;
/// bools as bytes; texts as a dictionary (count, then length-prefixed UTF-8 values) and one
/// `Int32` code per row — then `GKCOLEND`.
struct ColumnSnapshot {
    /// Which workspace contents a file belongs to.
    struct Stamp: Equatable {
        /// A random number fixed when the workspace was created.
        var workspace: Int64
        /// The workspace's data version.
        var version: Int64
    }

    /// The directory holding the files.
    let directory: String

    /// The snapshot directory of the workspace at `path`.
    init(workspacePath path: String) { directory = path + ".columns" }

    private static let head = Array("GKCOLS01".utf8), tail = Array("GKCOLEND".utf8)

    private func file(_ table: String, _ column: String) -> String {
        func clean(_ s: String) -> String { String(s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "_" ? Character($0) : "-" }) }
        return directory + "/" + clean(table) + "." + clean(column) + ".col"
    }

    /// The saved column, if a file for exactly these contents and type exists and is whole.
    func read(table: String, column: String, type: DataType, stamp: Stamp) -> ColumnVector? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: file(table, column)), options: .alwaysMapped) else { return nil }
        return data.withUnsafeBytes { raw -> ColumnVector? in
            var r = ByteReader(raw)
            guard r.bytes(8) == Self.head, r.int64() == stamp.workspace, r.int64() == stamp.version,
                  let code = r.uint8(), code == Self.code(type), let n = r.int64().map(Int.init), n >= 0 else { return nil }
            var validity: ValidityBitmap? = nil
            guard let hasValidity = r.uint8() else { return nil }
            if hasValidity == 1 {
                guard let words: [UInt64] = r.array((n + 63) / 64) else { return nil }
                validity = ValidityBitmap(words: words, count: n)
            }
            var column: ColumnVector
            switch type {
            case .integer:
                guard let a: [Int64] = r.array(n) else { return nil }
                column = ColumnVector(.integer(a), validity: validity)
            case .decimal:
                guard let m: [Int64] = r.array(n), let s: [Int64] = r.array(n) else { return nil }
                column = ColumnVector(.decimal((0..<n).map { Quantity(mantissa: m[$0], scale: Int(s[$0])) }), validity: validity)
            case .bool:
                guard let b: [UInt8] = r.array(n) else { return nil }
                column = ColumnVector(.bool(b.map { $0 != 0 }), validity: validity)
            case .text:
                guard let k = r.int64().map(Int.init), k >= 0 else { return nil }
                var values: [String] = []
                values.reserveCapacity(k)
                for _ in 0..<k {
                    guard let len = r.uint32(), let s = r.string(Int(len)) else { return nil }
                    values.append(s)
                }
                guard let codes: [Int32] = r.array(n), !codes.contains(where: { $0 >= k || $0 < -1 }) else { return nil }
                column = ColumnVector(codes: DictionaryCodes(dictionary: TextDictionary(values), codes: codes))
            }
            guard r.bytes(8) == Self.tail, r.atEnd, column.count == n else { return nil }
            return column
        }
    }

    /// Saves a column for these contents (best effort: errors leave no file behind).
    func write(_ column: ColumnVector, table: String, column name: String, stamp: Stamp) {
        var w = ByteWriter()
        w.bytes(Self.head)
        w.int64(stamp.workspace)
        w.int64(stamp.version)
        w.uint8(Self.code(column.type))
        w.int64(Int64(column.count))
        if let v = column.validity { w.uint8(1); w.array(v.words) } else { w.uint8(0) }
        switch column.storage {
        case .integer(let a): w.array(a)
        case .decimal(let a): w.array(a.map(\.mantissa)); w.array(a.map { Int64($0.scale) })
        case .bool(let a): w.array(a.map { $0 ? UInt8(1) : 0 })
        case .text:
            let d = column.dictionaryEncoded().dictionary!
            w.int64(Int64(d.dictionary.values.count))
            for s in d.dictionary.values {
                let u = Array(s.utf8)
                w.uint32(UInt32(u.count))
                w.bytes(u)
            }
            w.array(d.codes)
        }
        w.bytes(Self.tail)
        let fm = FileManager.default
        let target = file(table, name)
        let temporary = target + ".\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(w.out).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, target) != 0 { try? fm.removeItem(atPath: temporary) }
        } catch {
            try? fm.removeItem(atPath: temporary)
        }
    }

    private static func code(_ t: DataType) -> UInt8 {
        switch t {
        case .integer: 0
        case .decimal: 1
        case .text: 2
        case .bool: 3
        }
    }
}

/// Appends fixed-width little-endian values to a byte buffer.
private struct ByteWriter {
    var out: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { out += b }
    mutating func uint8(_ v: UInt8) { out.append(v) }
    mutating func uint32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    mutating func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    /// The elements' bytes as they are in memory (this code runs on little-endian machines).
    mutating func array<T: FixedWidthInteger>(_ a: [T]) { a.withUnsafeBytes { out += $0 } }
}

/// Reads what ``ByteWriter`` wrote; every read returns nil past the end.
private struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var at = 0
    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var atEnd: Bool { at == raw.count }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, raw.count - at >= n else { return nil }
        defer { at += n }
        return Array(raw[at..<at + n])
    }
    mutating func uint8() -> UInt8? { bytes(1)?[0] }
    mutating func uint32() -> UInt32? {
        guard raw.count - at >= 4 else { return nil }
        defer { at += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    mutating func int64() -> Int64? {
        guard raw.count - at >= 8 else { return nil }
        defer { at += 8 }
        return Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self))
    }
    mutating func string(_ n: Int) -> String? {
        guard n >= 0, raw.count - at >= n else { return nil }
        defer { at += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<at + n]), as: UTF8.self)
    }
    /// `n` elements copied out in one move.
    mutating func array<T: FixedWidthInteger>(_ n: Int) -> [T]? {
        let size = n.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard n >= 0, !size.overflow, raw.count - at >= size.partialValue else { return nil }
        defer { at += size.partialValue }
        return [T](unsafeUninitializedCapacity: n) { buf, count in
            UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[at..<at + size.partialValue]))
            count = n
        }
    }
}
