"""``python -m benchmarks [NAME ...] [--quick]``: run the benchmark modules and print their tables.

Every module ``benchmarks/bench_*.py`` is run in name order (or only the NAMEs given, with or
without the ``bench_`` prefix). Each prints its own table; the machine is described once at the
top, and all the results go to ``benchmarks/results/results[-quick].json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

from . import RESULTS_DIR, describe_machine, load_average, machine_info


def available() -> list[str]:
    """Names of the benchmark modules, ``bench_*``, in name order."""
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def resolve(names: list[str]) -> list[str]:
    """Module names for the NAMEs given on the command line (all of them when none is given)."""
    known = available()
    if not names:
        return known
    chosen = []
    for name in names:
        module = name if name.startswith("bench_") else f"bench_{name}"
        if module not in known:
            raise SystemExit(f"unknown benchmark {name!r}; available: {', '.join(m[6:] for m in known)}")
        chosen.append(module)
    return chosen


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. training")
    parser.add_argument("--quick", action="store_true", help="a fast pass on tiny sizes (a smoke run)")
    args = parser.parse_args(argv)

    info = machine_info()
    print(describe_machine(info))
    print("mode: quick (tiny sizes, numbers are not measurements)" if args.quick else "mode: full")
    results = {"machine": info, "quick": args.quick, "benchmarks": {}}
    for module_name in resolve(args.names):
        module = importlib.import_module(f"{__package__}.{module_name}")
        print(f"\n=== {module_name} ===", flush=True)
        start = time.perf_counter()
        results["benchmarks"][module_name] = module.main(quick=args.quick)
        print(f"({module_name} took {time.perf_counter() - start:.1f} s)", flush=True)
    results["load_average_1min_at_end"] = load_average()
    print(f"\nload average at end {results['load_average_1min_at_end']} (on {info['nproc']} cores)")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"results{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(results, indent=2, default=float) + "\n", encoding="utf-8")
    print(f"\nresults saved to {path}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
