"""`procare data`: generate, validate and ingest, through typer's CliRunner."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.catalog import RawTables
from pipelines.raw_tables import raw_buckets, read_raw_tables
from pipelines.snapshot import available_snapshots
from tests.commands.cli_runner import help_text, invoke, one_line
from tests.pipelines.contract_tables import tiny_tables, write_export


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("data",), ["generate", "validate", "ingest"]),
        (("data", "generate"), ["--customers", "--months", "--seed", "--start", "--workdir"]),
        (("data", "validate"), ["source_dir", "Folder with one CSV or Parquet file"]),
        (("data", "ingest"), ["source_dir", "--raw-dir", "--workdir"]),
    ],
)
def test_help_names_the_key_options(command, options):
    text = help_text(*command)
    for option in options:
        assert option in text, (command, option)


def test_validate_good_export_exits_zero(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export", encoding="gbk")
    result = invoke("data", "validate", str(source))
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_validate_bad_export_exits_one_naming_table_column_rule_and_count_not_values(tmp_path):
    tables = tiny_tables()
    tables["contacts"].loc[0, "channel"] = "fax"
    tables["contacts"].loc[1, "channel"] = "13800138000"
    source = write_export(tables, tmp_path / "export")
    result = invoke("data", "validate", str(source))
    assert result.exit_code == 1
    assert "contacts.channel: isin(" in result.output and "2 row(s)" in result.output
    assert "fax" not in result.output and "13800138000" not in result.output
    assert "Traceback" not in result.output


def test_ingest_writes_raw_tables(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    raw = tmp_path / "raw"
    result = invoke("data", "ingest", str(source), "--raw-dir", str(raw))
    assert result.exit_code == 0, result.output
    assert all(RawTables(raw).has(name) for name in tiny_tables())
    assert sorted(read_raw_tables(raw)) == sorted(tiny_tables())


def test_ingest_of_missing_folder_fails_cleanly(tmp_path):
    result = invoke("data", "ingest", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "customers" in result.output
    assert "Traceback" not in result.output


def test_workdir_holds_what_ingest_writes(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    workdir = tmp_path / "work"
    result = invoke("data", "ingest", str(source), "--workdir", str(workdir))
    assert result.exit_code == 0, result.output
    assert (workdir / "raw" / "_manifest.json").is_file()
    assert all(RawTables(workdir / "raw").has(name) for name in tiny_tables())


def test_generate_ingest_and_build_features(tmp_path):
    world, raw, features = tmp_path / "world", tmp_path / "raw", tmp_path / "features"
    result = invoke(
        *["data", "generate", "--customers", "300", "--months", "6", "--seed", "3"],
        *["--out", str(world)],
    )
    assert result.exit_code == 0, result.output
    assert (world / "oracle" / "oracle.parquet").is_file()
    result = invoke("data", "ingest", str(world), "--raw-dir", str(raw))
    assert result.exit_code == 0, result.output
    result = invoke(
        *["features", "build", "--as-of", "2026-02-28", "--as-of", "2026-04-15"],
        *["--raw-dir", str(raw), "--features-dir", str(features)],
    )
    assert result.exit_code == 0, result.output
    assert available_snapshots(features) == [date(2026, 2, 28), date(2026, 4, 15)]


def test_ingest_splits_tables_into_the_given_buckets(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    raw = tmp_path / "raw"
    result = invoke("data", "ingest", str(source), "--raw-dir", str(raw), "--buckets", "3")
    assert result.exit_code == 0, result.output
    assert raw_buckets(raw) == 3 and "3 buckets" in result.output
    assert len(list(RawTables(raw).table("bills").glob("part-*.parquet"))) == 3


@pytest.mark.parametrize(
    ("option", "value"),
    [("--start", "2026-13-01"), ("--customers", "5"), ("--months", "1")],
)
def test_generate_rejects_bad_arguments_with_exit_two_writing_nothing(tmp_path, option, value):
    workdir = tmp_path / "work"
    result = invoke("data", "generate", option, value, "--workdir", str(workdir))
    assert result.exit_code == 2, result.output
    assert not workdir.exists()


def test_generate_into_an_unwritable_folder_exits_one_in_one_line(tmp_path):
    (tmp_path / "a_file").write_text("")
    out = tmp_path / "a_file" / "world"
    result = invoke("data", "generate", "--customers", "100", "--months", "2", "--out", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"cannot write to --out {out}: Not a directory" in one_line(result)


def test_ingest_into_an_unwritable_folder_exits_one_in_one_line(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    (tmp_path / "a_file").write_text("")
    raw = tmp_path / "a_file" / "raw"
    result = invoke("data", "ingest", str(source), "--raw-dir", str(raw))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"cannot write to --raw-dir {raw}: Not a directory" in one_line(result)
