import Foundation
import Testing
@testable import GongkaiCore
@testable import GongkaiSession

/// Generated corpus → ingest → queries whose answers are the sums of the truth files.
@Suite("End to end", .serialized)
struct EndToEndTests {
    @Test("gen, ingest, re-ingest unchanged, and query totals equal the truth files' sums")
    func totalsMatchTruth() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = SyntheticCorpus(seed: 42)
        try corpus.write(count: 240, to: dir.path)
        let session = try Session(workspace: dir.appendingPathComponent("w.db").path)
        let first = try Ingester(jobs: 2).ingest([dir.path], into: session.workspace)
        #expect(first.ingested == 240 && first.failures.isEmpty, "\(first.failures.prefix(3))")
        let second = try Ingester(jobs: 2).ingest([dir.path], into: session.workspace)
        #expect(second.ingested == 0 && second.unchanged == 240)

        // Sums from the truth files.
        var newReceived = 0, deniedByYear: [Int: Int] = [:], reviews = 0, broken = 0
        let truthDir = dir.appendingPathComponent("truth")
        for name in try FileManager.default.contentsOfDirectory(atPath: truthDir.path) {
            let t = try JSONSerialization.jsonObject(with: Data(contentsOf: truthDir.appendingPathComponent(name))) as! [String: Any]
            let cells = t["cells"] as! [String: Any]
            let year = t["year"] as! Int
            newReceived += (cells["applications.new_received.total"] as? Int) ?? 0
            let denied = cells.filter { $0.key.hasPrefix("applications.denied_") && $0.key.hasSuffix(".total") }.reduce(0) { $0 + (($1.value as? Int) ?? 0) }
            deniedByYear[year, default: 0] += denied
            reviews += (cells["reviews.admin_review.total"] as? Int) ?? 0
            if !((t["identity_failures"] as? [Any]) ?? []).isEmpty { broken += 1 }
        }

        func int(_ q: String) throws -> [[DisplayTable.Cell]] { try session.query(q).table.rows }
        #expect(try int("from applications | where applicant == \"total\" | aggregate {n = sum(new_received)}") == [[.integer(Int64(newReceived))]])
        let byYear = try int("from applications | where applicant == \"total\" | group year (aggregate {d = sum(denied_total)}) | sort year")
        #expect(byYear == deniedByYear.keys.sorted().map { [.integer(Int64($0)), .integer(Int64(deniedByYear[$0]!))] })
        #expect(try int("from reviews | where proceeding == \"admin_review\" | aggregate {n = sum(total)}") == [[.integer(Int64(reviews))]])
        #expect(try int("from reports | where failed_checks > 0 | aggregate {n = count()}") == [[.integer(Int64(broken))]])
    }
}
