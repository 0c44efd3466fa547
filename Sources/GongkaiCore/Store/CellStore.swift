import Foundation
import GRDB

/// The `cells` table of a workspace, stored packed: one `cell_sets` row per report whose
/// blob (``PackedCells``) holds the report's cells, with keys numbered in `cell_keys`.
///
/// The query engine and plugins still see the long form — one row per cell with `table`,
/// `row`, `col`, `value`, `kind`, `raw`, `span`, `uncertain` — in the same order (report,
/// then table, row and column).
final class CellStore: @unchecked Sendable {
    private let lock = NSLock()
    private var codeOf: [CellKey: Int] = [:]
    private var keyOf: [CellKey?] = []
    /// Per set of template positions a report fills: those positions in the table's order
    /// and their codes (a report's layout found by hashing a few words, not 200 keys).
    private var positionLayouts: [PresenceKey: (positions: [Int], codes: [Int])] = [:]

    /// Which template positions of a generation a report fills, as bits.
    private struct PresenceKey: Hashable {
        let generation: Generation
        let bits: [UInt64]
    }

    /// The SQL of the two tables (migration v6).
    static let createSQL = [
        "CREATE TABLE cell_keys (code INTEGER PRIMARY KEY, \"table\" TEXT NOT NULL, \"row\" TEXT NOT NULL, col TEXT NOT NULL, UNIQUE (\"table\", \"row\", col))",
        "CREATE TABLE cell_sets (report_id INTEGER PRIMARY KEY REFERENCES reports(report_id) ON DELETE CASCADE, cells BLOB NOT NULL)",
    ]

    /// The INSERT of a report's blob.
    private static let insertSQL = InsertSQL(table: "cell_sets", columns: ["report_id", "cells"])

    /// A report's blob packed on the thread that parsed it, with the key codes this process
    /// knew then: the writer stores it as it is (packing was a fifth of the writer's work per
    /// report) unless the codes were forgotten since.
    struct Packed: Sendable {
        /// The blob (``PackedCells``).
        let blob: [UInt8]
        /// The ``epoch`` the codes were read in.
        let epoch: Int
    }

    /// Counts the times the codes were forgotten (``forget()``): a ``Packed`` blob of an
    /// earlier epoch may name a code that a rolled-back transaction took back.
    private var epoch = 0

    /// Packs `report`'s cells without the database, for the writer to store as they are; nil
    /// when a key has no code yet or a cell has no template position of its own (the writer
    /// then packs them itself, adding codes).
    func pack(_ report: Report, placed: TemplateCells) -> Packed? {
        guard let presence = Self.presence(of: report, placed: placed) else { return nil }
        lock.lock()
        var known = positionLayouts[presence]
        var epoch = self.epoch
        lock.unlock()
        if known == nil {
            let keys = Template.keys(report.generation)
            let positions = Self.sortedPositions(report, placed: placed)
            // Codes, layout and epoch under one lock: a forget() in between cannot leave a
            // layout naming a code it took back.
            lock.lock()
            let codes = positions.compactMap { codeOf[keys[$0]] }
            if codes.count == positions.count {
                known = (positions, codes)
                positionLayouts[presence] = known
                epoch = self.epoch
            }
            lock.unlock()
        }
        guard let known else { return nil }
        return Packed(blob: Self.blob(report, order: known.positions.map { placed.index(atPosition: $0)! }, codes: known.codes), epoch: epoch)
    }

    /// Stores `report`'s cells as report `id`'s row (inside the caller's write transaction,
    /// after the `reports` row, with its `inserts`): `packed` as it is when its codes are
    /// still valid, else packed here.
    func insert(_ report: Report, placed: TemplateCells, packed: Packed? = nil, id: Int64, in inserts: InsertStatements) throws {
        if let packed, isCurrent(packed) { return try write(packed.blob, id: id, in: inserts) }
        let (order, codes) = try layout(of: report, placed: placed, in: inserts.db)
        try write(Self.blob(report, order: order, codes: codes), id: id, in: inserts)
    }

    /// Whether `packed`'s codes are still the workspace's.
    private func isCurrent(_ packed: Packed) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return packed.epoch == epoch
    }

    /// The blob of `report`'s cells taken in `order`, with the keys' `codes`.
    private static func blob(_ report: Report, order: [Int], codes: [Int]) -> [UInt8] {
        let uncertain = report.uncertain.isEmpty ? [:] : Dictionary(report.uncertain.map { ($0.key, $0.reason) }, uniquingKeysWith: { a, _ in a })
        var writer = PackedCells.Writer<SourceSpan>(capacity: report.cells.count)
        report.cells.withUnsafeBufferPointer { cells in
            for (i, code) in zip(order, codes) {
                let value = cells[i].value
                writer.append(code: code, kind: StoredCell.Kind(value), value: value.quantity?.normalized, raw: cells[i].raw,
                              span: cells[i].span, uncertain: uncertain.isEmpty ? nil : uncertain[cells[i].key])
            }
        }
        return writer.blob
    }

    /// Stores cells already in key order with their codes.
    func write(_ cells: [StoredCell], codes: [Int], id: Int64, in db: Database) throws {
        try write(PackedCells.encode(cells, codes: codes), id: id, in: InsertStatements(db))
    }

    /// Stores one report's blob.
    private func write(_ blob: [UInt8], id: Int64, in inserts: InsertStatements) throws {
        var insert = try InsertStatement(inserts, Self.insertSQL, rows: 1)
        insert.bind(id)
        insert.bind(blob)
        try insert.step()
    }

    /// The cells of report `id` in key order; empty when it has none.
    func cells(of id: Int64, in db: Database) throws -> [StoredCell] {
        guard let blob = try Data.fetchOne(db.cachedStatement(sql: "SELECT cells FROM cell_sets WHERE report_id = ?"), arguments: [id]) else { return [] }
        return try PackedCells.cells([UInt8](blob)) { try self.key($0, in: db) }
    }

    /// The template positions `report` fills, as the key of its cached layout; nil unless
    /// each of its cells has a template position of its own (the parser's reports do).
    private static func presence(of report: Report, placed: TemplateCells) -> PresenceKey? {
        let count = Template.keys(report.generation).count
        var bits = [UInt64](repeating: 0, count: (count + 63) / 64), present = 0
        for p in 0..<count where placed.index(atPosition: p) != nil {
            bits[p >> 6] |= 1 << UInt64(p & 63)
            present += 1
        }
        guard placed.others.isEmpty, present == report.cells.count else { return nil }
        return PresenceKey(generation: report.generation, bits: bits)
    }

    /// Each generation's template positions in the table's order (sorted once: sorting a
    /// report's positions by their keys' strings cost more than packing its cells).
    private static let tableOrder: [Generation: [Int]] = Dictionary(uniqueKeysWithValues: Generation.allCases.map { g in
        let keys = Template.keys(g)
        return (g, keys.indices.sorted { precedes(keys[$0], keys[$1]) })
    })

    /// The template positions `report` fills, in the table's order.
    private static func sortedPositions(_ report: Report, placed: TemplateCells) -> [Int] {
        (tableOrder[report.generation] ?? []).filter { placed.index(atPosition: $0) != nil }
    }

    /// The order that sorts a report's cells by (table, row, column), and the codes of the
    /// sorted keys: by template positions when each cell has a position of its own (the
    /// parser's reports), else sorted for this report alone.
    private func layout(of report: Report, placed: TemplateCells, in db: Database) throws -> (order: [Int], codes: [Int]) {
        guard let presence = Self.presence(of: report, placed: placed) else { return try layout(report.cells.map(\.key), in: db) }
        lock.lock()
        var known = positionLayouts[presence]
        lock.unlock()
        if known == nil {
            let keys = Template.keys(report.generation)
            let positions = Self.sortedPositions(report, placed: placed)
            known = (positions, try codes(positions.map { keys[$0] }, in: db))
            lock.lock()
            positionLayouts[presence] = known
            lock.unlock()
        }
        return (known!.positions.map { placed.index(atPosition: $0)! }, known!.codes)
    }

    /// The order that sorts `keys` by (table, row, column), and the codes of the sorted keys,
    /// for a report whose cells do not each have a template position of their own (not
    /// cached: such reports are rare, e.g. made by hand in a test or a plugin).
    private func layout(_ keys: [CellKey], in db: Database) throws -> (order: [Int], codes: [Int]) {
        let order = keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
        return (order, try codes(order.map { keys[$0] }, in: db))
    }

    /// The `cells` table's order: SQLite's byte order of table, then row, then column.
    static func precedes(_ a: CellKey, _ b: CellKey) -> Bool {
        (a.table.rawValue, a.row, a.column) < (b.table.rawValue, b.row, b.column)
    }

    /// The codes of `keys`, adding to `cell_keys` those the workspace has none for yet
    /// (inside the caller's write transaction). Codes are never renumbered, so a code this
    /// process has seen stays valid; `cell_keys` is read again (once) only for keys not seen.
    func codes(_ keys: [CellKey], in db: Database) throws -> [Int] {
        func known() -> [Int?] {
            lock.lock(); defer { lock.unlock() }
            return keys.map { codeOf[$0] }
        }
        var codes = known()
        guard codes.contains(nil) else { return codes.map { $0! } }
        try reload(db)
        codes = known()
        var added = false
        for (i, key) in keys.enumerated() where codes[i] == nil {
            if let c = knownCode(key) { codes[i] = c; continue }   // a key repeated in `keys`
            try db.execute(sql: "INSERT INTO cell_keys (\"table\", \"row\", col) VALUES (?, ?, ?)", arguments: [key.table.rawValue, key.row, key.column])
            codes[i] = Int(db.lastInsertedRowID)
            remember(key, code: codes[i]!)
            added = true
        }
        // A code is only real once its transaction commits: a rolled-back batch (retried
        // report by report) must not leave blobs naming keys that cell_keys lost.
        if added { db.afterNextTransaction(onCommit: { _ in }, onRollback: { [weak self] _ in self?.forget() }) }
        return codes.map { $0! }
    }

    private func knownCode(_ key: CellKey) -> Int? {
        lock.lock(); defer { lock.unlock() }
        return codeOf[key]
    }

    /// Forgets every code and layout (the next use reads cell_keys again).
    private func forget() {
        lock.lock(); defer { lock.unlock() }
        codeOf = [:]
        keyOf = []
        positionLayouts = [:]
        epoch += 1
    }

    /// The key of `code`, reading `cell_keys` again when this process has not seen it.
    func key(_ code: Int, in db: Database) throws -> CellKey {
        if let k = knownKey(code) { return k }
        try reload(db)
        if let k = knownKey(code) { return k }
        throw DatabaseError(message: "packed cells name key \(code), which cell_keys does not have")
    }

    private func knownKey(_ code: Int) -> CellKey? {
        lock.lock(); defer { lock.unlock() }
        return code >= 0 && code < keyOf.count ? keyOf[code] : nil
    }

    func reload(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT code, \"table\", \"row\", col FROM cell_keys")
        for r in rows {
            guard let t = ReportTable(rawValue: r[1]) else {
                throw DatabaseError(message: "cell_keys has a key in an unknown table \"\(r[1] as String)\"")
            }
            remember(CellKey(t, r[2], r[3]), code: r[0])
        }
    }

    private func remember(_ key: CellKey, code: Int) {
        lock.lock(); defer { lock.unlock() }
        codeOf[key] = code
        if keyOf.count <= code { keyOf += Array(repeating: nil, count: code + 1 - keyOf.count) }
        keyOf[code] = key
    }
}
