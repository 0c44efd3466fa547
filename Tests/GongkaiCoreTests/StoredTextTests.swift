import GongkaiPluginAPI
import Testing
@testable import GongkaiCore

/// The text forms the store writes for spans and decimals, written byte by byte.
@Suite("Source span text")
struct SourceSpanTextTests {
    @Test("the span's text form, as the store and the JSON export print it")
    func forms() {
        #expect(SourceSpan(line: 12).description == "L12")
        #expect(SourceSpan(line: 12, endLine: 14).description == "L12-14")
        #expect(SourceSpan(line: 12, endLine: 14, byteStart: 300, byteEnd: 420).description == "L12-14 B300-420")
        #expect(SourceSpan(line: 7, byteStart: 0, byteEnd: 9).description == "L7 B0-9")
        #expect(SourceSpan(line: 12, byteStart: 300).description == "L12")
        #expect(SourceSpan(line: 3, endLine: 4, byteStart: 10, byteEnd: 20, page: 2).description == "p2 L3-4 B10-20")
        #expect(SourceSpan(line: 0, endLine: 1_000_000).description == "L0-1000000")
        // Spans hold 32-bit numbers (Int32.min marks an absent one): the extremes they can hold.
        let low = Int(Int32.min) + 1, high = Int(Int32.max)
        let extreme = SourceSpan(line: low, endLine: high, byteStart: low, byteEnd: high, page: low)
        #expect(extreme.description == "p\(low) L\(low)-\(high) B\(low)-\(high)")
    }
}

@Suite("Decimal text")
struct DecimalTextTests {
    @Test("decimals as the store writes them, every digit of the scale kept")
    func forms() {
        #expect(Quantity.decimalText(mantissa: 5000, scale: 4) == "0.5000")
        #expect(Quantity.decimalText(mantissa: -5, scale: 3) == "-0.005")
        #expect(Quantity.decimalText(mantissa: 24252311082, scale: 6) == "24252.311082")
        #expect(Quantity.decimalText(mantissa: 0, scale: 2) == "0.00")
        #expect(Quantity.decimalText(mantissa: -18, scale: 0) == "-18")
        #expect(Quantity.decimalText(mantissa: Int64.min, scale: 19) == "-0.9223372036854775808")
        #expect(Quantity(mantissa: 7_539_443_252, scale: 6).description == "7539.443252")
        #expect(Quantity(mantissa: 1500, scale: 3).description == "1.5")
    }

    @Test("the same text as a plugin value's description, for seeded random mantissas and scales")
    func sameAsPluginValue() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state }
        let edges: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min]
        for i in 0..<3000 {
            let m = i < edges.count * 4 ? edges[i % edges.count] : Int64(bitPattern: next()) >> Int64(next() % 63)
            let s = Int(next() % 22) - 1
            #expect(Quantity.decimalText(mantissa: m, scale: s) == PluginValue.decimal(mantissa: m, scale: s).description, "\(m) scale \(s)")
        }
    }
}
