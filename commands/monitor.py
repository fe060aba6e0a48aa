"""`procare monitor`: drift, expected vs realized performance, data quality, retrain advice."""

from __future__ import annotations

from pathlib import Path

import typer

from commands.common import (
    console,
    data_layout,
    existing_tracking,
    fail,
    frame_table,
    parse_dates,
    workdir_option,
)

DRIFT_ROWS = 15
DRIFT_SHOWN = ("feature", "kind", "psi", "js_distance", "importance", "top_weighted", "status")
PERFORMANCE_SHOWN = (
    "target",
    "capacity",
    "list_size",
    "expected_positives",
    "expected_precision",
    "realized_precision",
    "expected_recall",
    "realized_recall",
)
QUALITY_SHOWN = (
    "table",
    "period",
    "recent_per_period",
    "usual_low",
    "usual_high",
    "volume_status",
    "null_column",
    "null_rate",
    "out_of_range_rate",
    "late_rows",
)


def monitor(
    as_of: str = typer.Option(..., "--as-of", help="The snapshot to monitor (YYYY-MM-DD)."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Compare the snapshot of a date with the champions' training reference: feature and score
    drift, expected (and, once the horizon has passed, realized) precision and recall of the
    list, data quality, and whether to retrain; logged to MLflow (procare-monitoring)."""
    from monitoring.config import MonitorConfig
    from monitoring.run import MonitorInputError
    from monitoring.run import monitor as run_monitor
    from pipelines.stage_schemas import StageFileError

    config = MonitorConfig(as_of=parse_dates([as_of], "--as-of")[0], layout=data_layout(workdir))
    tracking = existing_tracking()
    try:
        result = run_monitor(config, tracking)
    except MonitorInputError as exc:
        fail(str(exc))
    except StageFileError as exc:
        fail(f"{exc.path} breaks its schema; rebuild it with the command that wrote it")
    drift = result.drift.head(DRIFT_ROWS)
    console.print(
        frame_table(
            f"feature drift {result.as_of} vs training snapshots "
            f"{', '.join(d.isoformat() for d in result.reference_dates)} "
            f"(top {len(drift)} of {len(result.drift)}; top-weighted first)",
            drift[list(DRIFT_SHOWN)],
        )
    )
    console.print(frame_table("score drift (vs validation snapshot)", result.score_drift))
    shown = result.performance[list(PERFORMANCE_SHOWN)]
    realized = "realized from labels" if result.labels_observed else "horizon not yet observed"
    console.print(frame_table(f"expected vs realized ({realized}; {result.scores_source})", shown))
    console.print(frame_table("ranking", result.ranking))
    if len(result.quality):
        quality = result.quality[[c for c in QUALITY_SHOWN if c in result.quality]]
        console.print(frame_table("data quality", quality, float_format="{:.4g}"))
    style = "bold red" if result.recommendation.retrain else "bold green"
    console.print(f"[{style}]{result.recommendation.label}[/]")
    for reason in result.recommendation.reasons:
        console.print(f"  - {reason}")
    console.print(f"MLflow run {result.run_id} (experiment {config.experiment})")
