import Testing
@testable import GongkaiCore

/// Cell keys compared in place (``CellKey/equal(_:_:)``) and a report's cells placed by
/// template position (``TemplateCells``): the same answers as `==`, whether or not the keys
/// share the template's strings.
@Suite("Cell keys in place")
struct CellKeyTests {
    /// A key equal to `key` whose strings are built afresh (not the template's storage).
    static func rebuilt(_ key: CellKey) -> CellKey {
        CellKey(key.table, String(decoding: Array(key.row.utf8), as: UTF8.self), String(decoding: Array(key.column.utf8), as: UTF8.self))
    }

    @Test("equal(_:_:) agrees with == on template keys, rebuilt keys and keys that differ in one part")
    func equalAgreesWithEquals() {
        let keys = Template.keys(.v2021)
        let granted = CellKey(.applications, "granted", "natural_person")
        var others = [granted, Self.rebuilt(granted),
                      CellKey(.applications, "granted", "commercial"), CellKey(.applications, "denied", "natural_person"),
                      CellKey(.proactive, "granted", "natural_person"), CellKey(.applications, "granted", "natural_person_")]
        others += keys.prefix(40).map(Self.rebuilt)
        var compared = 0
        for a in keys.prefix(40) + others {
            for b in keys.prefix(40) + others {
                let inPlace = withUnsafePointer(to: a) { pa in withUnsafePointer(to: b) { pb in CellKey.equal(pa, pb) } }
                #expect(inPlace == (a == b), "\(a) vs \(b)")
                compared += 1
            }
        }
        #expect(compared == 86 * 86)
    }

    @Test("a report's cells are placed alike whether their keys are the template's or rebuilt, in order or not")
    func placementIgnoresStorage() {
        let keys = Template.keys(.v2021)
        let cells = keys.enumerated().map { Cell(key: $0.element, value: .number(Quantity(mantissa: Int64($0.offset))), raw: "\($0.offset)", span: nil) }
        var rebuilt = cells.map { Cell(key: Self.rebuilt($0.key), value: $0.value, raw: $0.raw, span: nil) }
        rebuilt.swapAt(3, 7)
        rebuilt.append(Cell(key: CellKey(.applications, "not_a_row", "natural_person"), value: .blank, raw: "", span: nil))
        let a = TemplateCells(cells, generation: .v2021)
        let b = TemplateCells(rebuilt, generation: .v2021)
        for p in keys.indices {
            #expect(a.index(atPosition: p) == p)
            #expect(b.index(atPosition: p) == (p == 3 ? 7 : p == 7 ? 3 : p))
        }
        #expect(b.index(of: CellKey(.applications, "not_a_row", "natural_person")) == keys.count)
        #expect(a.others.isEmpty)
    }
}
