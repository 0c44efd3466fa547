#!/usr/bin/env python3
"""Gongkai benchmarks: parse, ingest, and the query suite side by side with DuckDB.

Run by `make bench` (see Benchmarks/README.md). Standard library only, plus the `duckdb`
package, which the harness installs into a virtual environment under Benchmarks/.cache and
re-executes itself in.

Knobs (environment variables):
  BENCH_SIZES=100000,1000000  workspace sizes (reports) for the query suite
  BENCH_RUNS=5                timed runs per query and engine, after one warm-up
  BENCH_SEED=2026             generator seed
  BENCH_INGEST=N              reports ingested from files end to end (default min(100000, largest size); 0 skips)
  BENCH_PARSE_MB=20           megabytes parsed per format for parse-only throughput
  BENCH_GEN_BUDGET=SECONDS    stop generating a workspace after this long (it resumes next run)
  BENCH_ALLOW_PARTIAL=1       run the query suite on a workspace the budget left incomplete
  BENCH_SKIP=parse,ingest,queries,repl   phases to skip
  BENCH_CACHE=DIR             where workspaces, files and the DuckDB venv are cached (default Benchmarks/.cache)
  BENCH_REGEN=1               regenerate cached workspaces and files
  BENCH_NO_BUILD=1            use the existing release build
  GONGKAI=path                the gongkai binary (default .build/release/gongkai)
"""
import datetime
import json
import os
import platform
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path(os.environ["BENCH_CACHE"]) if os.environ.get("BENCH_CACHE") else HERE / ".cache"
RESULTS = HERE / "results"
VENV = CACHE / "venv"
DATA_FORMAT = "1"  # bump to invalidate every cached workspace
TABLES = ["reports", "applications", "reviews", "media_output"]
GOALS = {
    "parse_mb_per_core": 100.0,
    "ingest_100k_seconds": 60.0,
    "median_ratio_1m": 1.0,
    "repl_cold_start_ms_100k": 300.0,
    "peak_rss_gb_1m": 2.0,
}


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.strip() else default


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- environment

def ensure_venv():
    """Creates the venv with duckdb and re-executes this script inside it."""
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not py.exists():
        log(f"creating virtual environment {VENV} and installing duckdb from PyPI")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(py), "-c", "import duckdb"], capture_output=True).returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    os.execv(str(py), [str(py), str(Path(__file__).resolve())] + sys.argv[1:])


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    osname = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), platform.platform())
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    git = lambda *a: subprocess.run(["git", "-C", str(ROOT)] + list(a), capture_output=True, text=True).stdout.strip()
    import duckdb
    return {
        "host": socket.gethostname(), "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem / 1024 / 1024, 1),
        "os": osname, "kernel": platform.release(), "swift": swift[0] if swift else "?",
        "duckdb": duckdb.__version__, "python": platform.python_version(),
        "gongkai_commit": git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else ""),
    }


TIME = Path("/usr/bin/time")


def spawn(cmd, stdout=None, stderr=None, stdin=None, timeout=None):
    """Runs a child, returning (exit code, or None if stopped at the timeout; seconds; peak RSS MB).

    The peak RSS comes from GNU time (`/usr/bin/time -f %M`): a child forked from this Python
    process would count the parent's pages it was forked with."""
    rss_file = CACHE / f"rss-{os.getpid()}.txt"
    wrapped = ([str(TIME), "-q", "-f", "%M", "-o", str(rss_file)] if TIME.exists() else []) + [str(c) for c in cmd]
    start = time.perf_counter()
    p = subprocess.Popen(wrapped, stdout=stdout, stderr=stderr, stdin=stdin, start_new_session=True)
    code = None
    while True:
        if p.poll() is not None:
            code = p.returncode
            break
        if timeout is not None and time.perf_counter() - start > timeout:
            os.killpg(p.pid, 15)  # the child and its GNU time wrapper (their own process group)
            p.wait()
            break
        time.sleep(0.002 if time.perf_counter() - start < 2 else 0.2)
    secs = time.perf_counter() - start
    rss = None
    if rss_file.exists():
        lines = [l for l in rss_file.read_text().split() if l.isdigit()]
        rss = int(lines[-1]) / 1024 if lines else None
        rss_file.unlink()
    return code, secs, rss


def run_capture(cmd, timeout=None):
    """Runs a child with stdout captured (stderr passes through for progress)."""
    out = CACHE / "stdout.tmp"
    with open(out, "wb") as f:
        code, secs, rss = spawn(cmd, stdout=f, timeout=timeout)
    text = out.read_text(encoding="utf-8")
    out.unlink()
    return code, secs, rss, text


# ---------------------------------------------------------------- data

def cache_key(gk):
    """The schema of a fresh workspace, the first 200 generated files of the seed (their
    bytes: what decides a workspace's content, not the code that writes it) and
    DATA_FORMAT, hashed."""
    import hashlib
    import tempfile
    probe = CACHE / "schema-probe.db"
    for p in CACHE.glob("schema-probe.db*"):
        p.unlink()
    subprocess.run([gk, "gen", "--workspace", probe, "--reports", "0"], check=True, capture_output=True)
    con = sqlite3.connect(probe)
    schema = "\n".join(r[0] or "" for r in con.execute("SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"))
    con.close()
    for p in CACHE.glob("schema-probe.db*"):
        p.unlink()
    h = hashlib.sha1((DATA_FORMAT + schema).encode())
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([gk, "gen", "--out", d, "--reports", "200", "--seed", str(env_int("BENCH_SEED", 2026))],
                       check=True, capture_output=True)
        for f in sorted(Path(d).rglob("*")):
            if f.is_file():
                h.update(f.relative_to(d).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:10]


def report_count(db):
    if not Path(db).exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        con.close()


def generated_files(gk, n, seed, key):
    """A directory of n generated report files (cached)."""
    d = CACHE / f"files-{n}-s{seed}-{key}"
    if (d / ".complete").exists() and not os.environ.get("BENCH_REGEN"):
        return d
    shutil.rmtree(d, ignore_errors=True)
    log(f"gen --out: writing {n} report files to {d}")
    subprocess.run([gk, "gen", "--out", d, "--reports", str(n), "--seed", str(seed)], check=True)
    (d / ".complete").write_text("ok\n")
    return d


def workspace(gk, n, seed, key):
    """The cached workspace of n reports, generated (or resumed) with `gongkai gen --workspace`."""
    path = CACHE / f"ws-{n}-s{seed}-{key}.db"
    if os.environ.get("BENCH_REGEN"):
        for p in CACHE.glob(path.name + "*"):
            p.unlink()
    have = report_count(path)
    info = {"path": str(path), "reports": have, "cached": have >= n}
    if have >= n:
        return info
    budget = env_int("BENCH_GEN_BUDGET", 0) or None
    log(f"gen --workspace: {n} reports into {path} ({have} already there)" + (f", budget {budget} s" if budget else ""))
    code, secs, rss, out = run_capture([gk, "gen", "--workspace", path, "--reports", str(n), "--seed", str(seed)], timeout=budget)
    info.update(reports=report_count(path), gen_seconds=round(secs, 1), gen_peak_rss_mb=round(rss) if rss else None, gen_output=out.strip(),
                gen_stored=report_count(path) - have, gen_complete=code == 0)
    info["gen_reports_per_s"] = round(info["gen_stored"] / secs, 1) if secs > 0 else None
    if code is None:
        log(f"gen stopped at the budget: {info['reports']} of {n} reports ({info['gen_reports_per_s']} reports/s); a later run resumes")
    elif code != 0:
        raise SystemExit(f"gongkai gen failed ({code}): {out}")
    return info


DIV6 = """CREATE OR REPLACE MACRO div6(a, b) AS (
  CASE WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL
  ELSE (sign(a) * sign(b) * (
          abs(a)::HUGEINT * 1000000 // abs(b)
          + CASE WHEN 2 * (abs(a)::HUGEINT * 1000000 % abs(b)) > abs(b)
                   OR (2 * (abs(a)::HUGEINT * 1000000 % abs(b)) = abs(b) AND (abs(a)::HUGEINT * 1000000 // abs(b)) % 2 = 1)
                 THEN 1 ELSE 0 END))::DECIMAL(38,0) * 0.000001::DECIMAL(7,6)
  END)"""


def duck_type(sqlite_type):
    t = (sqlite_type or "").upper()
    if "INT" in t:
        return "BIGINT"
    if "DEC" in t or "NUM" in t:
        return "DECIMAL(38,10)"
    return "VARCHAR"


def export_to_duckdb(ws_path, n, seed, key):
    """The workspace's tables copied into a DuckDB file (sqlite3 CLI → CSV → read_csv), cached."""
    import duckdb
    path = CACHE / f"duck-{n}-s{seed}-{key}.duckdb"
    src = sqlite3.connect(f"file:{ws_path}?mode=ro", uri=True)
    stamp = f"{key}:{src.execute('SELECT count(*), max(report_id) FROM reports').fetchone()}"
    if path.exists():
        con = duckdb.connect(str(path))
        try:
            if con.execute("SELECT stamp FROM bench_meta").fetchone()[0] == stamp:
                con.execute(DIV6)
                return con, {"cached": True}
        except duckdb.Error:
            pass
        con.close()
        path.unlink()
    log(f"exporting {ws_path} to DuckDB {path}")
    start = time.perf_counter()
    con = duckdb.connect(str(path))
    types = {}
    for table in TABLES:
        cols = [(r[1], duck_type(r[2])) for r in src.execute(f'PRAGMA table_info("{table}")')]
        types[table] = cols
        csv = CACHE / f"export-{table}.csv"
        select = "SELECT " + ", ".join(f'"{c}"' for c, _ in cols) + f' FROM "{table}" ORDER BY rowid'
        with open(csv, "wb") as f:
            subprocess.run(["sqlite3", "-csv", "-header", "-nullvalue", r"\N", ws_path, select], stdout=f, check=True)
        con.execute(f'CREATE TABLE "{table}" (' + ", ".join(f'"{c}" {t}' for c, t in cols) + ")")
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in cols) + "}"
        con.execute(f"INSERT INTO \"{table}\" SELECT * FROM read_csv('{csv}', header = true, nullstr = '\\N', "
                    f"quote = '\"', escape = '\"', columns = {spec})")
        csv.unlink()
    con.execute("CREATE TABLE bench_meta (stamp VARCHAR)")
    con.execute("INSERT INTO bench_meta VALUES (?)", [stamp])
    con.execute(DIV6)
    con.execute("CHECKPOINT")
    rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    for t in TABLES:
        expected = src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        if rows[t] != expected:
            raise SystemExit(f"export of {t}: DuckDB has {rows[t]} rows, the workspace {expected}")
    return con, {"cached": False, "seconds": round(time.perf_counter() - start, 1), "rows": rows,
                 "types": {t: dict(c) for t, c in types.items()}}


# ---------------------------------------------------------------- measurements

def parse_only(gk, seed, key):
    """Parse-only MB/s on one core, text and HTML separately (generated reports; the shared corpus too)."""
    mb = env_int("BENCH_PARSE_MB", 20)
    sample = generated_files(gk, 2000, seed, key)
    sets = {
        "text": sorted(sample.glob("*.txt")) + sorted(sample.glob("*.md")),
        "html": sorted(sample.glob("*.html")),
    }
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        sets["corpus_text"] = sorted(corpus.glob("*.txt"))
        sets["corpus_html"] = sorted(corpus.glob("*.html"))
    out = {}
    for name, files in sets.items():
        if not files:
            continue
        log(f"bench parse: {name} ({len(files)} files, {mb} MB)")
        code, secs, rss, text = run_capture([gk, "bench", "parse", "--megabytes", str(mb)] + files)
        m = re.search(r"parsed ([\d.]+) MB \((\d+) reports, (\d+) failed\) in ([\d.]+) s: ([\d.]+) MB/s, (\d+) reports/s", text)
        if code != 0 or not m:
            raise SystemExit(f"bench parse failed: {text}")
        out[name] = {"files": len(files), "mb": float(m[1]), "reports": int(m[2]), "failed": int(m[3]),
                     "seconds": float(m[4]), "mb_per_s": float(m[5]), "reports_per_s": int(m[6]),
                     "avg_kb": round(sum(f.stat().st_size for f in files) / len(files) / 1024, 1)}
    return out


def ingest(gk, n, seed, key):
    """`gongkai ingest` of n generated files into a fresh workspace, end to end."""
    files = generated_files(gk, n, seed, key)
    ws = CACHE / "ingest-run.db"
    for p in CACHE.glob("ingest-run.db*"):
        p.unlink()
    log(f"ingest: {n} files from {files}")
    load = os.getloadavg()
    code, secs, rss, out = run_capture([gk, "ingest", "--workspace", ws, files])
    m = re.search(r"ingested (\d+).*failed (\d+) in ([\d.]+) s", out)
    size = sum(p.stat().st_size for p in CACHE.glob("ingest-run.db*"))
    for p in CACHE.glob("ingest-run.db*"):
        p.unlink()
    if code not in (0, 2) or not m:
        raise SystemExit(f"ingest failed ({code}): {out}")
    return {"reports": n, "ingested": int(m[1]), "failed": int(m[2]), "seconds": round(secs, 1),
            "reports_per_s": round(int(m[1]) / secs, 1), "peak_rss_mb": round(rss) if rss else None, "workspace_mb": round(size / 1e6),
            "load_before": [round(x, 2) for x in load], "output": out.strip()}


def repl_cold_start(gk, ws, query, runs):
    """Spawn `gongkai repl`, send one statement, and time the first line of its result.

    Two states: the first query after an ingest (no column files beside the workspace yet,
    so the columns are decoded from SQLite — timed once, the files removed before), and
    every later new process (the column files are there; `runs` spawns, median)."""
    def once():
        start = time.perf_counter()
        p = subprocess.Popen([gk, "repl", "--workspace", ws], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdin.write((statement_lines(query) + "\n\n").encode())
        p.stdin.flush()
        first = p.stdout.readline()
        elapsed = time.perf_counter() - start
        p.stdin.close()
        p.stdout.read()
        err = p.stderr.read()
        p.wait()
        if p.returncode != 0 or not first:
            raise SystemExit(f"repl failed ({p.returncode}): {err.decode()}")
        return elapsed * 1000
    shutil.rmtree(str(ws) + ".columns", ignore_errors=True)
    without = once()
    times = [once() for _ in range(runs)]
    return {"runs_ms": [round(t, 1) for t in times], "median_ms": round(median(times), 1),
            "no_column_files_ms": round(without, 1), "query": query}


def statement_lines(text):
    """A pipeline as the REPL reads it: comment lines and blank lines dropped."""
    return "\n".join(l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#"))


def median(xs):
    s = sorted(xs)
    n = len(s)
    return (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2) if n else float("nan")


# ---------------------------------------------------------------- main

def build():
    if os.environ.get("BENCH_NO_BUILD") or os.environ.get("GONGKAI"):
        return
    log("swift build -c release --product gongkai")
    subprocess.run(["swift", "build", "-c", "release", "--product", "gongkai"], cwd=ROOT, check=True)


def results_path(date, host):
    return RESULTS / f"{date}-{host}.json"


def main():
    ensure_venv()
    import report
    import suite
    CACHE.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    build()
    gk = Path(os.environ.get("GONGKAI", ROOT / ".build/release/gongkai")).resolve()
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,1000000").split(",") if s.strip()]
    runs = max(1, env_int("BENCH_RUNS", 5))
    seed = env_int("BENCH_SEED", 2026)
    skip = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
    ingest_n = env_int("BENCH_INGEST", min(100_000, max(sizes) if sizes else 100_000))

    m = machine()
    date = datetime.date.today().isoformat()
    path = results_path(date, m["host"])
    # Runs on the same day merge: a later 1M run keeps the 100k figures of an earlier one.
    r = json.loads(path.read_text()) if path.exists() else {}
    r.update(date=date, machine=m, seed=seed, runs=runs, goals=GOALS, load_start=[round(x, 2) for x in os.getloadavg()])
    r.setdefault("sizes", {})
    key = cache_key(gk)
    r["cache_key"] = key
    log(f"gongkai {gk} ({m['gongkai_commit']}), cache key {key}, sizes {sizes}")

    def save():
        r["load_end"] = [round(x, 2) for x in os.getloadavg()]
        path.write_text(json.dumps(r, ensure_ascii=False, indent=1) + "\n")
        path.with_suffix(".md").write_text(report.markdown(r, GOALS) + "\n")

    if "parse" not in skip:
        r["parse"] = parse_only(gk, seed, key)
        save()
    if "ingest" not in skip and ingest_n > 0:
        r["ingest"] = ingest(gk, ingest_n, seed, key)
        save()
    for n in sizes:
        s = r["sizes"].setdefault(str(n), {})
        ws = workspace(gk, n, seed, key)
        prev = s.get("workspace", {})
        if ws["cached"] and prev.get("path") == ws["path"]:
            ws = {**prev, **ws}  # keep the figures of the run that generated it
        s["workspace"] = ws
        save()
        if ws["reports"] < n and not os.environ.get("BENCH_ALLOW_PARTIAL"):
            log(f"{n}: workspace incomplete ({ws['reports']} reports); skipping the suite (BENCH_ALLOW_PARTIAL=1 runs it anyway)")
            continue
        if "repl" not in skip:
            log(f"{n}: REPL cold start")
            s["repl"] = repl_cold_start(gk, ws["path"], suite.load_queries()[0][1], runs)
            save()
        if "queries" not in skip:
            con, info = export_to_duckdb(ws["path"], n, seed, key)
            s["export"] = {**s.get("export", {}), **info} if info["cached"] else info
            s["suite"] = suite.run_suite(gk, ws["path"], con, runs, spawn, CACHE, log)
            con.close()
            s["harness_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            save()
    save()
    print(report.markdown(r, GOALS))
    print(f"\nresults: {path} and {path.with_suffix('.md')}")
    mismatches = sum(s.get("suite", {}).get("mismatches", 0) for s in r["sizes"].values())
    if mismatches:
        print(f"\n*** {mismatches} query result(s) differ between Gongkai and DuckDB: see MISMATCH above ***")
        sys.exit(3)


if __name__ == "__main__":
    main()
