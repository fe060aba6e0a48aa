"""`procare features`: build snapshots and list the registry, through typer's CliRunner."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.snapshot import available_snapshots
from tests.commands.cli_runner import help_text, invoke, one_line


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("features",), ["build", "list"]),
        (
            ("features", "build"),
            ["--as-of", "--horizon", "--raw-dir", "--features-dir", "--engine", "--workers"],
        ),
        (("features", "list"), ["--family", "--lang"]),
    ],
)
def test_help_names_the_key_options(command, options):
    text = help_text(*command)
    for option in options:
        assert option in text, (command, option)


def test_features_build_rejects_a_bad_date_and_missing_data(tmp_path):
    result = invoke("features", "build", "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert "--as-of" in result.output
    result = invoke("features", "build", "--as-of", "2026-01-31", "--raw-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "procare data ingest" in result.output


def test_features_build_reads_the_workdir(tmp_path, demo_world):
    workdir = tmp_path / "work"
    result = invoke("features", "build", "--as-of", "2026-09-30", "--workdir", str(workdir))
    assert result.exit_code == 1
    assert str(workdir / "raw") in one_line(result)
    assert "procare data ingest" in one_line(result)
    result = invoke(
        *["features", "build", "--as-of", "2026-09-30", "--raw-dir", str(demo_world.raw_dir)],
        *["--workdir", str(workdir)],
    )
    assert result.exit_code == 0, result.output
    assert available_snapshots(workdir / "features") == [date(2026, 9, 30)]
    assert "1,500" in result.output


def test_features_build_rejects_a_horizon_out_of_range():
    result = invoke("features", "build", "--as-of", "2026-01-31", "--horizon", "0")
    assert result.exit_code == 2
    assert "--horizon" in result.output


def test_features_list_prints_the_registry():
    result = invoke("features", "list", "--family", "graph")
    assert result.exit_code == 0
    assert "g_pagerank" in result.output
    assert invoke("features", "list", "--family", "nope").exit_code == 2


def test_features_list_rejects_an_unknown_language_naming_the_option():
    result = invoke("features", "list", "--lang", "xx")
    assert result.exit_code == 2
    assert "--lang" in result.output
    assert "'zh'" in result.output


def test_features_list_rejects_an_unknown_family_naming_the_option():
    result = invoke("features", "list", "--family", "nope")
    assert result.exit_code == 2
    assert "--family" in result.output
    assert "identity" in result.output


@pytest.mark.parametrize("day", ["2030-01-01", "1990-01-01"])
def test_features_build_refuses_a_date_outside_the_data_naming_its_range(tmp_path, demo_world, day):
    features_dir = tmp_path / "features"
    result = invoke(
        *["features", "build", "--as-of", day, "--raw-dir", str(demo_world.raw_dir)],
        *["--features-dir", str(features_dir)],
    )
    assert result.exit_code == 1, result.output
    text = one_line(result)
    assert f"snapshot date {day} is outside the data" in text
    assert "2026-10-31" in text
    assert "Traceback" not in result.output
    assert available_snapshots(features_dir) == []
