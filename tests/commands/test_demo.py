"""`procare demo`: arguments, and the whole job in process (the HTTP step is `make demo`'s)."""

from __future__ import annotations

from datetime import date

from commands.demo import DEMO_TODAY
from pipelines.catalog import DataLayout
from pipelines.datasets import read_pointer
from pipelines.scores import read_scores
from tests.commands.cli_runner import help_text, invoke


def test_help_names_the_key_options():
    text = help_text("demo")
    for option in ("--customers", "--seed", "--workdir", "--engine", "--no-serve", "end to end"):
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
    assert "8/8 operations report" in result.output and "9/9" not in result.output
