"""Load a running service with ``wrk`` (a C load generator) instead of Python clients.

On a 2-core machine the Python clients of ``bench_serving.py`` take a large share of the cores
they share with the server, so their latencies measure the client as much as the server. ``wrk``
needs about a tenth of a core for a thousand requests per second. Install it with
``apt-get install wrk``; without it these scenarios are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_available() -> bool:
    """Whether ``wrk`` is on the PATH."""
    return shutil.which("wrk") is not None


def lua_script(path: str, headers: dict[str, str], bodies: Sequence[str]) -> str:
    """A wrk script that POSTs ``bodies`` to ``path`` in turn, with ``headers``."""
    quoted = ",\n".join(f"[==[{body}]==]" for body in bodies)
    header_lines = "\n".join(f'wrk.headers["{k}"] = [==[{v}]==]' for k, v in headers.items())
    return (
        f"local bodies = {{\n{quoted}\n}}\n"
        "local n = 0\n"
        'wrk.method = "POST"\n'
        f"{header_lines}\n"
        "request = function()\n"
        "  n = n + 1\n"
        f'  return wrk.format(nil, "{path}", nil, bodies[(n % #bodies) + 1])\n'
        "end\n"
    )


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse_report(report: str) -> dict[str, float]:
    """p50, p99 and max latency (ms), requests/s and non-2xx count of a ``wrk --latency`` report.

    Raises:
        ValueError: If the report lacks the latency distribution (wrk failed).
    """
    found = {
        f"p{percent}_ms": _milliseconds(value)
        for percent, value in re.findall(r"^\s+(50|99)%\s+(\S+)$", report, re.MULTILINE)
    }
    latency = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", report, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
    if len(found) != 2 or latency is None or rate is None:
        raise ValueError(f"unexpected wrk output:\n{report}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    return {
        **found,
        "max_ms": _milliseconds(latency.group(1)),
        "req_per_s": float(rate.group(1)),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def wrk_load(
    base_url: str,
    path: str,
    headers: dict[str, str],
    bodies: Sequence[str],
    connections: int,
    seconds: int,
) -> dict[str, float]:
    """Run ``wrk`` with one thread and ``connections`` open connections for ``seconds``.

    Returns:
        The :func:`parse_report` figures.

    Raises:
        RuntimeError: If wrk exits with an error or the server answered other than 2xx.
    """
    with tempfile.TemporaryDirectory(prefix="procare-wrk-") as folder:
        script = Path(folder) / "load.lua"
        script.write_text(lua_script(path, headers, bodies), encoding="utf-8")
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
            base_url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    figures = parse_report(done.stdout)
    if figures["non_2xx"]:
        raise RuntimeError(f"{path} answered {int(figures['non_2xx'])} non-2xx responses")
    return figures
