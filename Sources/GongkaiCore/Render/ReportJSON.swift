/// The JSON form of a parsed report: the contract of `gongkai parse --format jsonl`, which is
/// relied on from outside. Cells are keyed by canonical keys, in template order; values are
/// numbers (money in 万元), `null` for blank, `"na"` for a not-applicable mark.
public enum ReportJSON {
    /// One line of JSON for a report.
    public static func encode(_ r: Report) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("file", r.source)
        w.string("format", r.format.rawValue)
        w.string("generation", r.generation.rawValue)
        w.int("year", r.metadata.year)
        w.string("agency", r.metadata.agency)
        w.string("title", r.metadata.title)
        w.beginObject("region")
        w.string("province", r.metadata.region.province)
        w.string("city", r.metadata.region.city)
        w.string("county", r.metadata.region.county)
        w.endObject()
        w.beginObject("cells")
        for c in r.cells { w.raw(c.key.description, value(c.value)) }
        w.endObject()
        w.beginObject("raw")
        for c in r.cells { w.string(c.key.description, c.raw) }
        w.endObject()
        w.beginObject("spans")
        for c in r.cells { if let s = c.span { w.string(c.key.description, s.description) } }
        w.endObject()
        w.beginArray("uncertain")
        for u in r.uncertain {
            w.beginObject()
            w.string("key", u.key.description)
            w.string("reason", u.reason)
            if !u.alternatives.isEmpty {
                w.beginArray("alternatives")
                for a in u.alternatives { w.string(nil, a) }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.beginArray("findings")
        for f in r.findings { finding(f, into: &w) }
        w.endArray()
        w.endObject()
        return w.output
    }

    /// A finding as a JSON object.
    public static func finding(_ f: Finding, into w: inout JSONWriter) {
        w.beginObject()
        w.string("rule", f.rule)
        w.string("severity", f.severity.rawValue)
        w.string("message", f.message)
        w.beginArray("cells")
        for c in f.cells { w.string(nil, c) }
        w.endArray()
        if let p = f.printed { w.string("printed", p) }
        if let e = f.expected { w.string("expected", e) }
        w.endObject()
    }

    /// A cell value as JSON.
    public static func value(_ v: CellValue) -> String {
        switch v {
        case .number(let q): return q.description
        case .blank: return "null"
        case .notApplicable: return "\"na\""
        }
    }
}
