"""Benchmark of training: the primary model on a synthetic matrix, or ``procare train`` itself.

Usage::

    python benchmarks/bench_train.py --rows 100000
    python benchmarks/bench_train.py --rows 1000000 --threads 1
    python benchmarks/bench_train.py --workdir /tmp/scale/100000 --variants local,local1 \
        --train-as-of 2026-07-31 --train-as-of 2026-08-31 --valid-as-of 2026-09-30

With ``--workdir`` (a folder built by ``procare data generate/ingest`` and ``procare features
build``), ``procare -v train`` (both targets, baselines and ablation) runs as a child process
once per variant, each with MLflow in a fresh temporary store (``MLFLOW_TRACKING_URI``):
``local`` (the default: pieces in one forked process per core), ``localN`` (N processes;
``local1``: every piece in the CLI process, the path before issue 13), ``dask`` (a LocalCluster
of ``--workers`` processes); a ``-negR`` suffix keeps a share R of the negative training rows.
Printed side by side: the machine's load before and after, total wall time, the CLI's own
seconds per phase (read, text model, models, evaluate/log/register), peak RSS of the whole
process tree during each phase (sampled every 0.2 s; stage ends from the CLI's log), and each
target's validation PR and ROC AUC. Run it on a quiet machine (load below 1).

The matrix has ``--features`` columns (two of them categorical, the rest numeric or 0/1, a few
with missing values) and a binary label drawn from known probabilities, so the fitted model's
AUC can be compared with the AUC of the true probabilities (the "oracle"). Training goes
through the product's own path (:class:`training.feature_schema.FeatureSchema` and
:func:`training.booster.fit_booster`) with the default :class:`training.config.LightGBMParams`.

Prints wall time of each step, peak RSS during it (Linux ``VmHWM``, reset before each step)
and RSS after it, then held-out ROC/PR AUC of the model and of the oracle.
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from scipy.special import expit

from training.booster import fit_booster
from training.config import LightGBMParams
from training.evaluate import average_precision, roc_auc
from training.feature_schema import FeatureSchema

logger = logging.getLogger("bench_train")

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
REGIONS = [f"region_{i:02d}" for i in range(31)]
PLANS = ["prepaid", "postpaid_basic", "postpaid_5g", "family", "broadband_bundle"]


def _status_mb(field: str) -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def step(name: str, report: list[dict[str, object]]) -> Iterator[None]:
    """Time a block and record its peak and final resident memory."""
    with suppress(OSError):
        _CLEAR_REFS.write_text("5")
    start = time.perf_counter()
    yield
    report.append(
        {
            "step": name,
            "seconds": round(time.perf_counter() - start, 2),
            "peak_rss_mb": round(_status_mb("VmHWM:"), 0),
            "rss_after_mb": round(_status_mb("VmRSS:"), 0),
        }
    )


def synthetic_frame(
    rows: int, features: int, rate: float, seed: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """A feature frame, its labels and the true probabilities.

    Ten numeric columns carry the signal (linear, threshold and one interaction), the plan and
    region categoricals shift the log-odds; the remaining columns are noise. The intercept is
    set so the positive rate is about ``rate``.
    """
    rng = np.random.default_rng(seed)
    numeric = features - 2
    data = rng.standard_normal((rows, numeric), dtype=np.float32)
    counts = rng.poisson(1.5, (rows, numeric // 4)).astype(np.float32)
    data[:, : counts.shape[1]] = counts
    data[rng.random((rows, numeric)) < 0.02] = np.nan
    plan = rng.integers(0, len(PLANS), rows)
    region = rng.integers(0, len(REGIONS), rows)
    x = np.nan_to_num(data[:, :10])
    logit = (
        0.6 * x[:, 0]
        + 0.4 * x[:, 1]
        + 0.8 * (x[:, 2] > 3)
        + 0.5 * x[:, 3] * x[:, 4] / 3
        + 0.3 * np.tanh(x[:, 5:10]).sum(axis=1)
        + np.array([0.5, 0.0, -0.2, 0.1, 0.3])[plan]
        + np.linspace(-0.3, 0.3, len(REGIONS))[region]
    )
    offset = np.quantile(logit, 1 - rate) + 0.5
    prob = expit(1.2 * (logit - offset))
    y = rng.random(rows) < prob
    frame = pd.DataFrame(data, columns=[f"f{i:03d}" for i in range(numeric)])
    frame["acct_plan_type"] = pd.Categorical.from_codes(plan, PLANS)
    frame["acct_region"] = pd.Categorical.from_codes(region, REGIONS)
    return frame, y, prob


def _peak_rss_mb() -> float:
    return _status_mb("VmHWM:")


PHASE_LINE = re.compile(r"phase (\w+) done: ([\d.]+) s")
SECONDS_LINE = re.compile(r"seconds per phase: (\{.*?\})")
READ_LINE = re.compile(r"training .* validating on")
AUC_LINE = re.compile(r"(\w+): PR AUC ([\d.]+), ROC AUC ([\d.]+)")


def _tree_rss_mb(process: psutil.Process) -> float:
    """Resident memory of a process and its children (the forked piece processes), in MB."""
    total = 0
    with suppress(psutil.Error):
        total += process.memory_info().rss
        for child in process.children(recursive=True):
            with suppress(psutil.Error):
                total += child.memory_info().rss
    return total / 2**20


def run_cli(workdir: Path, variant: str, workers: int, extra: list[str]) -> dict[str, object]:
    """One ``procare -v train`` child process on ``workdir``; its figures as one column.

    Stage boundaries come from the CLI's log (data read, ``phase ... done``, the end); peak
    RSS of each stage is the largest sum over the process tree, sampled every 0.2 s.
    """
    kind, _, rate = variant.partition("-neg")
    command = [str(Path(sys.executable).with_name("procare")), "-v", "train"]
    command += ["--workdir", str(workdir), *extra]
    if kind == "dask":
        command += ["--engine", "dask", "--workers", str(workers)]
    if rate:
        command += ["--negatives", rate]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench_train_") as store:
        env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{store}/mlflow.db"}
        env["COLUMNS"] = "200"
        if kind.startswith("local") and kind != "local":
            config = Path(store) / "train.yaml"
            config.write_text(f"processes: {int(kind.removeprefix('local'))}\n")
            command += ["--config", str(config)]
        start = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True
        )
        lines: queue.Queue[tuple[float, str]] = queue.Queue()

        def read() -> None:
            for line in child.stdout:
                lines.put((time.perf_counter(), line))

        threading.Thread(target=read, daemon=True).start()
        process = psutil.Process(child.pid)
        stage, peaks, ends, log = "read", {}, {}, []
        while True:
            finished = child.poll() is not None
            peaks[stage] = max(peaks.get(stage, 0.0), _tree_rss_mb(process))
            while not lines.empty():
                at, line = lines.get()
                log.append(line)
                if stage == "read" and READ_LINE.search(line):
                    ends[stage], stage = at, "text_model"
                elif match := PHASE_LINE.search(line):
                    ends[match.group(1)] = at
                    stage = "models" if match.group(1) == "text_model" else "evaluate_log_register"
            if finished:
                break
            time.sleep(0.2)
        total = time.perf_counter() - start
    text = "".join(log)
    if child.returncode != 0:
        sys.stderr.write("".join(log[-40:]))
        if not SECONDS_LINE.search(text):
            raise SystemExit(f"procare train failed ({child.returncode})")
        logger.warning("procare train exited %d after training", child.returncode)
    column: dict[str, object] = {"load_1min_before": round(load, 2), "total_s": round(total, 1)}
    column["exit_code"] = child.returncode
    if match := SECONDS_LINE.search(text):
        for name, seconds in ast.literal_eval(match.group(1)).items():
            column[f"{name}_s"] = seconds
    for name, peak in peaks.items():
        column[f"{name}_peak_rss_mb"] = round(peak)
    for target, pr, roc in AUC_LINE.findall(text):
        column[f"{target}_pr_auc"] = float(pr)
        column[f"{target}_roc_auc"] = float(roc)
    column["load_1min_after"] = round(os.getloadavg()[0], 2)
    return column


def main_train(args: argparse.Namespace) -> None:
    """Run every variant of ``procare train`` in a child process; print them side by side."""
    extra = [f"--train-as-of={d}" for d in args.train_as_of or []]
    if args.valid_as_of:
        extra.append(f"--valid-as-of={args.valid_as_of}")
    columns = {v: run_cli(args.workdir, v, args.workers, extra) for v in args.variants.split(",")}
    print(f"procare train on {args.workdir} (both targets, baselines, ablation)")
    print(pd.DataFrame(columns).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="Time `procare train` on this data folder.")
    parser.add_argument(
        "--variants", default="local", help="local, local1 (one process), dask, [-negRATE]."
    )
    parser.add_argument("--train-as-of", action="append", help="Training snapshot (repeat).")
    parser.add_argument("--valid-as-of", help="Validation snapshot.")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (dask).")
    parser.add_argument("--rows", type=int, default=100_000, help="Training rows.")
    parser.add_argument("--features", type=int, default=100, help="Columns (>= 12).")
    parser.add_argument("--rate", type=float, default=0.1, help="Approximate positive rate.")
    parser.add_argument("--trees", type=int, default=None, help="Override n_estimators.")
    parser.add_argument("--threads", type=int, default=None, help="Override num_threads.")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.workdir is not None:
        main_train(args)
        return

    params = LightGBMParams()
    overrides = {"n_estimators": args.trees, "num_threads": args.threads}
    params = params.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    holdout = min(200_000, max(args.rows // 5, 10_000))
    report: list[dict[str, object]] = []

    with step("generate", report):
        frame, y, prob = synthetic_frame(args.rows + holdout, args.features, args.rate, args.seed)
    train, test = frame.iloc[: args.rows], frame.iloc[args.rows :]
    with step("schema+matrix", report):
        schema = FeatureSchema.from_frames(
            [train], list(frame.columns), {"acct_plan_type": "category", "acct_region": "category"}
        )
        matrix = schema.to_matrix(train)
    with step("lightgbm_fit", report):
        booster = fit_booster(
            matrix,
            y[: args.rows],
            list(schema.columns),
            schema.categorical_indices,
            params,
            args.seed,
        )
    del matrix
    with step("predict_holdout", report):
        score = booster.predict(schema.to_matrix(test), raw_score=True)

    y_test, p_test = y[args.rows :], prob[args.rows :]
    print(
        f"rows={args.rows:,} features={args.features} trees={params.n_estimators} "
        f"num_threads={params.num_threads} positive_rate={y[: args.rows].mean():.3f}"
    )
    print(pd.DataFrame(report).to_string(index=False))
    model_auc, oracle_auc = roc_auc(y_test, score), roc_auc(y_test, p_test)
    model_ap, oracle_ap = average_precision(y_test, score), average_precision(y_test, p_test)
    print(
        f"holdout {len(y_test):,} rows: ROC AUC {model_auc:.4f} (oracle {oracle_auc:.4f}, "
        f"ratio {model_auc / oracle_auc:.3f}); PR AUC {model_ap:.4f} (oracle {oracle_ap:.4f}, "
        f"ratio {model_ap / oracle_ap:.3f})"
    )


if __name__ == "__main__":
    main()
