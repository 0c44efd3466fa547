import Testing
@testable import GongkaiCore

@Test func engineRunsTheDesignExample() throws {
    let r = try EngineFixtures.query("""
    from applications
    | where year == 2020 and province == "宁夏回族自治区" and applicant == "total"
    | group county (aggregate {received = sum(new_received), denied = sum(denied_total)})
    | derive denial_rate = denied / received
    | sort -denial_rate
    | take 10
    """)
    #expect(r.schema.names == ["county", "received", "denied", "denial_rate"])
    #expect(r.rows == [[vt("兴庆区"), vi(10), vi(2), vd("0.2")], [vt("金凤区"), vi(4), vi(0), vd("0")]])
}
