"""Scale benchmark: generate inputs, run the whole batch, compare with a bare pandas read.

    python benchmarks/run_benchmarks.py                      # 10k, 300k and 1m customs rows
    python benchmarks/run_benchmarks.py --sizes 10k,300k --repeat 3
    python benchmarks/run_benchmarks.py --sizes 300k --check 1.5   # exit 1 if run > 1.5 × bare read

For each size (customs rows / firms: 10k / 1k, 300k / 5k, 1m / 50k) it

1. writes the inputs with ``tools/make_inputs.py --scale-firms F --scale-rows R`` (one customs
   file with both years, the provincial list, the applications workbook), once, under --work;
   at 300k, the customs workbook is also rewritten by other tools (``--writers``: openpyxl's
   write-only mode, xlsxwriter, an ``.xls``, a CSV — ``benchmarks/writers.py``), so that the
   speed is measured on any file, not only on the files of one writer;
2. times a bare ``pandas.read_excel(path, sheet_name=None, header=None, dtype=object,
   engine="calamine")`` of every input file, in this process;
3. runs the batch with ``--no-letters`` in a child process (the same ``cli.main`` that
   ``process.py`` calls) and takes its wall time as seen from here (interpreter start and
   imports included), its peak resident memory (``resource``) and the time of its stages
   (``jixi_batch.timing``: read, compute, write);
4. with --repeat N, alternates 2 and 3 N times; the ratio is the median of the N pairs'
   ratios (each pair back to back, so the machine's swings mostly cancel), times are the
   best of each;
5. for the sizes in --letters, runs once more with letters: per-firm letters + the combined
   file per second;
6. for the sizes in --naive, runs ``benchmarks/naive_baseline.py`` (per-row loop over
   openpyxl rows; totals per firm + A1/A5X/A5G) and checks its rule sums against the
   program's 明细.

The table is printed, and with --results FILE written as Markdown for the README.
Only the standard library and the project's own dependencies are used.
"""
from __future__ import annotations

import argparse
import csv
import gc
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": (1_000, 10_000), "300k": (5_000, 300_000), "1m": (50_000, 1_000_000)}
WRITER_LABELS = {"make_inputs": "make_inputs.py", "openpyxl": "openpyxl write-only", "xlsxwriter": "xlsxwriter",
                 "xls": ".xls (xlwt, 5 sheets)", "csv": "CSV (UTF-8)"}
SEED = 7
YEAR = "2023"


# --- child: one batch run, reporting its own numbers -----------------------------------------
def child(argv: list[str]) -> int:
    """Run cli.main(argv) with stage timing; print one JSON line with the results."""
    start = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import contextlib
    import io

    from jixi_batch import cli, timing

    stages: dict[str, int] = {}
    timing.record_into(stages)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(argv)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"code": code, "wall": wall, "peak_kb": peak_kb,
                      "stages": {k: v / 1e9 for k, v in stages.items()}}))
    return code


# --- parent --------------------------------------------------------------------------------
def make_inputs(work: Path, size: str) -> Path:
    firms, rows = SIZES[size]
    folder = work / f"inputs_{size}"
    done = work / f"inputs_{size}.done"
    stamp = f"{firms} {rows} {SEED}"
    if done.exists() and done.read_text() == stamp and folder.is_dir():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_inputs.py"), "--out", str(folder),
                    "--scale-firms", str(firms), "--scale-rows", str(rows), "--seed", str(SEED)],
                   check=True, stdout=subprocess.DEVNULL)
    done.write_text(stamp)
    return folder


def variant_inputs(work: Path, size: str, writer: str) -> Path:
    """The inputs of ``size`` with the customs workbook written by ``writer`` (benchmarks/writers.py)."""
    folder = make_inputs(work, size)
    if writer == "make_inputs":
        return folder
    from writers import write_variant

    target = work / f"inputs_{size}_{writer}"
    done = work / f"inputs_{size}_{writer}.done"
    stamp = (work / f"inputs_{size}.done").read_text()
    if not (done.exists() and done.read_text() == stamp and target.is_dir()):
        write_variant(folder, target, writer)
        done.write_text(stamp)
    return target


def input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xls", ".csv"))


def bare_read(files: list[Path]) -> float:
    """pandas' own read of every file: read_excel with calamine (read_csv for a CSV, which
    read_excel cannot read)."""
    import pandas as pd

    start = time.perf_counter()
    for path in files:
        if path.suffix.lower() == ".csv":                 # title lines are shorter than the rows
            with open(path, encoding="utf-8-sig", newline="") as fh:
                width = max(len(row) for row in itertools.islice(csv.reader(fh), 200))
            frames = pd.read_csv(path, header=None, dtype=object, encoding="utf-8-sig", names=range(width))
        else:
            frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
        del frames
    seconds = time.perf_counter() - start
    gc.collect()
    return seconds


def batch(folder: Path, out: Path, letters: bool) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    argv = ["--input", str(folder), "--output", str(out), "--year", YEAR] + ([] if letters else ["--no-letters"])
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *argv],
                          capture_output=True, text=True, cwd=str(ROOT))
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"batch run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["outer_wall"] = wall
    return report


def paid_lines(out: Path) -> dict[str, int]:
    """Σ 测算金额 per rule (fen) from the 明细 sheet of the run in ``out``."""
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from jixi_batch.xlsx_style import HEADER_ROW       # the table's header, below the title block

    book = next(out.glob(f"*/{YEAR}年度外贸奖励兑现表.xlsx"))
    lines = pd.read_excel(book, sheet_name="明细", engine="calamine", header=HEADER_ROW)
    sums: dict[str, int] = {}
    for rule, value in zip(lines["规则编号"], lines["测算金额(元)"]):
        sums[rule] = sums.get(rule, 0) + int((Decimal(repr(value)) * 100).to_integral_value())
    return sums


def letters_count(out: Path) -> int:
    folder = next(out.glob("*/通知书"))
    return sum(1 for p in folder.iterdir() if p.suffix == ".docx" and p.name[:1].isdigit())


def naive(folder: Path) -> dict:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "naive_baseline.py"), str(folder),
                           "--year", YEAR, "--json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    versions = (f"Python {platform.python_version()}, pandas {v('pandas')}, numpy {v('numpy')}, "
                f"python-calamine {v('python-calamine')}, xlsxwriter {v('xlsxwriter')}, docxtpl {v('docxtpl')}")
    return f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; {versions}"


def fmt_s(seconds: float | None) -> str:
    return "—" if seconds is None else (f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description="jixi-batch scale benchmark")
    parser.add_argument("--sizes", default="10k,300k,1m", help="comma list of " + ",".join(SIZES))
    parser.add_argument("--writers", default="make_inputs,openpyxl,xlsxwriter,xls,csv",
                        help="how the customs workbook is written (benchmarks/writers.py), for the 300k size; "
                             "the other sizes use make_inputs")
    parser.add_argument("--repeat", type=int, default=1, help="alternate bare read / run N times (median ratio)")
    parser.add_argument("--letters", default="10k,300k", help="sizes to also time letters on ('' for none)")
    parser.add_argument("--naive", default="10k,300k", help="sizes to run the naive baseline on ('' for none)")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work", help="inputs and outputs go here")
    parser.add_argument("--results", type=Path, help="write the Markdown table to this file")
    parser.add_argument("--check", type=float, help="exit 1 if a run takes more than CHECK × the bare read")
    parser.add_argument("--rules-firms", type=int, default=0,
                        help="also time the computation alone over this many firms (e.g. 100000)")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    letter_sizes = {s for s in args.letters.split(",") if s}
    naive_sizes = {s for s in args.naive.split(",") if s}
    for s in sizes:
        if s not in SIZES:
            parser.error(f"unknown size {s!r} (choose from {', '.join(SIZES)})")
    args.work.mkdir(parents=True, exist_ok=True)

    sys.path.insert(0, str(ROOT / "benchmarks"))
    writers = [w for w in args.writers.split(",") if w]
    runs_to_do = [(size, writer) for size in sizes for writer in (writers if size == "300k" else ["make_inputs"])]
    rows = []
    failed = False
    for size, writer in runs_to_do:
        firms, n_rows = SIZES[size]
        print(f"[{size} {writer}] inputs ({n_rows:,} customs rows, {firms:,} firms) ...", flush=True)
        folder = variant_inputs(args.work, size, writer)
        files = input_files(folder)
        out = args.work / f"out_{size}"
        size_label = size
        size = f"{size} {writer}"
        bares, runs = [], []
        for i in range(max(args.repeat, 1)):
            bares.append(bare_read(files))
            runs.append(batch(folder, out, letters=False))
            print(f"[{size}] bare read {bares[-1]:.2f} s, run {runs[-1]['outer_wall']:.2f} s "
                  f"(stages {json.dumps({k: round(v, 2) for k, v in runs[-1]['stages'].items()})})", flush=True)
        bare = min(bares)
        best = min(runs, key=lambda r: r["outer_wall"])
        peak_mb = max(r["peak_kb"] for r in runs) / 1024
        pair_ratios = sorted(r["outer_wall"] / b for r, b in zip(runs, bares))
        ratio = statistics.median(pair_ratios)
        row = {"size": size, "writer": writer, "rows": n_rows, "firms": firms, "bare": bare, "wall": best["outer_wall"],
               "stages": best["stages"], "peak_mb": peak_mb, "ratio": ratio, "pair_ratios": pair_ratios,
               "bytes": sum(p.stat().st_size for p in files)}
        if size_label in naive_sizes and writer == "make_inputs":
            ours = paid_lines(out)
            result = naive(folder)
            row["naive"] = result["seconds"]
            row["naive_factor"] = result["seconds"] / best["outer_wall"]
            mismatch = {r: (v, ours.get(r, 0)) for r, v in result["rules"].items() if v != ours.get(r, 0)}
            row["naive_check"] = "sums agree" if not mismatch else f"MISMATCH {mismatch}"
            print(f"[{size}] naive baseline {result['seconds']:.1f} s ({row['naive_check']})", flush=True)
        if size_label in letter_sizes and writer == "make_inputs":
            with_letters = batch(folder, args.work / f"letters_{size_label}", letters=True)
            n_letters = letters_count(args.work / f"letters_{size_label}")
            seconds = with_letters["stages"].get("letters", 0.0)
            row["letters"] = n_letters
            row["letters_s"] = seconds
            row["letters_per_s"] = n_letters / seconds if seconds else None
            row["peak_letters_mb"] = with_letters["peak_kb"] / 1024
            print(f"[{size}] letters {n_letters} in {seconds:.2f} s = {row['letters_per_s']:.0f}/s "
                  "(per-firm files + combined file)", flush=True)
        rows.append(row)
        if args.check is not None and ratio > args.check:
            failed = True
        print(f"[{size}] ratio run / bare read = {ratio:.2f} (median of pairs "
              f"{', '.join(f'{x:.2f}' for x in pair_ratios)})", flush=True)

    table = render(rows, args.repeat)
    if args.rules_firms:
        table += "\n\n" + rules_timing(args.work, args.rules_firms)
    print()
    print(table)
    if args.results:
        args.results.write_text(table + "\n", encoding="utf-8")
    if failed:
        print(f"FAILED: a run took more than {args.check} × the bare read", file=sys.stderr)
        return 1
    return 0


def rules_timing(work: Path, n_firms: int) -> str:
    """Facts, rules and caps over ``n_firms`` firms (300,000 customs rows), in this process."""
    folder = work / f"inputs_rules_{n_firms}"
    done = work / f"inputs_rules_{n_firms}.done"
    if not (done.exists() and folder.is_dir()):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_inputs.py"), "--out", str(folder),
                        "--scale-firms", str(n_firms), "--scale-rows", "300000", "--seed", str(SEED)],
                       check=True, stdout=subprocess.DEVNULL)
        done.write_text("ok")
    sys.path.insert(0, str(ROOT))
    from jixi_batch import calculate as calc_mod
    from jixi_batch.facts import build_facts
    from jixi_batch.lpr import LprTable
    from jixi_batch.policy import default_policy_path, load_policy
    from jixi_batch.reading import read_inputs
    from jixi_batch.rules import apply_rules
    from jixi_batch.timing import paused_gc

    policy = load_policy(default_policy_path(int(YEAR)))
    with paused_gc():
        bundle = read_inputs(input_files(folder), policy, int(YEAR))
        best: dict[str, float] = {}
        for _ in range(3):
            t0 = time.perf_counter()
            facts, _review = build_facts(bundle, policy, LprTable())
            t1 = time.perf_counter()
            lines, _rule_review = apply_rules(facts, policy)
            t2 = time.perf_counter()
            calc = calc_mod.calculate(bundle, policy, "report")
            t3 = time.perf_counter()
            for key, value in (("facts", t1 - t0), ("rules", t2 - t1), ("calculate", t3 - t2)):
                best[key] = min(best.get(key, value), value)
    return (f"Computation alone over {len(facts):,} firms (300,000 customs rows; best of 3, in-process): "
            f"facts (joins, groupbys) {fmt_s(best['facts'])}, the 13 rules with their 计算说明 and review rows "
            f"{fmt_s(best['rules'])} ({len(lines):,} lines, {len(_rule_review):,} review rows), whole "
            f"computation (facts, rules, 从高不重复, 第五条 cap, fund, firm table) {fmt_s(best['calculate'])}; "
            f"{len(calc.firms):,} firms with an award.")


def _ratio_cell(row: dict) -> str:
    pairs = row["pair_ratios"]
    spread = f" ({pairs[0]:.2f}–{pairs[-1]:.2f})" if len(pairs) > 1 else ""
    return f"{row['ratio']:.2f}×{spread}"


def render(rows: list[dict], repeat: int) -> str:
    lines = [
        "| customs rows / firms | customs file written by | input size | bare read | whole run `--no-letters` | ratio | "
        "read / compute / write | peak RSS | naive baseline | letters (per-firm + combined) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        st = r["stages"]
        naive_cell = (f"{fmt_s(r['naive'])} (×{r['naive_factor']:.1f})" if "naive" in r else "—")
        letters_cell = (f"{r['letters']:,} in {fmt_s(r['letters_s'])} = {r['letters_per_s']:.0f}/s"
                        if r.get("letters_per_s") else "—")
        lines.append(
            f"| {r['rows']:,} / {r['firms']:,} | {WRITER_LABELS[r['writer']]} | {r['bytes'] / 1e6:.1f} MB | "
            f"{fmt_s(r['bare'])} | {fmt_s(r['wall'])} | "
            f"{_ratio_cell(r)} | {fmt_s(st.get('read'))} / {fmt_s(st.get('compute'))} / {fmt_s(st.get('write'))} | "
            f"{r['peak_mb']:,.0f} MB | {naive_cell} | {letters_cell} |")
    lines += [
        "",
        f"Measured on: {machine()}.",
        f"{repeat} alternating pair(s) of bare read and run; times are the best of each, the ratio is "
        "the median of the pairs' ratios (each pair measured back to back, so the machine's swings "
        "cancel), with the range in brackets. The whole run is a child process timed from outside "
        "(interpreter start and imports included); read / compute / write are its stages "
        "(`jixi_batch/timing.py`); the rest is start-up, imports and the run folder. The bare read is "
        "`pandas.read_excel(path, sheet_name=None, header=None, dtype=object, engine=\"calamine\")` "
        "of every input file (`pandas.read_csv(path, header=None, dtype=object)` for a CSV, which "
        "read_excel cannot read: that ratio measures the program's fixed costs against a C parser), in the "
        "benchmark's own process. The customs workbook is written by `tools/make_inputs.py` and, at "
        "300,000 rows, rewritten by the other tools of `benchmarks/writers.py`. The naive baseline "
        "(`benchmarks/naive_baseline.py`) is a per-row Python loop over openpyxl rows for per-firm "
        "totals and the rules A1, A5X, A5G only; its rule sums are checked against the program's 明细.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
