import Foundation

extension SyntheticCorpus.Report {
    /// The report's text in its layout.
    public func render() -> String {
        SyntheticRenderer(report: self, amountInYuan: year % 2 == 0).render(layout)
    }

    /// The file name with extension.
    public var file: String { "\(fileName).\(layout.fileExtension)" }

    /// The truth JSON, in the format of the corpus truth files.
    public func truthJSON(seed: UInt64) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("file", file)
        w.string("agency", agency.name)
        w.int("year", year)
        w.string("generation", generation.rawValue)
        w.beginObject("region")
        w.string("province", agency.region.province)
        w.string("city", agency.region.city)
        w.string("county", agency.region.county)
        w.endObject()
        w.beginObject("cells")
        for key in Template.keys(generation) { w.raw(key.description, ReportJSON.value(cells[key] ?? .blank)) }
        w.endObject()
        w.beginArray("uncertain"); w.endArray()
        w.beginArray("identity_failures")
        for f in identityFailures { w.string(nil, f) }
        w.endArray()
        w.beginObject("narrative")
        for k in narrative.keys.sorted() { w.int(k, narrative[k]) }
        w.endObject()
        w.string("notes", "synthetic report written by gongkai gen (seed \(seed), layout \(layout.rawValue))")
        w.endObject()
        return w.output
    }
}

extension SyntheticCorpus {
    /// Writes `count` reports to `directory` and their truth files to `directory/truth`,
    /// a chunk at a time (a large corpus is never held in memory whole).
    public func write(count: Int, to directory: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/truth", withIntermediateDirectories: true)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let failure = LockedBox<Error?>(nil)
        var chunk: [Report] = []
        func flush() throws {
            let all = chunk
            chunk.removeAll(keepingCapacity: true)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: all.count, by: workers) {
                    let r = all[i]
                    do {
                        try Data(r.render().utf8).write(to: URL(fileURLWithPath: directory + "/" + r.file))
                        try Data(r.truthJSON(seed: seed).utf8).write(to: URL(fileURLWithPath: directory + "/truth/" + r.fileName + ".json"))
                    } catch {
                        failure.set(error)
                    }
                }
            }
            if let e = failure.value { throw e }
        }
        try forEachReport(count: count) { r in
            chunk.append(r)
            if chunk.count >= 1024 { try flush() }
        }
        try flush()
    }
}

/// A value shared between threads under a lock.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ v: T) { lock.lock(); stored = v; lock.unlock() }
}
