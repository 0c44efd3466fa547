/// A span as the packed cells list it: a text, and a cheap hash to find repeats by.
protocol PackedSpan: Equatable {
    /// A hash of the span (equal spans, equal hashes); need not be uniform.
    var spanHash: UInt64 { get }
    /// Appends the span as the blob lists it: its text's length (a varint), then the text's
    /// UTF-8 (written in place: through a scratch array, each new span cost a third more).
    func appendListed(to out: inout [UInt8])
}

extension String: PackedSpan {
    var spanHash: UInt64 { UInt64(bitPattern: Int64(hashValue)) }
    func appendListed(to out: inout [UInt8]) { PackedCells.putText(self, &out) }
}

extension SourceSpan: PackedSpan {
    var spanHash: UInt64 {
        func mix(_ h: UInt64, _ v: Int) -> UInt64 { (h ^ (h >> 29)) &* 0x100_0000_01B3 &+ UInt64(bitPattern: Int64(v)) }
        return mix(mix(mix(mix(UInt64(bitPattern: Int64(line)), endLine), byteStart ?? -1), byteEnd ?? -1), page ?? -1)
    }

    /// Appends ``description`` without making a string: the store writes some 80 distinct
    /// spans of every report into its packed cells.
    func appendListed(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SourceSpan.longestText) { text in
            let n = write(into: text)
            PackedCells.putVarint(UInt64(n), &out)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<n]))
        }
    }
}
