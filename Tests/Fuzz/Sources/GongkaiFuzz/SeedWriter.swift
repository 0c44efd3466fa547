import Foundation
import GongkaiCore

/// Writes a target's starting corpus: pieces of real files named on the command line (read
/// at fuzz time, never stored in the repository) and of synthetic reports from
/// ``SyntheticCorpus`` (what `gongkai gen` writes), each cut to at most `maxLength` bytes
/// at line boundaries so the tables survive libFuzzer's `-max_len`.
struct SeedWriter {
    let target: FuzzTarget
    let maxLength: Int

    /// Writes the seeds into `dir`; `files` are real reports, notebooks or docs. Returns how
    /// many were written.
    func write(to dir: String, from files: [String]) throws -> Int {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var count = 0
        for seed in seeds(files) where !seed.isEmpty {
            count += 1
            let path = (dir as NSString).appendingPathComponent(String(format: "seed-%@-%04d", target.rawValue, count))
            try Data(seed).write(to: URL(fileURLWithPath: path))
        }
        return count
    }

    /// The seeds for the target.
    func seeds(_ files: [String]) -> [[UInt8]] {
        let synthetic = SyntheticCorpus(seed: 20_240_601).reports(count: 48)
        func generated(_ layouts: Set<SyntheticCorpus.Layout>) -> [String] {
            synthetic.filter { layouts.contains($0.layout) }.map { $0.render() }
        }
        func real(_ extensions: Set<String>) -> [[UInt8]] {
            files.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
        }
        switch target {
        case .text:
            return (real(["txt"]) + generated([.pdftext, .flat]).map { Array($0.utf8) }).flatMap(windows)
        case .markdown:
            return (real(["md", "txt"]) + generated([.markdown]).map { Array($0.utf8) }).flatMap(windows)
        case .html:
            return (real(["html", "htm"]) + generated([.html]).map { Array($0.utf8) }).flatMap(windows)
        case .docx:
            let xml = generated([.pdftext]).flatMap { WordXML.documents(fromText: $0, maxLength: maxLength) }
            return real(["docx"]) + WordXML.samples + xml
        case .report:
            let texts = real(["txt", "md", "html", "htm"]) + generated(Set(SyntheticCorpus.Layout.allCases)).map { Array($0.utf8) }
            return texts.flatMap(windows).enumerated().map { [UInt8($0.offset % 4)] + $0.element } + real(["docx"]).map { [3] + $0 }
        case .solver:
            return SolverSeeds.make()
        case .query:
            let fenced = real(["md"]).flatMap { QuerySeeds.fencedCells(String(decoding: $0, as: UTF8.self)) }
            return (QuerySeeds.samples + fenced).map { Array($0.utf8) }
        case .notebook:
            return real(["md"]) + QuerySeeds.notebooks.map { Array($0.utf8) }  // libFuzzer keeps the first max_len bytes
        }
    }

    /// Overlapping pieces of at most `maxLength` bytes, cut after a newline, each starting
    /// half a piece after the previous one.
    func windows(_ bytes: [UInt8]) -> [[UInt8]] {
        guard bytes.count > maxLength else { return [bytes] }
        var out: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            var end = min(bytes.count, start + maxLength)
            if end < bytes.count, let nl = bytes[start..<end].lastIndex(of: 0x0A), nl > start { end = nl + 1 }
            out.append(Array(bytes[start..<end]))
            if end == bytes.count { break }
            var next = start + max(1, (end - start) / 2)
            if let nl = bytes[next..<end].firstIndex(of: 0x0A) { next = nl + 1 }
            start = next
        }
        return out
    }
}
