"""Batch scores of a snapshot: computed once (reasons are costly), looked up by id when serving.

Scores are kept like snapshots (see :mod:`pipelines.catalog.scores`): one Parquet part per
customer bucket in a new version folder, with the model versions and the scoring configuration
beside them, published together when ``meta.json`` naming the version is written last; a failed
run leaves the previous scores whole. ``reasons`` is JSON text: a list of reason dicts, or
``null`` for a customer whose reasons were not precomputed (see
``ScoringConfig.reasons_for_tiers``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.catalog import ScoreFiles, ScoreStore
from pipelines.datasets import publish_version, staged_version, write_part
from pipelines.stage_schemas import check_file, parse_json_column, scores_schema
from pipelines.storage import write_text_atomic

LEGACY_FILES = ("scores.parquet", "versions.json", "scoring.json")
"""Files of scores written before they had buckets (removed once newer scores are published)."""


def scores_dir(root: Path, as_of: date) -> Path:
    """Folder of one snapshot's scores, ``<root>/as_of=<YYYY-MM-DD>`` (see the catalog)."""
    return ScoreStore(root).at(as_of).folder


class ScoreWriter:
    """Writes the parts of a score file, one per bucket, into an unpublished version folder."""

    def __init__(self, files: ScoreFiles, version: str) -> None:
        self._files = files
        self._version = version
        self.buckets: set[int] = set()
        self.rows = 0

    def write(self, scores: pd.DataFrame, bucket: int = 0) -> None:
        """Write one bucket's part: output of ``serving.scoring.score.score_customers``."""
        table = scores.reset_index()
        table["reasons"] = [
            json.dumps(r, ensure_ascii=False, default=str) for r in table["reasons"]
        ]
        write_part(table, self._files.part(bucket, self._version))
        self.buckets.add(bucket)
        self.rows += len(table)

    def close(self) -> None:
        """Give an empty part when nothing was written (a snapshot without customers)."""
        if not self.buckets:
            empty = pd.DataFrame(columns=["customer_id", *_EMPTY_COLUMNS])
            write_part(empty, self._files.part(0, self._version))
            self.buckets.add(0)


_EMPTY_COLUMNS = (
    "p_repeat_contact",
    "p_escalation",
    "risk_tier",
    "action",
    "action_zh",
    "action_en",
    "team",
    "reasons",
)


@contextmanager
def score_writer(
    root: Path, as_of: date, versions: dict, scoring: dict | None = None
) -> Iterator[ScoreWriter]:
    """Write a snapshot's scores part by part; published when the block ends without error.

    The parts, the model versions and the scoring configuration go into a new version folder;
    ``meta.json`` naming it is replaced last, which publishes them together, and the version it
    replaced is then removed (see :func:`pipelines.datasets.publish_version`). A failure removes
    the new folder and leaves the previous scores.

    Args:
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.
        scoring: The scoring configuration used (JSON-ready), written to ``scoring.json``.
    """
    files = ScoreStore(root).at(as_of)
    with staged_version(files.folder) as folder:
        writer = ScoreWriter(files, folder.name)
        yield writer
        writer.close()
        write_text_atomic(json.dumps(versions, indent=2), files.versions(folder.name))
        if scoring is not None:
            write_text_atomic(json.dumps(scoring, indent=2), files.scoring(folder.name))
    publish_version(folder, files.meta, {"buckets": len(writer.buckets), "rows": writer.rows})
    for name in LEGACY_FILES:
        (files.folder / name).unlink(missing_ok=True)


def write_scores(
    scores: pd.DataFrame, root: Path, as_of: date, versions: dict, scoring: dict | None = None
) -> Path:
    """Write scores (``reasons`` as JSON text), the model versions and the scoring configuration
    that made them, as one part (see :func:`score_writer` for many).

    Args:
        scores: Output of :func:`serving.scoring.score.score_customers`, indexed by customer_id.
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.
        scoring: The scoring configuration used (JSON-ready), written to ``scoring.json``.

    Returns:
        The published scores location.
    """
    with score_writer(root, as_of, versions, scoring) as writer:
        writer.write(scores)
    return ScoreStore(root).at(as_of).scores


def read_scores_scoring(root: Path, as_of: date) -> dict | None:
    """The scoring configuration a snapshot's scores were made with (``None``: not recorded)."""
    path = ScoreStore(root).at(as_of).scoring()
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def read_scores(
    root: Path, as_of: date, parse_reasons: bool = True, columns: Sequence[str] | None = None
) -> tuple[pd.DataFrame, dict]:
    """Read a snapshot's scores and model versions.

    Args:
        root: Scores folder.
        as_of: Snapshot date.
        parse_reasons: Parse ``reasons`` back to lists of dicts (``None``: not precomputed);
            otherwise they stay JSON text (``serving.scoring.score.reason_list`` reads either),
            which is far cheaper for a whole base when only a few rows are read.
        columns: Read only these columns (``customer_id`` always); default: all.

    Raises:
        FileNotFoundError: If the snapshot was not scored (run ``procare score``).
        StageFileError: If the score file breaks its schema (stale or edited by hand).
    """
    files = ScoreStore(root).at(as_of)
    if not files.published:
        raise FileNotFoundError(
            f"no scores at {files.folder}: run `procare score --as-of {as_of.isoformat()}`"
        )
    schema = scores_schema()
    if columns is not None:
        columns = list(dict.fromkeys(["customer_id", *columns]))
        schema = schema.select_columns([c for c in columns if c in schema.columns])
    parts = []
    for path in files.parts():
        part = pd.read_parquet(path, columns=columns)
        check_file(part, schema, path)
        part = part.set_index("customer_id")
        if parse_reasons and "reasons" in part:
            part["reasons"] = parse_json_column(part["reasons"], path)
        parts.append(part)
    if not parts:
        raise FileNotFoundError(f"no score parts in {files.scores}: run `procare score` again")
    table = _concat(parts)
    if not table.index.is_unique:
        ids = table.index.to_frame(index=False)
        check_file(ids, schema.select_columns(["customer_id"]), files.scores)
    versions = json.loads(files.versions().read_text(encoding="utf-8"))
    return table, versions


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [part for part in parts if len(part)] or parts[:1]
    return filled[0] if len(filled) == 1 else pd.concat(filled)


def latest_scored(root: Path) -> date | None:
    """The most recent scored snapshot under ``root``, if any."""
    found = ScoreStore(root).available()
    return found[-1] if found else None
