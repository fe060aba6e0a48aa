"""Batch scores of a snapshot: computed once (reasons are costly), looked up by id when serving.

A score file is written part by part (one Parquet row group per engine task: a chunk or bucket
of the base), so the writer holds one part at a time; it is published in one rename when the
last part is in. ``reasons`` is JSON text: a list of reason dicts, or ``null`` for a customer
whose reasons were not precomputed (see ``ScoringConfig.reasons_for_tiers``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.catalog import ScoreFiles, ScoreStore
from pipelines.stage_schemas import check_file, parse_json_column, scores_schema
from pipelines.storage import atomic_path

SCORES_FILE = ScoreFiles(Path()).scores.name
"""Name of the scores file in a date's folder (locations come from :mod:`pipelines.catalog`)."""
SCORING_FILE = ScoreFiles(Path()).scoring.name


def scores_dir(root: Path, as_of: date) -> Path:
    """Folder of one snapshot's scores, ``<root>/as_of=<YYYY-MM-DD>`` (see the catalog)."""
    return ScoreStore(root).at(as_of).folder


class ScoreWriter:
    """Appends parts of a score file (each a row group) to an open Parquet writer."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, scores: pd.DataFrame) -> None:
        """Append one part: output of ``serving.scoring.score.score_customers``."""
        table = scores.reset_index()
        table["reasons"] = [
            json.dumps(r, ensure_ascii=False, default=str) for r in table["reasons"]
        ]
        arrow = pa.Table.from_pandas(table, preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path, arrow.schema)
        elif not arrow.schema.equals(self._writer.schema, check_metadata=False):
            arrow = arrow.cast(self._writer.schema)
        self._writer.write_table(arrow)
        self.rows += len(table)

    def close(self) -> None:
        """Finish the file (an empty part first when nothing was written)."""
        if self._writer is None:
            columns = ["customer_id", *_EMPTY_COLUMNS]
            pd.DataFrame(columns=columns).to_parquet(self._path, index=False)
            return
        self._writer.close()


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

    The model versions and the scoring configuration are written first and the score file,
    which marks the scores as published, last. A failure leaves the previous score file.

    Args:
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.
        scoring: The scoring configuration used (JSON-ready), written to ``scoring.json``.
    """
    files = ScoreStore(root).at(as_of)
    with atomic_path(files.scores) as tmp:
        writer = ScoreWriter(tmp)
        try:
            yield writer
        finally:
            writer.close()
        with atomic_path(files.versions) as text:
            text.write_text(json.dumps(versions, indent=2), encoding="utf-8")
        if scoring is not None:
            with atomic_path(files.scoring) as text:
                text.write_text(json.dumps(scoring, indent=2), encoding="utf-8")


def write_scores(
    scores: pd.DataFrame, root: Path, as_of: date, versions: dict, scoring: dict | None = None
) -> Path:
    """Write scores (``reasons`` as JSON text), the model versions and the scoring configuration
    that made them, in one part (see :func:`score_writer` for many).

    Args:
        scores: Output of :func:`serving.scoring.score.score_customers`, indexed by customer_id.
        root: Scores root folder (e.g. ``data/scores``).
        as_of: Snapshot date.
        versions: Model name/version/alias per target.
        scoring: The scoring configuration used (JSON-ready), written to ``scoring.json``.

    Returns:
        The written Parquet path.
    """
    with score_writer(root, as_of, versions, scoring) as writer:
        writer.write(scores)
    return ScoreStore(root).at(as_of).scores


def read_scores_scoring(root: Path, as_of: date) -> dict | None:
    """The scoring configuration a snapshot's scores were made with (``None``: not recorded)."""
    path = ScoreStore(root).at(as_of).scoring
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
    table = pd.read_parquet(files.scores, columns=columns)
    check_file(table, schema, files.scores)
    table = table.set_index("customer_id")
    if parse_reasons and "reasons" in table:
        table["reasons"] = parse_json_column(table["reasons"], files.scores)
    versions = json.loads(files.versions.read_text(encoding="utf-8"))
    return table, versions


def latest_scored(root: Path) -> date | None:
    """The most recent scored snapshot under ``root``, if any."""
    found = ScoreStore(root).available()
    return found[-1] if found else None
