"""Cost of checking files read back between stages (pipelines/stage_schemas.py).

Writes a synthetic score file with the real writer (1M customers by default, as the service
reads at start-up) and a synthetic snapshot feature table, then prints the read time with and
without the schema check side by side (best of ``--repeat`` runs).

    .venv/bin/python benchmarks/bench_stage_schemas.py --rows 1000000 --feature-rows 200000
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from features.catalog import all_features
from pipelines.catalog import DataLayout, ScoreStore
from pipelines.scores import read_scores, write_scores
from pipelines.stage_schemas import check_file, features_schema, scores_schema

logger = logging.getLogger("bench_stage_schemas")
AS_OF = date(2026, 8, 31)
TIERS = np.array(["high", "medium", "low"], dtype=object)
ACTIONS = np.array(["care_call", "bill_explanation_call", "supervisor_escalation"], dtype=object)


def _ids(n: int) -> np.ndarray:
    return np.char.add("C", np.char.zfill(np.arange(n).astype(str), 8)).astype(object)


def synthetic_scores(n: int, seed: int = 0) -> pd.DataFrame:
    """Score rows shaped like ``score_customers`` output, three reasons each."""
    rng = np.random.default_rng(seed)
    pool = [
        [
            {
                "target": "escalation",
                "feature": f"ct_inbound_{k}d",
                "value": float(k),
                "contribution": 0.1 * k,
                "zh": f"近{k}天联系客服 {k} 次",
                "en": f"{k} contacts",
            }
            for k in (7, 30, 90)
        ][: 1 + i % 3]
        for i in range(50)
    ]
    action = ACTIONS[rng.integers(0, len(ACTIONS), n)]
    return pd.DataFrame(
        {
            "p_repeat_contact": rng.random(n),
            "p_escalation": rng.random(n) * 0.5,
            "risk_tier": TIERS[rng.integers(0, 3, n)],
            "action": action,
            "action_zh": "主动关怀回访",
            "action_en": "care call",
            "team": "agents",
            "reasons": [pool[i % len(pool)] for i in range(n)],
        },
        index=pd.Index(_ids(n), name="customer_id"),
    )


def synthetic_features(n: int, seed: int = 0) -> pd.DataFrame:
    """A flat ``features.parquet`` table: every registered feature in its stored dtype."""
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {"customer_id": _ids(n)}
    for spec in all_features():
        if spec.dtype == "category":
            columns[spec.name] = pd.Categorical.from_codes(rng.integers(0, 4, n), list("abcd"))
        elif spec.dtype == "bool":
            columns[spec.name] = rng.random(n) < 0.1
        elif spec.dtype == "int":
            columns[spec.name] = rng.integers(0, 20, n)
        else:
            columns[spec.name] = rng.random(n)
    columns["repeat_contact"] = rng.random(n) < 0.1
    columns["escalation"] = rng.random(n) < 0.03
    return pd.DataFrame(columns)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fastest wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def unchecked_scores(root: Path) -> pd.DataFrame:
    """What ``read_scores(parse_reasons=False)`` did before the schema check."""
    return pd.read_parquet(ScoreStore(root).at(AS_OF).scores).set_index("customer_id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="Customers in the scores.")
    parser.add_argument("--feature-rows", type=int, default=200_000, help="Snapshot rows.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    with tempfile.TemporaryDirectory() as tmp:
        layout = DataLayout(workdir=Path(tmp))
        root = layout.scores_dir
        write_scores(synthetic_scores(args.rows), root, AS_OF, {"escalation": {"version": "1"}})
        path = layout.scores.at(AS_OF).scores
        table = pd.read_parquet(path)
        scores_schema()
        plain = best_of(args.repeat, lambda: unchecked_scores(root))
        checked = best_of(args.repeat, lambda: read_scores(root, AS_OF, parse_reasons=False))
        check = best_of(args.repeat, lambda: check_file(table, scores_schema(), path))
        logger.info(
            "score file, %s rows (%.0f MB on disk)", f"{args.rows:,}", path.stat().st_size / 1e6
        )
        logger.info("  read without check  %7.3f s", plain)
        logger.info(
            "  read_scores (check) %7.3f s  (+%.0f%%)", checked, 100 * (checked / plain - 1)
        )
        logger.info("  check alone         %7.3f s", check)

        features = synthetic_features(args.feature_rows)
        fpath = layout.features.at(AS_OF).features
        fpath.parent.mkdir(parents=True)
        features.to_parquet(fpath, index=False)
        features_schema()
        plain = best_of(args.repeat, lambda: pd.read_parquet(fpath).set_index("customer_id"))
        check = best_of(args.repeat, lambda: check_file(features, features_schema(), fpath))
        logger.info(
            "features.parquet, %s rows x %d columns", f"{args.feature_rows:,}", features.shape[1]
        )
        logger.info("  read without check  %7.3f s", plain)
        logger.info(
            "  check alone         %7.3f s  (+%.0f%% of the read)", check, 100 * check / plain
        )


if __name__ == "__main__":
    main()
