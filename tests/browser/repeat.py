"""Run the browser tests many times and count blank or missing plots (run by hand, not by make test).

    .venv/bin/python tests/browser/repeat.py            # 20 runs of the playground's browser tests
    .venv/bin/python tests/browser/repeat.py -n 50 -k voila
    .venv/bin/python tests/browser/repeat.py -k "drawn_after or dragging"   # first picture and a drag only

Each run is a fresh ``pytest tests/browser/test_playground_pages.py`` process (new servers, kernels,
browser), exactly as ``make test`` runs them (``--target tests/browser`` runs every browser test).
The fixtures append what they saw right after the notebook ran to a record file
(``MLP_COURSE_BROWSER_RECORD``); pytest's JUnit XML gives the outcome of every test. The
summary says in how many runs the boundary was blank or missing right after Run All (Lab) or page
load (Voilà), which tests failed, and how long the runs took. Everything is kept under
``test-artifacts/browser-repeat/<time>/`` (screenshots of failures in ``run-NN/``).
Exit status 0 only when every run passed and every first picture was drawn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_once(index: int, out: Path, pytest_args: list[str], target: str = "tests/browser/test_playground_pages.py"
             ) -> dict:
    """One pytest run of tests/browser; its outcome, duration and first-draw records."""
    record, junit, artifacts = out / f"run-{index:02d}.jsonl", out / f"run-{index:02d}.xml", out / f"run-{index:02d}"
    env = dict(os.environ, MPLBACKEND="Agg", MLP_COURSE_BROWSER_RECORD=str(record),
               MLP_COURSE_ARTIFACTS=str(artifacts))
    cmd = [sys.executable, "-m", "pytest", target, "-q", "-p", "no:cacheprovider",
           f"--junitxml={junit}", *pytest_args]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    (out / f"run-{index:02d}.log").write_text(proc.stdout + proc.stderr)
    firsts = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    tests = _junit(junit)
    return {"run": index, "returncode": proc.returncode, "wall_s": round(wall, 1), "tests": tests,
            "first_draw": [f for f in firsts if f.get("event") == "first_draw"]}


def _junit(path: Path) -> list[dict]:
    if not path.exists():
        return []
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                message = (element.get("message") or "").splitlines()
                cases.append({"name": case.get("name"), "outcome": outcome, "time": float(case.get("time", 0)),
                              "message": message[0][:300] if message else ""})
                break
        else:
            cases.append({"name": case.get("name"), "outcome": outcome, "time": float(case.get("time", 0))})
    return cases


def _blank(first: dict) -> bool:
    return not (first["drawn"] and first["still_drawn"])


def summarize(runs: list[dict]) -> dict:
    surfaces = sorted({f["surface"] for r in runs for f in r["first_draw"]})
    per_surface = {}
    for surface in surfaces:
        seen = [f for r in runs for f in r["first_draw"] if f["surface"] == surface]
        waits = [f["wait_s"] for f in seen if f["wait_s"] is not None]
        per_surface[surface] = {
            "observed": len(seen),
            "blank_or_missing": sum(_blank(f) for f in seen),
            "not_loaded_at_once": sum(not f["loaded_at_once"] for f in seen),
            "ready_s_median": round(statistics.median(f["ready_s"] for f in seen), 2) if seen else None,
            "wait_s_median": round(statistics.median(waits), 3) if waits else None,
            "wait_s_max": round(max(waits), 3) if waits else None,
        }
    expected = set(surfaces)
    blank_runs = [r["run"] for r in runs
                  if any(_blank(f) for f in r["first_draw"]) or {f["surface"] for f in r["first_draw"]} != expected]
    failed = [(r["run"], t["name"], t.get("message", "")) for r in runs for t in r["tests"]
              if t["outcome"] in ("failed", "error")]
    test_seconds = [sum(t["time"] for t in r["tests"]) for r in runs if r["tests"]]
    return {
        "runs": len(runs),
        "runs_with_blank_or_missing_plot_after_run_all": len(blank_runs),
        "blank_runs": blank_runs,
        "runs_failed": sorted({r["run"] for r in runs if r["returncode"] != 0}),
        "failed_tests": failed,
        "skipped": sorted({t["name"] for r in runs for t in r["tests"] if t["outcome"] == "skipped"}),
        "per_surface": per_surface,
        "pytest_seconds_median": round(statistics.median(test_seconds), 1) if test_seconds else None,
        "pytest_seconds_max": round(max(test_seconds), 1) if test_seconds else None,
        "wall_s_median": round(statistics.median(r["wall_s"] for r in runs), 1) if runs else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="number of runs (default 20)")
    parser.add_argument("--out", type=Path, help="records folder (default test-artifacts/browser-repeat/<time>)")
    parser.add_argument("--target", default="tests/browser/test_playground_pages.py", help="what pytest runs")
    args, pytest_args = parser.parse_known_args(argv)
    out = args.out or REPO / "test-artifacts" / "browser-repeat" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    runs = []
    for index in range(1, args.runs + 1):
        result = run_once(index, out, pytest_args, args.target)
        runs.append(result)
        firsts = ", ".join(f"{f['surface']}: {'drawn' if not _blank(f) else 'BLANK/MISSING'}"
                           f" ({f['wait_s'] if f['wait_s'] is None else round(f['wait_s'], 2)} s)"
                           for f in result["first_draw"]) or "no first-draw record"
        bad = [t["name"] for t in result["tests"] if t["outcome"] in ("failed", "error")]
        print(f"run {index:2d}/{args.runs}: exit {result['returncode']}, {result['wall_s']:5.1f} s, {firsts}"
              + (f", FAILED {bad}" if bad else ""), flush=True)
    summary = summarize(runs)
    (out / "runs.json").write_text(json.dumps(runs, indent=1))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    print(f"records in {out}")
    ok = not summary["runs_failed"] and summary["runs_with_blank_or_missing_plot_after_run_all"] == 0
    return 0 if ok and not summary["skipped"] else 1


if __name__ == "__main__":
    sys.exit(main())
