import GongkaiPluginAPI

/// Converts between the core's types and the plugin contract's.
enum PluginBridge {
    /// The plugin view of a parsed report (`placed`: its cells placed in its template, when
    /// already made).
    static func view(_ r: Report, placed: TemplateCells? = nil) -> PluginReport {
        PluginReport(
            source: r.source, generation: r.generation.rawValue, year: r.metadata.year, agency: r.metadata.agency,
            province: r.metadata.region.province, city: r.metadata.region.city, county: r.metadata.region.county,
            cells: CellsPrototype.of(r.generation).cells(of: r, placed: placed ?? TemplateCells(r.cells, generation: r.generation)),
            narrative: r.narrative.map { PluginReport.Paragraph(text: $0.text, span: .init(line: $0.span.line, endLine: $0.span.endLine)) })
    }

    /// A generation's template cells by name, all null, from which each report's plugin
    /// cells are made: the report's values go into the slots the prototype's names already
    /// hash to, so the 200 names of a report are not hashed again for every report (which
    /// was a twentieth of the parsing thread's time).
    struct CellsPrototype {
        let cells: [String: PluginValue]
        /// Each template position's slot in `cells`.
        let slots: [Dictionary<String, PluginValue>.Index]
        let names: [String]

        init(_ g: Generation) {
            names = Template.keyNames(g)
            let cells = Dictionary(names.map { ($0, PluginValue.null) }, uniquingKeysWith: { a, _ in a })
            slots = names.map { cells.index(forKey: $0)! }
            self.cells = cells
        }

        static func of(_ g: Generation) -> CellsPrototype { g == .v2019 ? v2019 : v2021 }
        private static let v2019 = CellsPrototype(.v2019)
        private static let v2021 = CellsPrototype(.v2021)

        /// The report's cells by name: exactly its own cells (template cells it lacks are
        /// removed, cells outside the template added), later duplicates winning.
        func cells(of r: Report, placed: TemplateCells) -> [String: PluginValue] {
            var out = cells
            for p in names.indices {
                if let i = placed.index(atPosition: p) { out.values[slots[p]] = value(r.cells[i].value) }
            }
            // Removing moves entries, so only after every slot is written.
            for (p, name) in names.enumerated() where placed.index(atPosition: p) == nil { out.removeValue(forKey: name) }
            for (key, i) in placed.others { out[key.description] = value(r.cells[i].value) }
            return out
        }
    }

    static func value(_ v: CellValue) -> PluginValue {
        switch v {
        case .blank: return .null
        case .notApplicable: return .text("na")
        case .number(let q):
            let n = q.normalized
            return n.scale == 0 ? .integer(n.mantissa) : .decimal(mantissa: n.mantissa, scale: n.scale)
        }
    }

    /// The columns the host adds before a plugin table's own: `report_id`, and for a pair
    /// table `previous_report_id` (last year's report).
    static func hostColumns(_ t: PluginTable) -> [CatalogTables.Column] {
        t.derivePair == nil ? [CatalogTables.reportID] : [CatalogTables.reportID, CatalogTables.previousReportID]
    }

    /// The storage schema of a stored plugin table (nil for a view).
    static func definition(_ t: PluginTable) -> CatalogTables.Definition? {
        guard t.derive != nil || t.derivePair != nil else { return nil }
        return CatalogTables.Definition(
            name: t.name,
            columns: hostColumns(t) + t.columns.map { CatalogTables.Column(name: $0.name, type: storage($0.type), description: $0.description) },
            description: t.description)
    }

    /// A plugin's finding as stored: its rule prefixed by the plugin id.
    static func finding(_ f: PluginFinding, plugin: String) -> Finding {
        Finding(rule: "\(plugin).\(f.rule)", severity: Finding.Severity(rawValue: f.severity) ?? .warning, message: f.message, cells: f.cells)
    }

    /// The column type as stored.
    static func storage(_ t: PluginColumnType) -> CatalogTables.ColumnType {
        switch t {
        case .integer, .bool: return .integer
        case .decimal: return .decimal
        case .text: return .text
        }
    }
}

extension Report {
    /// The report as plugins see it (canonical keys, narrative with spans).
    public var pluginView: PluginReport { PluginBridge.view(self) }
}

/// What the plugins produced for one report: rows of their tables and findings.
struct PluginOutput: Sendable {
    var rows: [String: [[PluginValue]]] = [:]
    var findings: [Finding] = []
    /// The report as the plugins saw it (nil when none is registered): the writer reuses it
    /// for the report's pairs instead of building it again on the ingest's serial thread.
    var view: PluginReport?
    /// The report's cells placed in its template, made where the report was parsed (with or
    /// without plugins) for the view, the packed cells and the writer's rows.
    var placed: TemplateCells

    /// Runs every derived table and check of the registry on a report. A plugin that throws
    /// (or returns malformed rows) yields a finding for this report; the batch goes on.
    static func run(_ registry: PluginRegistry, on report: Report) -> PluginOutput {
        let placed = TemplateCells(report.cells, generation: report.generation)
        var out = PluginOutput(placed: placed)
        guard !registry.plugins.isEmpty else { return out }
        var view = PluginBridge.view(report, placed: placed)
        // A report without agency or year is never paired (PairDerivations).
        if report.metadata.agency != nil && report.metadata.year != nil {
            for (_, table) in registry.orderedTables {
                if let prepare = table.prepare { view.prepared[table.name] = prepare(view) }
            }
        }
        out.view = view
        for (plugin, table) in registry.orderedTables {
            guard let derive = table.derive else { continue }
            do {
                let rows = try derive(view)
                if let bad = rows.first(where: { $0.count != table.columns.count }) {
                    throw PluginError("row has \(bad.count) values for \(table.columns.count) columns")
                }
                out.rows[table.name] = rows
            } catch {
                out.findings.append(Finding(rule: "plugin_error", severity: .warning,
                                            message: "plugin \(plugin) failed on table \(table.name): \(error)"))
            }
        }
        for (plugin, check) in registry.checks {
            guard let run = check.run else { continue }
            do {
                out.findings += try run(view).map { PluginBridge.finding($0, plugin: plugin) }
            } catch {
                out.findings.append(Finding(rule: "plugin_error", severity: .warning, message: "plugin \(plugin) check \(check.rule) failed: \(error)"))
            }
        }
        return out
    }
}
