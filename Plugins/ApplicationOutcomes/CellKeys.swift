import Foundation
import GongkaiPluginAPI

/// The canonical keys a plugin reads from every report, and their values in a report, found in
/// one pass over the report's cells.
///
/// Looking up each wanted key in `PluginReport.cells` hashes the key string with the
/// dictionary's SipHash every time (close to two hundred keys per report). Here each cell's key
/// is instead hashed once, from a few eight-byte words of its UTF-8, into a small
/// open-addressing table of the wanted keys, and a candidate is confirmed by comparing the
/// bytes, so the values are exactly those of `report[key]`.
///
/// The host makes every report's cells from one dictionary per template generation, so most
/// reports' dictionaries list the same keys in the same order. The last few orders read are kept
/// (``Layout``): a dictionary that lists it is read by walking both side by side, comparing
/// keys (equal strings sharing storage compare by identity), without hashing any.
struct CellKeys: Sendable {
    /// The wanted keys; a key's position here is its position in ``values(in:)``.
    let keys: [String]
    /// The UTF-8 bytes of every key, one after the other.
    private let bytes: [UInt8]
    /// Key `n`'s bytes are `bytes[starts[n]..<starts[n + 1]]`.
    private let starts: [Int]
    /// Slot → position in `keys`, or -1 for an empty slot.
    private let slots: [Int]
    /// `slots.count - 1` (the table size is a power of two).
    private let mask: Int
    /// The key orders of dictionaries read before.
    private let layouts = Layouts()

    /// Indexes `keys` (distinct canonical keys).
    init(_ keys: [String]) {
        self.keys = keys
        bytes = keys.flatMap { Array($0.utf8) }
        starts = keys.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
        var size = 8
        while size < keys.count * 4 { size *= 2 }
        var slots = Array(repeating: -1, count: size)
        for (n, key) in keys.enumerated() {
            var copy = key
            var s = copy.withUTF8 { Self.hash(UnsafeRawBufferPointer($0)) } & (size - 1)
            while slots[s] != -1 { s = (s + 1) & (size - 1) }
            slots[s] = n
        }
        self.slots = slots
        mask = size - 1
    }

    /// The position of `key` in ``keys``, if it is wanted.
    func position(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { position(ofUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// The value of each of ``keys`` in `cells` (`.null` where absent), in the order of `keys`.
    func values(in cells: [String: PluginValue]) -> [PluginValue] {
        var out = Array(repeating: PluginValue.null, count: keys.count)
        if let layout = layouts.find(cells), layout.read(cells, into: &out) { return out }
        out = Array(repeating: PluginValue.null, count: keys.count)
        var order: [String] = [], positions: [Int] = []
        order.reserveCapacity(cells.count)
        positions.reserveCapacity(cells.count)
        var i = cells.startIndex
        while i != cells.endIndex {
            let key = cells.keys[i]
            let n = position(of: key)
            if let n { out[n] = cells.values[i] }
            order.append(key)
            positions.append(n ?? -1)
            cells.formIndex(after: &i)
        }
        layouts.keep(Layout(keys: order, positions: positions))
        return out
    }

    /// The keys of a dictionary in its order, each with its position in ``keys`` (-1: not wanted).
    private final class Layout: Sendable {
        let keys: [String]
        let positions: [Int]

        init(keys: [String], positions: [Int]) {
            self.keys = keys
            self.positions = positions
        }

        /// Reads the wanted values of `cells` into `out`; false (with `out` partly written)
        /// when `cells` does not list this layout's keys in its order.
        func read(_ cells: [String: PluginValue], into out: inout [PluginValue]) -> Bool {
            guard cells.count == keys.count else { return false }
            var i = cells.startIndex, k = 0
            while i != cells.endIndex {
                guard cells.keys[i] == keys[k] else { return false }
                if positions[k] >= 0 { out[positions[k]] = cells.values[i] }
                cells.formIndex(after: &i)
                k += 1
            }
            return true
        }
    }

    /// The layouts of the last few distinct key orders read, shared by the workers.
    private final class Layouts: @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [Layout] = []
        private var next = 0
        /// Enough for both generations' full templates and a few reports lacking cells.
        private static let capacity = 8

        /// The kept layout most likely to be `cells`' (same count and first key), if any.
        func find(_ cells: [String: PluginValue]) -> Layout? {
            guard let first = cells.keys.first else { return nil }
            lock.lock(); defer { lock.unlock() }
            return kept.first { $0.keys.count == cells.count && $0.keys[0] == first }
        }

        /// Keeps `layout`, replacing the oldest when full.
        func keep(_ layout: Layout) {
            lock.lock(); defer { lock.unlock() }
            if kept.count < Self.capacity { kept.append(layout) } else { kept[next] = layout }
            next = (next + 1) % Self.capacity
        }
    }

    private func position(ofUTF8 key: UnsafeRawBufferPointer) -> Int? {
        var s = Self.hash(key) & mask
        return bytes.withUnsafeBytes { all in
            while true {
                let n = slots[s]
                if n < 0 { return nil }
                if Self.equal(key, UnsafeRawBufferPointer(rebasing: all[starts[n]..<starts[n + 1]])) { return n }
                s = (s + 1) & mask
            }
        }
    }

    /// A multiplicative hash of the length and three eight-byte words (after the first dot-free
    /// stretch, in the middle, at the end) of keys of at least 16 bytes, of every byte of
    /// shorter ones. Keys are alike at the start (`applications.`); a collision only costs a
    /// comparison.
    private static func hash(_ b: UnsafeRawBufferPointer) -> Int {
        let n = b.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        func mix(_ offset: Int) {
            h = (h ^ b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01B3
            h ^= h >> 29
        }
        if n >= 16 {
            mix(min(13, n - 8))
            mix(n / 2 - 4)
            mix(n - 8)
        } else {
            for byte in b { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Whether two byte runs are the same, compared eight bytes at a time.
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var i = 0
        while i + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < a.count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
