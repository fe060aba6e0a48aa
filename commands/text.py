"""`procare text`: inspect what procare sees in an operator's own texts."""

from __future__ import annotations

from pathlib import Path

import typer

from commands.common import console, fail, frame_table, writing_to

text_app = typer.Typer(help="Inspect the text signals of your own texts.", no_args_is_help=True)


@text_app.command("check")
def text_check(
    file: Path = typer.Argument(  # noqa: B008 - a typer argument
        ..., exists=True, dir_okay=False, help="CSV or JSON Lines file with a 'text' column."
    ),
    out: Path | None = typer.Option(  # noqa: B008 - a typer option
        None, "--out", help="Signals file (.csv or .parquet); default <file>.signals.csv."
    ),
) -> None:
    """Write the text signals of every text (escalation stances, @-mentions, anger, ...) per
    row, and print how many texts show each signal. Raw texts are never printed or logged."""
    from pipelines.text_check import TextFileError, check_texts, default_output

    target = out or default_output(file)
    try:
        with writing_to("--out", target.parent):
            result = check_texts(file, target)
    except TextFileError as exc:
        fail(str(exc))
    console.print(frame_table(f"text signals of {result.rows:,} texts", result.summary))
    console.print(f"signals per text → {result.output}")
