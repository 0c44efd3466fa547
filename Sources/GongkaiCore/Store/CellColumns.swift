import Foundation
import GRDB
import GRDBSQLite

extension CellStore {
    /// The long-form `cells` table's columns `names`, decoded from every report's packed
    /// cells in the table's order (report, then table, row, column). Text columns are
    /// dictionary-coded in order of first appearance, as ``ColumnLoader`` codes them.
    func columns(_ names: [String], in db: Database) throws -> [String: ColumnVector] {
        try reload(db)
        var b = CellColumnBuilder(wanted: Set(names))
        let sql = "SELECT report_id, cells FROM cell_sets ORDER BY report_id"
        let statement = try db.makeStatement(sql: sql)
        let h = statement.sqliteStatement
        defer { sqlite3_reset(h) }
        while true {
            let rc = sqlite3_step(h)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))), sql: sql)
            }
            let id = sqlite3_column_int64(h, 0)
            let n = Int(sqlite3_column_bytes(h, 1))
            let blob = UnsafeBufferPointer(start: sqlite3_column_blob(h, 1)?.assumingMemoryBound(to: UInt8.self), count: n)
            do {
                try PackedCells.decode(blob, spans: { b.startReport(id, spans: $0) }) { c in
                    try b.append(c, key: { try self.key($0, in: db) })
                }
            } catch let e as PackedCells.Malformed {
                throw DatabaseError(message: "report \(id): \(e)")
            }
        }
        return b.finish(names)
    }

    /// Converts the long-form `cells` rows of a workspace made before migration v6.
    func convertLongForm(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT report_id, "table", "row", col, value, kind, raw, span, uncertain FROM cells ORDER BY report_id, "table", "row", col
            """)
        var current: Int64?
        var cells: [StoredCell] = []
        func flush() throws {
            guard let id = current, !cells.isEmpty else { return }
            try write(cells, codes: try codes(cells.map(\.key), in: db), id: id, in: db)
            cells = []
        }
        while let r = try rows.next() {
            let id: Int64 = r[0]
            if id != current { try flush(); current = id }
            guard let table = ReportTable(rawValue: r[1]) else { throw DatabaseError(message: "cells has a row in an unknown table \"\(r[1] as String)\"") }
            let kind = (r[5] as String?).flatMap(StoredCell.Kind.init(name:)) ?? .blank
            let value = kind == .number ? (r[4] as String?).flatMap { Quantity($0)?.normalized } : nil
            cells.append(StoredCell(key: CellKey(table, r[2], r[3]), kind: kind, value: value, raw: r[6] ?? "", span: r[7], uncertain: r[8]))
        }
        try flush()
    }
}

/// The `cells` columns being decoded, report by report; only the wanted ones are built.
private struct CellColumnBuilder {
    let wanted: Set<String>
    var count = 0
    var reportIDs: [Int64] = []
    var current: Int64 = 0
    var tables = CellTextColumn(), rows = CellTextColumn(), cols = CellTextColumn(), kinds = CellTextColumn()
    var raws = CellTextColumn(), spans = CellTextColumn(), uncertain = CellTextColumn()
    var values: [Quantity] = []
    var valueValid: [Bool] = []
    /// Per key code: its table, row and column codes, once seen.
    var keyCodes: [(Int32, Int32, Int32)?] = []
    /// The current report's span codes by span index, made when first used.
    var spanTexts: [UnsafeBufferPointer<UInt8>] = []
    var spanCodes: [Int32] = []
    /// Codes of small integers' texts (the raw text of most cells is the value's digits).
    var digitCodes: [Int32] = []

    init(wanted: Set<String>) { self.wanted = wanted }

    mutating func startReport(_ id: Int64, spans: [UnsafeBufferPointer<UInt8>]) {
        current = id
        spanTexts = spans
        spanCodes = Array(repeating: -2, count: spans.count)
    }

    mutating func append(_ c: PackedCells.RawCell, key: (Int) throws -> CellKey) throws {
        count += 1
        if wanted.contains("report_id") { reportIDs.append(current) }
        if wanted.contains("table") || wanted.contains("row") || wanted.contains("col") {
            if c.keyCode >= keyCodes.count { keyCodes += Array(repeating: nil, count: c.keyCode + 1 - keyCodes.count) }
            let codes: (Int32, Int32, Int32)
            if let k = keyCodes[c.keyCode] { codes = k } else {
                let k = try key(c.keyCode)
                codes = (tables.code(k.table.rawValue), rows.code(k.row), cols.code(k.column))
                keyCodes[c.keyCode] = codes
            }
            tables.codes.append(codes.0)
            rows.codes.append(codes.1)
            cols.codes.append(codes.2)
        }
        if wanted.contains("value") {
            values.append(c.value ?? .zero)
            valueValid.append(c.value != nil)
        }
        if wanted.contains("kind") { kinds.codes.append(kinds.code(c.kind.name)) }
        if wanted.contains("raw") {
            if let r = c.raw { raws.codes.append(raws.code(bytes: r)) } else { raws.codes.append(rawCode(of: c.value!)) }
        }
        if wanted.contains("span") {
            if let i = c.spanIndex {
                if spanCodes[i] == -2 { spanCodes[i] = spans.code(bytes: spanTexts[i]) }
                spans.codes.append(spanCodes[i])
            } else { spans.codes.append(-1) }
        }
        if wanted.contains("uncertain") { uncertain.codes.append(c.uncertain.map { uncertain.code(bytes: $0) } ?? -1) }
    }

    /// The code of a value's text, memoised for the integers 0…4095.
    private mutating func rawCode(of q: Quantity) -> Int32 {
        guard q.scale == 0, q.mantissa >= 0, q.mantissa < 4096 else { return raws.code(q.description) }
        let i = Int(q.mantissa)
        if i >= digitCodes.count { digitCodes += Array(repeating: -2, count: i + 1 - digitCodes.count) }
        if digitCodes[i] == -2 { digitCodes[i] = raws.code(q.description) }
        return digitCodes[i]
    }

    func finish(_ names: [String]) -> [String: ColumnVector] {
        var out: [String: ColumnVector] = [:]
        for name in names {
            switch name {
            case "report_id": out[name] = ColumnVector(.integer(reportIDs))
            case "table": out[name] = tables.vector
            case "row": out[name] = rows.vector
            case "col": out[name] = cols.vector
            case "kind": out[name] = kinds.vector
            case "raw": out[name] = raws.vector
            case "span": out[name] = spans.vector
            case "uncertain": out[name] = uncertain.vector
            case "value":
                out[name] = ColumnVector(.decimal(values), validity: valueValid.allSatisfy { $0 } ? nil : ValidityBitmap(valueValid))
            default: break
            }
        }
        return out
    }
}

/// One dictionary-coded text column; -1 marks null.
private struct CellTextColumn {
    var texts = TextDictionaryBuilder()
    var codes: [Int32] = []

    mutating func code(_ s: String) -> Int32 { texts.code(for: s) }
    mutating func code(bytes: UnsafeBufferPointer<UInt8>) -> Int32 { texts.code(for: String(decoding: bytes, as: UTF8.self)) }

    var vector: ColumnVector { ColumnVector(codes: DictionaryCodes(dictionary: texts.dictionary, codes: codes)) }
}
