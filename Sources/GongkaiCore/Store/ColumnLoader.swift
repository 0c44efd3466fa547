import GRDB
import GRDBSQLite

/// Reads whole columns out of SQLite into typed vectors, stepping the statement directly
/// (no row objects) and dictionary-encoding text as it goes.
///
/// Text columns of report tables repeat the same value on consecutive rows (an agency's 7
/// applicant rows, its 20 cells), so each column remembers its last value's bytes and reuses
/// its code without building a string.
enum ColumnLoader {
    /// The columns of `sql`'s result, which has one result column per entry of `types`.
    static func load(_ db: Database, sql: String, types: [DataType]) throws -> [ColumnVector] {
        let statement = try db.makeStatement(sql: sql)
        let h = statement.sqliteStatement
        var builders = types.map { ColumnBuilder(type: $0) }
        while true {
            let rc = sqlite3_step(h)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))), sql: sql)
            }
            for j in builders.indices { builders[j].append(h, Int32(j)) }
        }
        sqlite3_reset(h)
        return builders.map { $0.finish() }
    }
}

/// One column being read row by row.
private struct ColumnBuilder {
    let type: DataType
    var flags: [Bool] = []
    var anyNull = false
    var ints: [Int64] = []
    var decimals: [Quantity] = []
    var codes: [Int32] = []
    var texts = TextDictionaryBuilder()
    var lastBytes: [UInt8] = []
    var lastCode: Int32 = -1

    init(type: DataType) { self.type = type }

    mutating func append(_ h: OpaquePointer, _ j: Int32) {
        let isNull = sqlite3_column_type(h, j) == SQLITE_NULL
        flags.append(!isNull)
        if isNull { anyNull = true }
        switch type {
        case .integer, .bool:
            ints.append(isNull ? 0 : sqlite3_column_int64(h, j))
        case .decimal:
            if isNull { decimals.append(.zero) }
            else if sqlite3_column_type(h, j) == SQLITE_INTEGER { decimals.append(Quantity(mantissa: sqlite3_column_int64(h, j))) }
            else { decimals.append(Quantity(text(h, j)) ?? .zero) }
        case .text:
            if isNull { codes.append(-1); return }
            let n = Int(sqlite3_column_bytes(h, j))
            let p = sqlite3_column_text(h, j)
            let bytes = UnsafeBufferPointer(start: p, count: n)
            if lastCode >= 0, bytes.elementsEqual(lastBytes) { codes.append(lastCode); return }
            let code = texts.code(for: String(decoding: bytes, as: UTF8.self))
            lastBytes = Array(bytes)
            lastCode = code
            codes.append(code)
        }
    }

    private func text(_ h: OpaquePointer, _ j: Int32) -> String {
        let n = Int(sqlite3_column_bytes(h, j))
        return String(decoding: UnsafeBufferPointer(start: sqlite3_column_text(h, j), count: n), as: UTF8.self)
    }

    func finish() -> ColumnVector {
        let validity = anyNull ? ValidityBitmap(flags) : nil
        switch type {
        case .integer: return ColumnVector(.integer(ints), validity: validity)
        case .bool: return ColumnVector(.bool(ints.map { $0 != 0 }), validity: validity)
        case .decimal: return ColumnVector(.decimal(decimals), validity: validity)
        case .text: return ColumnVector(codes: DictionaryCodes(dictionary: texts.dictionary, codes: codes))
        }
    }
}
