"""Generator memory: the in-memory world (generate + save) against month-by-month streaming.

Usage::

    python benchmarks/bench_generate_stream.py --customers 100000 1000000

Each path runs in its own process (so each peak RSS is its own) and writes to a temporary
folder; prints wall time and peak RSS side by side, and their ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipelines.synthetic.config import WorldConfig
path, customers, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
config = WorldConfig(customers=customers, months=12, seed=7)
start = time.perf_counter()
if path == "in-memory":
    from pipelines.synthetic.world import generate_world, save_world
    save_world(generate_world(config), out)
else:
    from pipelines.synthetic.stream import write_world
    write_world(config, out)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
print(json.dumps({"seconds": time.perf_counter() - start, "peak_gb": peak}))
"""


def run(path: str, customers: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, path, str(customers), out],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--skip-in-memory-above", type=int, default=1_500_000)
    args = parser.parse_args()
    print(f"{'customers':>10} {'path':>10} {'seconds':>8} {'peak GB':>8}")
    for customers in args.customers:
        results = {}
        for path in ("in-memory", "streaming"):
            if path == "in-memory" and customers > args.skip_in_memory_above:
                continue
            results[path] = run(path, customers)
            r = results[path]
            print(f"{customers:>10,} {path:>10} {r['seconds']:>8.1f} {r['peak_gb']:>8.2f}")
        if len(results) == 2:
            ratio = results["streaming"]["peak_gb"] / results["in-memory"]["peak_gb"]
            print(f"{'':>10} {'ratio':>10} {'':>8} {ratio:>8.2f}  (streaming / in-memory peak)")


if __name__ == "__main__":
    main()
