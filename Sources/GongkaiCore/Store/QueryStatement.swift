import GRDB
import GRDBSQLite

/// A cached query whose parameters are bound and whose rows are read straight from SQLite
/// (GRDB's `Row` boxes every value it reads; the writer runs a few small queries per report).
struct QueryStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var next: Int32 = 1

    /// The cached statement for `sql` on `db`, reset (a query left half-read starts over).
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(handle)
    }

    /// Binds the next parameter to an integer.
    mutating func bind(_ v: Int64) {
        sqlite3_bind_int64(handle, next, v)
        next += 1
    }

    /// Binds the next parameter to a text (copied by SQLite).
    mutating func bind(_ v: String) {
        var s = v
        let h = handle, i = next, transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        if s.isEmpty {
            sqlite3_bind_text(h, i, "", 0, transient) // a nil pointer would bind NULL
        } else {
            s.withUTF8 { u in
                u.withMemoryRebound(to: CChar.self) { c in _ = sqlite3_bind_text(h, i, c.baseAddress, Int32(c.count), transient) }
            }
        }
        next += 1
    }

    /// Moves to the next row: false after the last one (the statement is then reset).
    mutating func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(handle); return false
        default:
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_reset(handle)),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
        }
    }

    /// The current row's integer in `column` (0 for NULL).
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The current row's text in `column` (nil for NULL).
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
