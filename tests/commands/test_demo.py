"""`procare demo`: arguments, and the whole job in process (the HTTP step is `make demo`'s)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from commands.demo import CLOSED_LOOP_FOLDER, DEMO_TODAY, PILOT_AS_OF, MeasuredLoop, summary_lines
from monitoring.recommend import Recommendation
from monitoring.run import MonitorResult
from outreach.closed_loop import (
    TRUTH_TABLE,
    ClosedLoopConfig,
    ClosedLoopResult,
    recorded_plan_loop,
)
from pipelines.catalog import DataLayout
from pipelines.datasets import read_pointer
from pipelines.scores import read_scores
from pipelines.synthetic import WorldConfig
from tests.commands.cli_runner import help_text, invoke


def test_help_names_the_key_options():
    text = help_text("demo")
    options = ("--customers", "--seed", "--workdir", "--engine", "--no-serve", "--no-closed-loop")
    for option in (*options, "end to end"):
        assert option in text, option


def test_demo_rejects_a_tiny_world_before_writing_anything(tmp_path):
    workdir = tmp_path / "work"
    result = invoke("demo", "--customers", "5", "--workdir", str(workdir))
    assert result.exit_code == 2
    assert "--customers" in result.output
    assert not workdir.exists()


def test_demo_runs_end_to_end_in_process(tmp_path):
    """The README's main command, small and without the HTTP step: every stage's output."""
    workdir = tmp_path / "work"
    result = invoke(
        "demo",
        "--customers",
        "300",
        "--no-serve",
        "--buckets",
        "3",
        "--workdir",
        str(workdir),
        mlflow_dir=tmp_path / "mlruns",
    )
    assert result.exit_code == 0, result.output
    layout = DataLayout(workdir=workdir)
    today = date.fromisoformat(DEMO_TODAY)
    assert layout.features.available()[-1] == today
    assert read_pointer(layout.raw.manifest)["buckets"] == 3
    scores, versions = read_scores(layout.scores_dir, today, parse_reasons=False)
    assert len(scores) == 300 and set(versions) == {"repeat_contact", "escalation"}
    assert layout.outreach.at(today).plan("csv").is_file()
    assert layout.report(today).is_file()
    assert "10/10 operations report" in result.output and "11/11" not in result.output
    pilot = date.fromisoformat(PILOT_AS_OF)
    assert layout.outreach.at(pilot).plan("parquet").is_file()
    loop = DataLayout(workdir=workdir / CLOSED_LOOP_FOLDER)
    assert loop.outreach.at(pilot).effect.is_file()
    assert loop.world.latent(TRUTH_TABLE).is_file()
    assert not layout.world.latent(TRUTH_TABLE).exists()
    assert not layout.outreach.at(pilot).effect.exists()
    assert read_pointer(layout.raw.manifest)["buckets"] == 3
    summary = result.output[result.output.rindex("summary") :]
    lines = summary.splitlines()
    assert lines[1].startswith(f"measured effect of outreach: the champion's plan of {PILOT_AS_OF}")
    repeat = next(line for line in lines if line.strip().startswith("repeat contact"))
    assert "true −0." in repeat and ("measured −" in repeat or "need 30 each" in repeat)
    assert f"monitoring of {DEMO_TODAY}:" in summary and "most drifted inputs:" in summary
    assert f"precision of the top 5% on {PILOT_AS_OF}:" in summary and "vs realized" in summary
    page = layout.report(today).read_text(encoding="utf-8")
    assert f"Measured effect of the plan of {PILOT_AS_OF}" in page
    assert "procare monitor --as-of D" not in page


def _watched() -> list[MonitorResult]:
    """Two monitored dates: the pilot's (outcomes known) and today's (horizon ahead)."""
    drift = pd.DataFrame(
        {
            "feature": ["g_pagerank", "acct_tenure_days"],
            "psi": [1.9, 0.07],
            "status": ["major", "stable"],
        }
    )
    results = []
    for as_of, observed in ((PILOT_AS_OF, True), (DEMO_TODAY, False)):
        performance = pd.DataFrame(
            {
                "target": ["repeat_contact", "repeat_contact"],
                "capacity": [0.01, 0.05],
                "expected_precision": [0.9, 0.68],
                "realized_precision": [0.8, 0.66] if observed else [np.nan, np.nan],
            }
        )
        advice = Recommendation(True, ("1 top-weighted feature(s) drifted: g_pagerank",))
        frame = pd.DataFrame()
        results.append(
            MonitorResult(
                *(date.fromisoformat(as_of), "run"),
                *(drift, frame, performance, frame, frame, advice, observed, "batch scores", []),
            )
        )
    return results


def _loop(status: str = "ok") -> MeasuredLoop:
    measured = pd.DataFrame(
        {
            "difference": [-0.392, -0.13, -0.3],
            "ci_low": [-0.461, -0.2, -0.38],
            "ci_high": [-0.314, -0.08, -0.22],
            "status": [status, "ok", "ok"],
        },
        index=pd.Index(["repeat_contact", "escalation", "reopened_ticket"], name="outcome"),
    )
    true = {"repeat_contact": -0.388, "escalation": -0.14}
    covered = dict.fromkeys(true, True)
    result = ClosedLoopResult(date(2026, 9, 30), measured, measured, true, covered, measured, "r")
    return MeasuredLoop(DataLayout(workdir="x"), result, 500, 189)


def test_summary_leads_with_the_measured_effect_beside_the_truth():
    lines = summary_lines(_loop(), _watched())
    assert lines[0].startswith(f"measured effect of outreach: the champion's plan of {PILOT_AS_OF}")
    assert "500 contacted, 189 held out" in lines[0]
    expected = "repeat contact measured −0.39 [−0.46, −0.31], true −0.39"
    assert " ".join(lines[1].split()) == expected
    assert "the world keeps no truth for it" in lines[3]
    assert lines[4].startswith(f"monitoring of {DEMO_TODAY}: retrain recommended: 1 top-weighted")
    assert "g_pagerank (PSI 1.90, major)" in lines[5]
    assert lines[6].endswith(f"{PILOT_AS_OF}: repeat_contact expected 0.68 vs realized 0.66")
    assert lines[7].endswith(f"{DEMO_TODAY}: repeat_contact expected 0.68")


def test_summary_without_an_estimate_or_the_closed_loop_says_why():
    status = "not enough data (contacted 30, holdout 12; need 30 each)"
    small = summary_lines(_loop(status), _watched())
    assert " ".join(small[1].split()) == f"repeat contact {status}, true −0.39"
    skipped = summary_lines(None, _watched())
    assert skipped[0] == "measured effect of outreach: closed loop skipped (--no-closed-loop)"
    assert skipped[1].startswith(f"monitoring of {DEMO_TODAY}")


def test_the_closed_loop_refuses_the_demo_layout(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    config = ClosedLoopConfig(
        world=WorldConfig(customers=100),
        plan_as_of=date.fromisoformat(PILOT_AS_OF),
        layout=DataLayout(workdir=workdir / "."),
    )
    with pytest.raises(ValueError, match="layout of its own"):
        recorded_plan_loop(DataLayout(workdir=workdir), config)
    assert not any(workdir.iterdir())
