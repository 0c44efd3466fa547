"""The query suite: Gongkai (warm in one REPL process, and cold through `gongkai query`) and
DuckDB (in-process), run in alternation, timed, and their results compared."""
import json
import os
import queue
import subprocess
import threading
import time
from decimal import Decimal
from pathlib import Path

QUERIES = Path(__file__).resolve().parent / "queries"
REL_TOL = 1e-9


def load_queries():
    """(name, gongkai pipeline, DuckDB SQL) for every Benchmarks/queries/NN-name.gk."""
    out = []
    for gk in sorted(QUERIES.glob("*.gk")):
        sql = gk.with_suffix(".sql")
        out.append((gk.stem, gk.read_text(encoding="utf-8"), sql.read_text(encoding="utf-8")))
    return out


class Repl:
    """A `gongkai repl` process reading statements from a pipe: JSON results, `.timer on`."""

    def __init__(self, gk, ws):
        self.p = subprocess.Popen([str(gk), "repl", "--workspace", str(ws)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out, self.err = queue.Queue(), queue.Queue()
        for stream, q in ((self.p.stdout, self.out), (self.p.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, q), daemon=True).start()
        self._send(".mode json\n.maxrows 1000000\n.timer on\n")

    @staticmethod
    def _pump(stream, q):
        for line in iter(stream.readline, b""):
            q.put(line.decode("utf-8"))
        q.put(None)

    def _send(self, text):
        self.p.stdin.write(text.encode("utf-8"))
        self.p.stdin.flush()

    def query(self, text, timeout=1800):
        """Runs one statement: (wall seconds, the REPL's own seconds, rows as dicts)."""
        lines = "\n".join(l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#"))
        start = time.perf_counter()
        self._send(lines + "\n\n")
        body = []
        while True:
            try:
                line = self.out.get(timeout=0.05)
            except queue.Empty:
                if not self.err.empty():
                    raise RuntimeError("gongkai repl: " + "".join(iter_queue(self.err)))
                if time.perf_counter() - start > timeout:
                    raise RuntimeError("gongkai repl: timeout")
                continue
            if line is None:
                raise RuntimeError("gongkai repl exited: " + "".join(iter_queue(self.err)))
            if line.startswith("time: "):
                wall = time.perf_counter() - start
                own = float(line.split()[1])
                break
            body.append(line)
        return wall, own, json.loads("".join(body), parse_float=Decimal)

    def peak_rss_mb(self):
        for l in open(f"/proc/{self.p.pid}/status"):
            if l.startswith("VmHWM:"):
                return int(l.split()[1]) / 1024
        return None

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=60)


def iter_queue(q):
    while not q.empty():
        item = q.get()
        if item is not None:
            yield item


def cli_query(spawn, gk, ws, text, scratch):
    """One `gongkai query` process: (wall seconds, {open, run 1} ms, peak RSS MB, rows)."""
    out, err = scratch / "cli.out", scratch / "cli.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        code, secs, rss = spawn([gk, "query", "--workspace", ws, "--format", "json", "--timing", text], stdout=o, stderr=e)
    if code != 0:
        raise RuntimeError(f"gongkai query failed ({code}): {err.read_text()}")
    timing = {}
    for l in err.read_text().splitlines():
        if l.startswith("timing: "):
            what, ms = l[len("timing: "):].rsplit(" ", 1)
            timing[what] = float(ms)
    return secs, timing, rss, json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)


def duck_query(con, sql):
    start = time.perf_counter()
    cur = con.execute(sql)
    rows = cur.fetchall()
    secs = time.perf_counter() - start
    return secs, [d[0] for d in cur.description], rows


def normalise(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, Decimal, float)):
        return Decimal(v) if not isinstance(v, float) else Decimal(repr(v))
    return str(v)


def same(a, b):
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    if a == b:
        return True
    return abs(a - b) <= Decimal(REL_TOL) * max(abs(a), abs(b))


def sort_key(row):
    return tuple((0, "", v) if v is None else (1, type(v).__name__ if isinstance(v, str) else "", v)
                 for v in ((x if isinstance(x, (str, type(None))) else float(x)) for x in row))


def compare(gk_rows, duck_cols, duck_rows):
    """Compares a Gongkai JSON result with DuckDB's: column names, then rows sorted (a
    relative tolerance of 1e-9 on numbers), then the order. Returns a list of problems."""
    problems = []
    gk_cols = list(gk_rows[0].keys()) if gk_rows else None
    if gk_cols is not None and gk_cols != duck_cols:
        problems.append(f"columns differ: gongkai {gk_cols} vs duckdb {duck_cols}")
        return problems
    g = [tuple(normalise(r[c]) for c in duck_cols) for r in gk_rows]
    d = [tuple(normalise(v) for v in r) for r in duck_rows]
    if len(g) != len(d):
        problems.append(f"row count differs: gongkai {len(g)} vs duckdb {len(d)}")
    gs, ds = sorted(g, key=sort_key), sorted(d, key=sort_key)
    bad = [(x, y) for x, y in zip(gs, ds) if len(x) != len(y) or not all(same(p, q) for p, q in zip(x, y))]
    if bad:
        problems.append(f"{len(bad)} row(s) differ (sorted); first: gongkai {bad[0][0]} vs duckdb {bad[0][1]}")
    elif g != d and not any("row count" in p for p in problems):
        ordered = all(len(x) == len(y) and all(same(p, q) for p, q in zip(x, y)) for x, y in zip(g, d))
        if not ordered:
            problems.append("same rows in a different order")
    return problems


def run_suite(gk, ws, con, runs, spawn, scratch, log):
    """Every query: a warm-up, then `runs` rounds alternating Gongkai (warm REPL, cold CLI)
    and DuckDB, the first engine changing every round. Returns per-query figures."""
    median = lambda xs: sorted(xs)[len(xs) // 2] if len(xs) % 2 else sum(sorted(xs)[len(xs) // 2 - 1:len(xs) // 2 + 1]) / 2
    repl = Repl(gk, ws)
    results = []
    cli_rss = 0
    try:
        for name, pipeline, sql in load_queries():
            log(f"query {name}")
            first_wall, _, gk_rows = repl.query(pipeline)
            _, duck_cols, duck_rows = duck_query(con, sql)
            problems = compare(gk_rows, duck_cols, duck_rows)
            warm, own, duck, cli, cli_first = [], [], [], [], []
            for r in range(runs):
                steps = ["gk", "duck", "cli"] if r % 2 == 0 else ["duck", "gk", "cli"]
                for step in steps:
                    if step == "gk":
                        wall, o, rows = repl.query(pipeline)
                        warm.append(wall)
                        own.append(o)
                    elif step == "duck":
                        secs, _, _ = duck_query(con, sql)
                        duck.append(secs)
                    else:
                        secs, timing, rss, rows = cli_query(spawn, gk, ws, pipeline, scratch)
                        cli.append(secs)
                        cli_first.append(timing.get("run 1", float("nan")) / 1000)
                        cli_rss = max(cli_rss, rss or 0)
                        if r == 0:
                            problems += [f"CLI: {p}" for p in compare(rows, duck_cols, duck_rows)]
            for p in problems:
                log(f"MISMATCH {name}: {p}")
            g, d = median(warm), median(duck)
            results.append({
                "query": name, "rows": len(duck_rows), "gongkai_warm_ms": round(g * 1000, 2),
                "gongkai_first_ms": round(first_wall * 1000, 1), "gongkai_repl_timer_ms": round(median(own) * 1000, 1),
                "gongkai_cli_ms": round(median(cli) * 1000, 1), "gongkai_cli_query_ms": round(median(cli_first) * 1000, 1),
                "duckdb_ms": round(d * 1000, 2), "ratio": round(g / d, 3) if d > 0 else None,
                "ratio_cli": round(median(cli) / d, 3) if d > 0 else None,
                "runs": {"gongkai_warm": [round(x * 1000, 2) for x in warm], "duckdb": [round(x * 1000, 2) for x in duck],
                         "gongkai_cli": [round(x * 1000, 1) for x in cli]},
                "mismatches": problems,
            })
        repl_rss = repl.peak_rss_mb()
    finally:
        repl.close()
    ratios = [q["ratio"] for q in results if q["ratio"] is not None]
    return {
        "queries": results,
        "median_ratio": round(median(ratios), 3) if ratios else None,
        "median_ratio_cli": round(median([q["ratio_cli"] for q in results]), 3) if results else None,
        "repl_peak_rss_mb": round(repl_rss) if repl_rss else None,
        "cli_peak_rss_mb": round(cli_rss),
        "mismatches": sum(1 for q in results if q["mismatches"]),
    }
