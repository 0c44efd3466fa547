import Foundation
import Testing
@testable import GongkaiCore

/// ``SourceSpan`` keeps its numbers in 32 bits behind the API it had with `Int`s.
@Suite("Source span")
struct SourceSpanTests {
    /// The span as it was declared before: its synthesized coding is what the span's must be.
    struct WideSpan: Codable, Equatable {
        var line: Int
        var endLine: Int
        var byteStart: Int?
        var byteEnd: Int?
        var page: Int?
    }

    static let samples: [(SourceSpan, WideSpan)] = [
        (SourceSpan(line: 12), WideSpan(line: 12, endLine: 12)),
        (SourceSpan(line: 3, endLine: 9, byteStart: 0, byteEnd: 420), WideSpan(line: 3, endLine: 9, byteStart: 0, byteEnd: 420)),
        (SourceSpan(line: 1, page: 7), WideSpan(line: 1, endLine: 1, page: 7)),
        (SourceSpan(line: 5, byteStart: 64 << 20), WideSpan(line: 5, endLine: 5, byteStart: 64 << 20)),
        (SourceSpan(line: 2, endLine: 4, byteStart: 10, byteEnd: Int(Int32.max), page: 0),
         WideSpan(line: 2, endLine: 4, byteStart: 10, byteEnd: Int(Int32.max), page: 0)),
    ]

    @Test("the fields read back as given; absent ones are nil")
    func fields() {
        for (span, wide) in Self.samples {
            #expect(span.line == wide.line && span.endLine == wide.endLine)
            #expect(span.byteStart == wide.byteStart && span.byteEnd == wide.byteEnd && span.page == wide.page)
        }
        var s = SourceSpan(line: 1, byteStart: 5, byteEnd: 9)
        s.byteStart = nil
        s.page = 3
        s.endLine = 2
        #expect(s.byteStart == nil && s.byteEnd == 9 && s.page == 3 && s.endLine == 2)
        #expect(MemoryLayout<SourceSpan>.size == 20)
    }

    @Test("coding writes and reads what the synthesized coding of the Int fields did")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (span, wide) in Self.samples {
            let json = try encoder.encode(span)
            #expect(String(decoding: json, as: UTF8.self) == String(decoding: try encoder.encode(wide), as: UTF8.self))
            #expect(try JSONDecoder().decode(SourceSpan.self, from: try encoder.encode(wide)) == span)
            #expect(try JSONDecoder().decode(WideSpan.self, from: json) == wide)
        }
        // Optional ones left out.
        #expect(String(decoding: try encoder.encode(SourceSpan(line: 4, byteEnd: 8)), as: UTF8.self) == #"{"byteEnd":8,"endLine":4,"line":4}"#)
    }

    @Test("decoding a number beyond 32 bits or a missing line fails")
    func badInput() {
        for text in [#"{"line":1,"endLine":1,"byteStart":4294967296}"#, #"{"line":-2147483648,"endLine":1}"#, #"{"endLine":1}"#, #"{"line":1}"#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceSpan.self, from: Data(text.utf8)) }
        }
    }

    @Test("the parser's file limit stays within what spans can address")
    func parserLimit() {
        #expect(ReportParser(maxFileSize: 4 << 30).maxFileSize == SourceSpan.largestSource)
        var parser = ReportParser()
        parser.maxFileSize = Int.max
        #expect(parser.maxFileSize == SourceSpan.largestSource)
        parser.maxFileSize = 1 << 20
        #expect(parser.maxFileSize == 1 << 20)
    }

    @Test("union and description read the stored numbers")
    func unionAndText() {
        let a = SourceSpan(line: 3, endLine: 4, byteStart: 30, byteEnd: 50)
        let b = SourceSpan(line: 1, byteStart: nil, byteEnd: 70, page: 2)
        let u = a.union(b)
        #expect(u == SourceSpan(line: 1, endLine: 4, byteStart: 30, byteEnd: 70, page: 2))
        #expect(u.description == "p2 L1-4 B30-70")
        #expect(SourceSpan(line: 12).description == "L12")
        #expect(SourceSpan(line: 7, byteStart: 1).description == "L7")
    }
}
