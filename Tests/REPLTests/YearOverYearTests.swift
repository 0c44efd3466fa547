import Foundation
import Testing
@testable import GongkaiCore

/// The Comparison plugin's `year_over_year` view, queried through `gongkai query`.
@Suite("Year over year view")
struct YearOverYearTests {
    @Test("pairs an agency's cells with the year before: change and relative change (null on a zero base)")
    func view() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gk-yoy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try REPLTests.report(agency: "固原市统计局", year: 2021, received: 10).write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try REPLTests.report(agency: "固原市统计局", year: 2022, received: 25).write(to: dir.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try REPLTests.report(agency: "银川市统计局", year: 2022, received: 5).write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let ws = dir.appendingPathComponent("w.db").path
        _ = try REPLTests.run([REPLTests.binary, "ingest", "--workspace", ws, dir.path])
        let r = try REPLTests.run([REPLTests.binary, "query", "--workspace", ws, "--format", "csv", """
            from year_over_year | where row in ["new_received", "carried_over"] and col == "total" or row == "licensing"
            | select {agency, year_a, year_b, row, value_a, value_b, change, relative_change} | sort row
            """])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "agency,year_a,year_b,row,value_a,value_b,change,relative_change\r\n"
                + "固原市统计局,2021,2022,carried_over,0,0,0,\r\n"
                + "固原市统计局,2021,2022,licensing,3,3,0,0\r\n"
                + "固原市统计局,2021,2022,new_received,10,25,15,1.5\r\n")
    }
}
