"""Batch scores of a snapshot: computed once (reasons are costly), looked up by id when serving."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.storage import atomic_path

SCORES_FILE = "scores.parquet"


def scores_dir(root: Path, as_of: date) -> Path:
    """Folder of one snapshot's scores, ``<root>/as_of=<YYYY-MM-DD>``."""
    return Path(root) / f"as_of={as_of.isoformat()}"


def write_scores(scores: pd.DataFrame, root: Path, as_of: date, versions: dict) -> Path:
    """Write scores (``reasons`` as JSON text) and the model versions that made them.

    Args:
        scores: Output of :func:`serving.scoring.score.score_customers`, indexed by customer_id.
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.

    Returns:
        The written Parquet path.
    """
    table = scores.reset_index()
    table["reasons"] = [json.dumps(r, ensure_ascii=False, default=str) for r in table["reasons"]]
    folder = scores_dir(root, as_of)
    target = folder / SCORES_FILE
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_path(folder / "versions.json") as tmp:
        tmp.write_text(json.dumps(versions, indent=2), encoding="utf-8")
    return target


def read_scores(root: Path, as_of: date, parse_reasons: bool = True) -> tuple[pd.DataFrame, dict]:
    """Read a snapshot's scores and model versions.

    Args:
        root: Scores folder.
        as_of: Snapshot date.
        parse_reasons: Parse ``reasons`` back to lists of dicts; otherwise they stay JSON text
            (``serving.scoring.score.reason_list`` reads either), which is far cheaper for a whole
            base when only a few rows are read.

    Raises:
        FileNotFoundError: If the snapshot was not scored (run ``procare score``).
    """
    folder = scores_dir(root, as_of)
    if not (folder / SCORES_FILE).is_file():
        raise FileNotFoundError(
            f"no scores at {folder}: run `procare score --as-of {as_of.isoformat()}`"
        )
    table = pd.read_parquet(folder / SCORES_FILE).set_index("customer_id")
    if parse_reasons:
        table["reasons"] = [json.loads(text) for text in table["reasons"]]
    versions = json.loads((folder / "versions.json").read_text(encoding="utf-8"))
    return table, versions


def latest_scored(root: Path) -> date | None:
    """The most recent scored snapshot under ``root``, if any."""
    found = [
        date.fromisoformat(folder.name.removeprefix("as_of="))
        for folder in Path(root).glob("as_of=*")
        if (folder / SCORES_FILE).is_file()
    ]
    return max(found) if found else None
