import GRDB
import GRDBSQLite

/// The `INSERT` of one table, with its SQL text for 1 … ``maxRows`` rows in one statement
/// (`VALUES (…), (…)`), made once.
///
/// SQLite's fixed cost of executing a statement (opening the table's and indexes' cursors,
/// halting, resetting) was as large as writing the row itself; a report's rows of one table
/// are written by one statement.
///
/// A class, so that a write's ``InsertStatements`` finds its statements by this object's
/// identity instead of by their texts.
final class InsertSQL: Sendable {
    /// The most rows one statement inserts; more are written in chunks of this many.
    static let maxRows = 32

    /// The statement's text by row count (index 0: one row).
    private let texts: [String]

    /// The insert of `columns` (in this order) into `table`. The text has no spaces to spare:
    /// GRDB finds a cached statement by hashing its whole text.
    init(table: String, columns: [String]) {
        let head = "INSERT INTO \"\(table)\"(\(columns.map { "\"\($0)\"" }.joined(separator: ",")))VALUES"
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        texts = (1...Self.maxRows).map { n in head + Array(repeating: row, count: n).joined(separator: ",") }
    }

    /// The insert of all of a table definition's columns.
    convenience init(_ d: CatalogTables.Definition) {
        self.init(table: d.name, columns: d.columns.map(\.name))
    }

    /// The text inserting `rows` rows (1 … ``maxRows``).
    func sql(rows: Int) -> String { texts[rows - 1] }
}

/// A cached `INSERT` whose values are bound straight into SQLite, parameter after parameter
/// (row after row when it inserts several).
///
/// The writer inserts some 50 rows per report; building `StatementArguments` of boxed values
/// for each row cost more than SQLite's own work. Texts are copied once into buffers this
/// statement keeps until it is done (``BoundTexts``), where SQLite reads them in place
/// (`SQLITE_STATIC`): letting SQLite copy each (`SQLITE_TRANSIENT`) cost a malloc and free per
/// text. Every parameter is bound before each execution; after it the bindings are cleared,
/// so the cached statement keeps no pointer into the freed copies (0.3% of an ingest's
/// instructions, for no dangling binding should a later use bind fewer parameters).
struct InsertStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var next: Int32 = 1
    private var texts: BoundTexts?

    /// The statement of `insert` for `rows` rows, from the write's `inserts`.
    init(_ inserts: InsertStatements, _ insert: InsertSQL, rows: Int) throws {
        statement = try inserts.statement(insert, rows: rows)
    }

    /// Inserts `items` with `insert`, ``InsertSQL/maxRows`` rows per statement; `bind` binds
    /// one item's row.
    static func insert<C: Collection>(_ items: C, with insert: InsertSQL, in inserts: InsertStatements,
                                      bind: (inout InsertStatement, C.Element) throws -> Void) throws {
        var rest = items[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(InsertSQL.maxRows)
            rest = rest.dropFirst(chunk.count)
            var s = try InsertStatement(inserts, insert, rows: chunk.count)
            for item in chunk { try bind(&s, item) }
            try s.step()
        }
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
        if s.isEmpty {
            // A nil pointer would bind NULL.
            sqlite3_bind_text(h, i, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        } else {
            if texts == nil { texts = BoundTexts() }
            let kept = texts!
            s.withUTF8 { u in
                _ = sqlite3_bind_text(h, i, kept.keep(u), Int32(u.count), nil) // nil: SQLITE_STATIC
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

    /// Inserts the bound rows (every parameter must be bound) and resets for the next ones.
    mutating func step() throws {
        assert(next - 1 == sqlite3_bind_parameter_count(handle), "\(next - 1) of \(sqlite3_bind_parameter_count(handle)) parameters bound")
        defer {
            sqlite3_reset(handle)
            // The texts were bound in place (SQLITE_STATIC) and are freed with this value:
            // no binding may outlive it in the cached statement.
            sqlite3_clear_bindings(handle)
            next = 1
        }
        let rc = withExtendedLifetime(texts) { sqlite3_step(handle) }
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_reset(handle)),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
        }
    }
}

/// The `INSERT` statements of one write (a batch of reports in one transaction), each found in
/// GRDB's statement cache once per write instead of once per use.
///
/// GRDB finds a cached statement by hashing its whole SQL text, and a multi-row insert's text
/// runs to kilobytes: hashing it for every table of every report was 1.2% of an ingest's
/// instructions. Here a statement is found by its ``InsertSQL``'s identity and row count.
final class InsertStatements {
    /// The connection the statements belong to (the writer's, inside its transaction).
    let db: Database
    /// Per insert (kept, so that its identity cannot pass to another while this write lasts):
    /// its statements by row count (index 0: one row), nil until first used.
    private var prepared: [ObjectIdentifier: (insert: InsertSQL, statements: [Statement?])] = [:]

    /// The statements of a write on `db`, none found yet.
    init(_ db: Database) { self.db = db }

    /// The statement of `insert` for `rows` rows (1 … ``InsertSQL/maxRows``).
    func statement(_ insert: InsertSQL, rows: Int) throws -> Statement {
        let id = ObjectIdentifier(insert)
        if let s = prepared[id]?.statements[rows - 1] { return s }
        let s = try db.cachedStatement(sql: insert.sql(rows: rows))
        prepared[id, default: (insert, Array(repeating: nil, count: InsertSQL.maxRows))].statements[rows - 1] = s
        return s
    }
}

/// Copies of the texts bound to one ``InsertStatement``, in a few large buffers that stay in
/// place until the statement is done with them.
private final class BoundTexts {
    private var buffers: [UnsafeMutableRawPointer] = []
    /// Where the next copy goes in the last buffer, and the room left there.
    private var free: UnsafeMutableRawPointer?
    private var room = 0

    /// A copy of `text` (not empty) that lives as long as this object.
    func keep(_ text: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar> {
        if room < text.count {
            room = max(4096, text.count)
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: room, alignment: 1)
            buffers.append(buffer)
            free = buffer
        }
        let copy = free!
        copy.copyMemory(from: text.baseAddress!, byteCount: text.count)
        free = copy + text.count
        room -= text.count
        return UnsafePointer(copy.assumingMemoryBound(to: CChar.self))
    }

    deinit {
        for b in buffers { b.deallocate() }
    }
}
