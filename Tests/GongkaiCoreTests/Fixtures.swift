import Foundation
@testable import GongkaiCore

/// Where the shared corpus is: `../shared/corpus` beside the repository.
enum Fixtures {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    /// The truth JSON of a corpus file.
    static func truth(_ name: String) throws -> [String: Any] {
        let url = corpus.appendingPathComponent("truth").appendingPathComponent(name)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// Names of the truth files.
    static var truthFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("truth").path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Parses text given inline (a report the test wrote itself).
    static func parse(text: String, name: String = "inline.txt") throws -> Report {
        try ReportParser().parse(data: Array(text.utf8), source: name)
    }
}
