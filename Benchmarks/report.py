"""Benchmark results as JSON and Markdown: each figure beside its goal, PASS or MISS."""
import json


def label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 and n >= 1_000_000 else f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def verdict(value, goal, lower_is_better=True):
    if value is None:
        return "n/a"
    return "PASS" if (value <= goal if lower_is_better else value >= goal) else "MISS"


def goals_table(r, goals):
    """Rows (figure, measured, goal, verdict) for the five goals of the issue."""
    rows = []
    parse = r.get("parse") or {}
    for fmt in ("text", "html"):
        if fmt in parse:
            v = parse[fmt]["mb_per_s"]
            rows.append((f"parse-only, {fmt} (generated reports, one core)", f"{v:.2f} MB/s", f"≥ {goals['parse_mb_per_core']:.0f} MB/s",
                         verdict(v, goals["parse_mb_per_core"], lower_is_better=False)))
    ing = r.get("ingest")
    if ing:
        n = ing["reports"]
        v = ing["seconds"] if n == 100_000 else None
        rows.append((f"ingest end to end, {label(n)} files", f"{ing['seconds']:.1f} s ({ing['reports_per_s']:.0f} reports/s)",
                     f"≤ {goals['ingest_100k_seconds']:.0f} s for 100k", verdict(v, goals["ingest_100k_seconds"]) if n == 100_000 else "n/a (not 100k)"))
    for size in sorted(r.get("sizes", {}), key=int):
        s = r["sizes"][size]
        n = int(size)
        have = s["workspace"]["reports"]  # the goals hold for complete workspaces only
        suite = s.get("suite")
        if suite:
            goal_applies = have == 1_000_000
            rows.append((f"query suite at {label(s['workspace']['reports'])}: median ratio Gongkai / DuckDB (warm)",
                         f"{suite['median_ratio']:.2f}", f"≤ {goals['median_ratio_1m']:.1f} at 1M",
                         verdict(suite["median_ratio"], goals["median_ratio_1m"]) if goal_applies else "info"))
            rss = max(x for x in (suite.get("repl_peak_rss_mb"), suite.get("cli_peak_rss_mb")) if x is not None) / 1024
            rows.append((f"peak RSS, query suite at {label(s['workspace']['reports'])}", f"{rss:.2f} GB", f"≤ {goals['peak_rss_gb_1m']:.0f} GB at 1M",
                         verdict(rss, goals["peak_rss_gb_1m"]) if goal_applies else "info"))
        if s.get("repl"):
            v = s["repl"]["median_ms"]
            rows.append((f"REPL cold start to first result at {label(s['workspace']['reports'])} (new process, column files present)", f"{v:.0f} ms",
                         f"≤ {goals['repl_cold_start_ms_100k']:.0f} ms at 100k",
                         verdict(v, goals["repl_cold_start_ms_100k"]) if have == 100_000 else "info"))
            if s["repl"].get("no_column_files_ms") is not None:
                rows.append((f"REPL first query after an ingest at {label(s['workspace']['reports'])} (columns decoded from SQLite)",
                             f"{s['repl']['no_column_files_ms']:.0f} ms", "—", "info"))
        ws = s["workspace"]
        if ws.get("gen_seconds") is not None:
            rows.append((f"gen --workspace {label(n)} (this run)", f"{ws['gen_stored']} reports in {ws['gen_seconds']:.0f} s "
                         f"({ws['gen_reports_per_s']} reports/s), peak RSS {ws['gen_peak_rss_mb'] or '?'} MB", "—",
                         "complete" if ws.get("gen_complete") else f"INCOMPLETE ({ws['reports']} of {n})"))
    if ing:
        rows.append((f"peak RSS, ingest of {label(ing['reports'])}", f"{(ing['peak_rss_mb'] or 0) / 1024:.2f} GB", "—", "info"))
    return rows


def markdown(r, goals):
    m = r["machine"]
    out = [f"# Gongkai benchmarks — {r['date']} on {m['host']}", "",
           f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']} (kernel {m['kernel']})",
           f"- Software: {m['swift']}; DuckDB {m['duckdb']} (Python {m['python']}); Gongkai {m['gongkai_commit']}",
           f"- Load average when the run started: {r.get('load_start')} and ended: {r.get('load_end')} "
           "(the machine is shared; other builds inflate every figure)",
           f"- Seed {r['seed']}, {r['runs']} timed runs per query and engine after a warm-up, engines in alternation", "",
           "## Goals", "", "| figure | measured | goal | |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in goals_table(r, goals)]
    parse = r.get("parse") or {}
    if parse:
        out += ["", "## Parse only (`gongkai bench parse`, one core)", "", "| set | files | avg KB | MB/s | reports/s |", "|---|---:|---:|---:|---:|"]
        out += [f"| {k} | {v['files']} | {v['avg_kb']} | {v['mb_per_s']:.2f} | {v['reports_per_s']} |" for k, v in parse.items()]
    ing = r.get("ingest")
    if ing:
        out += ["", "## Ingest (`gongkai ingest`, files → workspace; default --jobs: one parser per core, below the writer's priority)", "",
                f"{ing['ingested']} reports in {ing['seconds']} s = {ing['reports_per_s']} reports/s; peak RSS {ing['peak_rss_mb']} MB; "
                f"workspace {ing['workspace_mb']} MB; load average before {ing['load_before']}."]
    for size in sorted(r.get("sizes", {}), key=int):
        s = r["sizes"][size]
        ws = s["workspace"]
        out += ["", f"## {label(int(size))} reports ({ws['reports']} in the workspace)", ""]
        if ws.get("gen_output"):
            out += [f"`gongkai gen --workspace`: {ws['gen_output']}", ""]
        if s.get("export"):
            out += [f"DuckDB export: {json.dumps({k: v for k, v in s['export'].items() if k != 'types'}, ensure_ascii=False)}", ""]
        if s.get("repl"):
            out += [f"REPL cold start to first result: median {s['repl']['median_ms']} ms (runs {s['repl']['runs_ms']}) with the column files "
                    f"beside the workspace; {s['repl'].get('no_column_files_ms', '—')} ms for the first query after an ingest, before they exist.", ""]
        suite = s.get("suite")
        if suite:
            out += ["| query | rows | Gongkai warm ms | DuckDB ms | ratio | Gongkai first run ms | `gongkai query` process ms | its query ms | result |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
            for q in suite["queries"]:
                res = "equal" if not q["mismatches"] else "**MISMATCH**: " + "; ".join(q["mismatches"])
                out.append(f"| {q['query']} | {q['rows']} | {q['gongkai_warm_ms']} | {q['duckdb_ms']} | {q['ratio']} | "
                           f"{q['gongkai_first_ms']} | {q['gongkai_cli_ms']} | {q['gongkai_cli_query_ms']} | {res} |")
            out += ["", f"Median ratio Gongkai / DuckDB: **{suite['median_ratio']}** warm (REPL process vs DuckDB in-process); "
                    f"{suite['median_ratio_cli']} for a `gongkai query` process per run. Peak RSS: REPL {suite['repl_peak_rss_mb']} MB "
                    f"(all queries, columns cached), `gongkai query` {suite['cli_peak_rss_mb']} MB; harness with DuckDB {s.get('harness_rss_mb')} MB."]
    out += ["", "Warm: a `gongkai repl` process that has run the query once (its column snapshot loaded), timed from sending "
            "the statement to reading the result's last line (JSON); DuckDB: `execute` + `fetchall` on a connection to a "
            "DuckDB file holding the same tables. First run: the REPL's first run of the query (columns read from SQLite). "
            "`gongkai query` process: spawn to exit, as an analyst runs it from a shell.", ""]
    return "\n".join(out)
