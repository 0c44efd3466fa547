import GRDB
import GRDBSQLite

/// A cached `INSERT` whose values are bound straight into SQLite, one row at a time.
///
/// The writer inserts some 250 rows per report; building `StatementArguments` of boxed
/// values for each row cost more than SQLite's own work. Strings are copied by SQLite
/// (`SQLITE_TRANSIENT`), so nothing needs to outlive a call.
struct InsertStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var next: Int32 = 1

    /// The cached statement for `sql` on `db`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the next parameter to an integer (nil: NULL).
    mutating func bind(_ v: Int64?) {
        if let v { sqlite3_bind_int64(handle, next, v) } else { sqlite3_bind_null(handle, next) }
        next += 1
    }

    /// Binds the next parameter to an integer (nil: NULL).
    mutating func bind(_ v: Int?) { bind(v.map(Int64.init)) }

    /// Binds the next parameter to a text (nil: NULL).
    mutating func bind(_ v: String?) {
        guard var s = v else { sqlite3_bind_null(handle, next); next += 1; return }
        let h = handle, i = next
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        if s.isEmpty {
            sqlite3_bind_text(h, i, "", 0, transient) // a nil pointer would bind NULL
        } else {
            s.withUTF8 { u in
                u.withMemoryRebound(to: CChar.self) { c in _ = sqlite3_bind_text(h, i, c.baseAddress, Int32(c.count), transient) }
            }
        }
        next += 1
    }

    /// Binds the next parameter to a blob (copied by SQLite).
    mutating func bind(_ bytes: [UInt8]) {
        let h = handle, i = next
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        // An empty array's base address may be nil, which would bind NULL: bind a zero-length blob.
        if bytes.isEmpty { sqlite3_bind_zeroblob(h, i, 0) } else {
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(h, i, $0.baseAddress, Int32($0.count), transient) }
        }
        next += 1
    }

    /// Binds the next parameter to a cell value as the tables store it: integers as
    /// integers, other numbers as their exact decimal text, blank and n/a as NULL.
    mutating func bind(_ v: CellValue) {
        guard case .number(let q) = v else { bind(nil as Int64?); return }
        if let i = q.intValue { bind(Int64(i)) } else { bind(q.description) }
    }

    /// Inserts the bound row and clears the bindings for the next one.
    mutating func step() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            next = 1
        }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_reset(handle)),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
        }
    }
}
