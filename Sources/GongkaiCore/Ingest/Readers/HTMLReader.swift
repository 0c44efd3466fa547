// TEMPORARY stub, replaced by the real reader.
public struct HTMLReader: DocumentReader {
    public init() {}
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        throw IngestError(.unsupported, "\(source): HTML reader not built yet")
    }
}
