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


def test_generate_ingest_and_build_features(tmp_path):
    world, raw, features = tmp_path / "world", tmp_path / "raw", tmp_path / "features"
    result = runner.invoke(
        app,
        ["data", "generate", "--customers", "300", "--months", "6", "--seed", "3"]
        + ["--out", str(world)],
    )
    assert result.exit_code == 0, result.output
    assert (world / "oracle" / "oracle.parquet").is_file()
    result = runner.invoke(app, ["data", "ingest", str(world), "--raw-dir", str(raw)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        ["features", "build", "--as-of", "2026-02-28", "--as-of", "2026-04-15"]
        + ["--raw-dir", str(raw), "--features-dir", str(features)],
    )
    assert result.exit_code == 0, result.output
    assert (features / "as_of=2026-02-28" / "features.parquet").is_file()
    assert (features / "as_of=2026-04-15" / "features.parquet").is_file()


def test_features_build_rejects_a_bad_date_and_missing_data(tmp_path):
    result = runner.invoke(app, ["features", "build", "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "--as-of" in result.output
    result = runner.invoke(
        app, ["features", "build", "--as-of", "2026-01-31", "--raw-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "procare data ingest" in result.output


def test_features_list_prints_the_registry():
    result = runner.invoke(app, ["features", "list", "--family", "graph"])
    assert result.exit_code == 0
    assert "g_pagerank" in result.output
    assert runner.invoke(app, ["features", "list", "--family", "nope"]).exit_code == 2


def test_train_rejects_an_unknown_target_naming_the_option():
    result = runner.invoke(app, ["train", "--target", "foo"])
    assert result.exit_code == 2
    assert "--target" in result.output
    assert "repeat_contact" in result.output


def test_features_list_rejects_an_unknown_language_naming_the_option():
    result = runner.invoke(app, ["features", "list", "--lang", "xx"])
    assert result.exit_code == 2
    assert "--lang" in result.output
    assert "'zh'" in result.output


def test_features_list_rejects_an_unknown_family_naming_the_option():
    result = runner.invoke(app, ["features", "list", "--family", "nope"])
    assert result.exit_code == 2
    assert "--family" in result.output
    assert "identity" in result.output


def test_workdir_holds_what_ingest_writes(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    workdir = tmp_path / "work"
    result = runner.invoke(app, ["data", "ingest", str(source), "--workdir", str(workdir)])
    assert result.exit_code == 0, result.output
    assert (workdir / "raw" / "_manifest.json").is_file()
    assert sorted(p.name for p in (workdir / "raw").glob("*.parquet")) == sorted(
        f"{name}.parquet" for name in tiny_tables()
    )


def test_data_commands_read_from_the_workdir(tmp_path):
    workdir = tmp_path / "empty"
    for command, missing in [
        (["score"], workdir / "features"),
        (["outreach", "plan"], workdir / "scores"),
        (["outreach", "backtest"], workdir / "features"),
        (["outreach", "social"], workdir / "features"),
        (["report"], workdir / "scores"),
    ]:
        result = runner.invoke(app, [*command, "--workdir", str(workdir)])
        assert result.exit_code == 1, (command, result.output)
        assert str(missing) in result.output.replace("\n", ""), (command, result.output)
