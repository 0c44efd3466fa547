// TEMPORARY stub, replaced by the real reader.
public struct PDFReader: DocumentReader {
    public init() {}
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        throw IngestError(.unsupported, "\(source): PDF reader not built yet")
    }
}
