"""Batch scores of a snapshot: computed once (reasons are costly), looked up by id when serving."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.catalog import ScoreFiles, ScoreStore
from pipelines.stage_schemas import check_file, parse_json_column, scores_schema
from pipelines.storage import atomic_path

SCORES_FILE = ScoreFiles(Path()).scores.name
"""Name of the scores file in a date's folder (locations come from :mod:`pipelines.catalog`)."""
SCORING_FILE = ScoreFiles(Path()).scoring.name


def scores_dir(root: Path, as_of: date) -> Path:
    """Folder of one snapshot's scores, ``<root>/as_of=<YYYY-MM-DD>`` (see the catalog)."""
    return ScoreStore(root).at(as_of).folder


def write_scores(
    scores: pd.DataFrame, root: Path, as_of: date, versions: dict, scoring: dict | None = None
) -> Path:
    """Write scores (``reasons`` as JSON text), the model versions and the scoring configuration
    that made them.

    Args:
        scores: Output of :func:`serving.scoring.score.score_customers`, indexed by customer_id.
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.
        scoring: The scoring configuration used (JSON-ready), written to ``scoring.json``.

    Returns:
        The written Parquet path.
    """
    table = scores.reset_index()
    table["reasons"] = [json.dumps(r, ensure_ascii=False, default=str) for r in table["reasons"]]
    files = ScoreStore(root).at(as_of)
    target = files.scores
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_path(files.versions) as tmp:
        tmp.write_text(json.dumps(versions, indent=2), encoding="utf-8")
    if scoring is not None:
        with atomic_path(files.scoring) as tmp:
            tmp.write_text(json.dumps(scoring, indent=2), encoding="utf-8")
    return target


def read_scores_scoring(root: Path, as_of: date) -> dict | None:
    """The scoring configuration a snapshot's scores were made with (``None``: not recorded)."""
    path = ScoreStore(root).at(as_of).scoring
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


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
        StageFileError: If the score file breaks its schema (stale or edited by hand).
    """
    files = ScoreStore(root).at(as_of)
    if not files.published:
        raise FileNotFoundError(
            f"no scores at {files.folder}: run `procare score --as-of {as_of.isoformat()}`"
        )
    table = pd.read_parquet(files.scores)
    check_file(table, scores_schema(), files.scores)
    table = table.set_index("customer_id")
    if parse_reasons:
        table["reasons"] = parse_json_column(table["reasons"], files.scores)
    versions = json.loads(files.versions.read_text(encoding="utf-8"))
    return table, versions


def latest_scored(root: Path) -> date | None:
    """The most recent scored snapshot under ``root``, if any."""
    found = ScoreStore(root).available()
    return found[-1] if found else None
