"""CLI: exit codes and messages, through typer's CliRunner."""

from __future__ import annotations

from typer.testing import CliRunner

from cli import app
from tests.pipelines.contract_tables import tiny_tables, write_export

runner = CliRunner()


def test_version_and_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("procare ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "data" in result.stdout


def test_validate_good_export_exits_zero(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export", encoding="gbk")
    result = runner.invoke(app, ["data", "validate", str(source)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_validate_bad_export_exits_one_and_names_the_problem(tmp_path):
    tables = tiny_tables()
    tables["contacts"].loc[0, "channel"] = "fax"
    source = write_export(tables, tmp_path / "export")
    result = runner.invoke(app, ["data", "validate", str(source)])
    assert result.exit_code == 1
    assert "contacts.channel" in result.output
    assert "fax" in result.output


def test_ingest_writes_raw_tables(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    raw = tmp_path / "raw"
    result = runner.invoke(app, ["data", "ingest", str(source), "--raw-dir", str(raw)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in raw.glob("*.parquet")) == sorted(
        f"{name}.parquet" for name in tiny_tables()
    )


def test_ingest_of_missing_folder_fails_cleanly(tmp_path):
    result = runner.invoke(app, ["data", "ingest", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "customers" in result.output
    assert "Traceback" not in result.output
