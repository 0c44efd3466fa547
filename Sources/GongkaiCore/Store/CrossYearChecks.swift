import GRDB

/// Identities 5 and 6, which span two reports of one agency in consecutive years
/// (soft: agencies restructure). Computed over the whole workspace after each ingest.
enum CrossYearChecks {
    static func refresh(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM findings WHERE rule IN ('identity5', 'identity6')")
        // 5. last year's carried_forward.total = this year's carried_over.total.
        try db.execute(sql: """
            INSERT INTO findings (report_id, rule, severity, message, cells, printed, expected)
            SELECT cur.report_id, 'identity5', 'warning',
                   cur.agency || ' ' || cur.year || ': carried_over.total = ' || cur.carried_over ||
                   ' but ' || prev.year || ' carried_forward.total = ' || prev.carried_forward,
                   'applications.carried_over.total', CAST(cur.carried_over AS TEXT), CAST(prev.carried_forward AS TEXT)
            FROM applications cur
            JOIN applications prev ON prev.agency = cur.agency AND prev.year = cur.year - 1 AND prev.applicant = 'total'
            WHERE cur.applicant = 'total' AND cur.agency IS NOT NULL
              AND cur.carried_over IS NOT NULL AND prev.carried_forward IS NOT NULL
              AND cur.carried_over <> prev.carried_forward
            """)
        // 6. last year's in_force + this year's issued − this year's repealed = this year's in_force.
        for row in ["regulations", "normative_documents"] {
            try db.execute(sql: """
                INSERT INTO findings (report_id, rule, severity, message, cells, printed, expected)
                SELECT cur.report_id, 'identity6', 'warning',
                       cur.agency || ' ' || cur.year || ': \(row) in_force = ' || cur.\(row)_in_force ||
                       ' but ' || prev.year || ' in_force + issued − repealed = ' ||
                       (prev.\(row)_in_force + cur.\(row)_issued - cur.\(row)_repealed),
                       'proactive.\(row).in_force', CAST(cur.\(row)_in_force AS TEXT),
                       CAST(prev.\(row)_in_force + cur.\(row)_issued - cur.\(row)_repealed AS TEXT)
                FROM proactive cur
                JOIN proactive prev ON prev.agency = cur.agency AND prev.year = cur.year - 1
                WHERE cur.generation = '2021' AND cur.agency IS NOT NULL
                  AND cur.\(row)_in_force IS NOT NULL AND prev.\(row)_in_force IS NOT NULL
                  AND cur.\(row)_issued IS NOT NULL AND cur.\(row)_repealed IS NOT NULL
                  AND prev.\(row)_in_force + cur.\(row)_issued - cur.\(row)_repealed <> cur.\(row)_in_force
                """)
        }
    }
}
