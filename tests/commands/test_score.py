"""`procare score`: scores a snapshot with the champions into the workdir, exit codes."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipelines.catalog import DataLayout
from tests.commands.cli_runner import (
    copy_served,
    copy_store,
    copy_world,
    help_text,
    invoke,
    one_line,
)


def test_help_names_the_key_options():
    text = help_text("score")
    for option in ("--as-of", "--features-dir", "--scores-dir", "--workdir"):
        assert option in text, option


def test_score_writes_the_latest_snapshot_scores_under_the_workdir(tmp_path, served_world):
    workdir = copy_world(served_world.demo, tmp_path / "work")
    store = copy_store(served_world.mlflow_dir, tmp_path / "mlruns")
    result = invoke("score", "--workdir", str(workdir), mlflow_dir=store)
    files = DataLayout(workdir=workdir).scores.at(served_world.as_of)
    scores = files.scores
    assert result.exit_code == 0, result.output
    assert "scored 1,500 customers" in result.output
    assert str(scores) in one_line(result)
    written = pd.read_parquet(scores)
    assert len(written) == 1500
    assert written["p_escalation"].between(0, 1).all()
    assert files.versions().is_file() and len(files.parts()) == 8


def test_score_of_a_chosen_snapshot(tmp_path, served_world):
    workdir, store = copy_served(served_world, tmp_path)
    result = invoke("score", "--as-of", "2026-07-31", "--workdir", str(workdir), mlflow_dir=store)
    assert result.exit_code == 0, result.output
    assert DataLayout(workdir=workdir).scores.at(date(2026, 7, 31)).published


def test_score_without_a_champion_says_to_train(tmp_path, demo_world):
    workdir = copy_world(demo_world, tmp_path / "work")
    result = invoke("score", "--workdir", str(workdir))
    assert result.exit_code == 1
    assert "champion" in result.output
    assert "procare train" in one_line(result)
    assert not (workdir / "scores").exists()


def test_score_rejects_a_bad_date_naming_the_option(tmp_path):
    result = invoke("score", "--as-of", "2026-99-01", "--workdir", str(tmp_path))
    assert result.exit_code == 2
    assert "--as-of" in result.output


def test_score_of_an_empty_workdir_names_the_missing_folder(tmp_path):
    workdir = tmp_path / "empty"
    result = invoke("score", "--workdir", str(workdir))
    assert result.exit_code == 1, result.output
    assert str(workdir / "features") in one_line(result), result.output


def test_score_refuses_a_mistyped_store_naming_the_uri(tmp_path, demo_world):
    workdir = copy_world(demo_world, tmp_path / "work")
    typo = tmp_path / "mlrun"
    result = invoke("score", "--workdir", str(workdir), mlflow_dir=typo)
    assert result.exit_code == 1
    assert f"no MLflow store at sqlite:///{typo}/mlflow.db" in one_line(result)
    assert not (typo / "mlflow.db").exists()


def test_score_into_an_unwritable_folder_exits_one_in_one_line(tmp_path, served_world):
    workdir, store = copy_served(served_world, tmp_path)
    (tmp_path / "a_file").write_text("")
    scores = tmp_path / "a_file" / "scores"
    result = invoke(
        *["score", "--workdir", str(workdir), "--scores-dir", str(scores)], mlflow_dir=store
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"cannot write to --scores-dir {scores}: Not a directory" in one_line(result)
