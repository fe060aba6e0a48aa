"""`procare text check`: signals per row to CSV/Parquet, a summary, never the raw text."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer
from typer.testing import CliRunner

from commands.text import text_app

runner = CliRunner()
app = typer.Typer()
app.add_typer(text_app, name="text")

TEXTS = [
    ("a1", "上个月就给12300打过电话了，到现在没人管"),
    ("a2", "再不退钱我就去工信部投诉你们"),
    ("a3", "请问怎么投诉？"),
    ("a4", "在线等，急！！！手机没信号了"),
    ("a5", "@工信部 @中国移动10086 宽带停了半个月，联系电话13812345678"),
]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "texts.csv"
    pd.DataFrame(TEXTS, columns=["id", "text"]).to_csv(path, index=False)
    return path


def test_check_writes_signals_per_row_and_a_summary_without_raw_text(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", "check", str(_csv(tmp_path))])
    assert result.exit_code == 0, result.output
    signals = pd.read_csv(tmp_path / "texts.signals.csv", dtype={"id": str})
    assert signals["id"].tolist() == ["a1", "a2", "a3", "a4", "a5"]
    assert "text" not in signals.columns
    assert signals["escalation_kinds"].fillna("").tolist() == [
        "done",
        "threat",
        "question",
        "",
        "done",
    ]
    assert not signals.loc[3, "angry"]
    assert signals.loc[3, "exclamations"] == 3
    assert signals.loc[4, "at_regulator"] and signals.loc[4, "at_brand"]
    assert "escalation_done" in result.output
    for _, text in TEXTS:
        assert text not in result.output
    assert "13812345678" not in (tmp_path / "texts.signals.csv").read_text(encoding="utf-8")


def test_check_reads_jsonl_without_ids_and_writes_parquet(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": text}, ensure_ascii=False) for _, text in TEXTS),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "signals.parquet"
    result = runner.invoke(app, ["text", "check", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    signals = pd.read_parquet(out)
    assert signals["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert signals["escalation_intent"].tolist() == [True, True, False, False, True]


def test_check_names_the_missing_text_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame({"body": ["你好"]}).to_csv(path, index=False)
    result = runner.invoke(app, ["text", "check", str(path)])
    assert result.exit_code == 1
    assert "no 'text' column" in result.output


def test_check_refuses_an_unknown_output_suffix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", "check", str(_csv(tmp_path)), "--out", "x.xlsx"])
    assert result.exit_code == 1
    assert ".parquet" in result.output
