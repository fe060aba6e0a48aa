"""procare command line: generate or ingest data, build features, train, promote, serve.

This module only wires the command groups of ``commands/`` into one typer app. Each command
parses arguments, builds a config and calls one library function; heavy libraries are imported
inside commands so ``procare --help`` stays fast.
"""

from __future__ import annotations

import logging
import warnings
from importlib.metadata import PackageNotFoundError, version

import typer
from rich.logging import RichHandler

from commands.common import console, err_console
from commands.data import data_app
from commands.demo import demo
from commands.features import features_app
from commands.model import model_app
from commands.monitor import monitor
from commands.outreach import outreach_app, report
from commands.score import score
from commands.serve import serve
from commands.text import text_app
from commands.train import train

app = typer.Typer(
    help="procare: find the customers who will call again or escalate, before they do.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(data_app, name="data")
app.add_typer(features_app, name="features")
app.command()(train)
app.add_typer(model_app, name="model")
app.command()(score)
app.command()(monitor)
app.add_typer(outreach_app, name="outreach")
app.add_typer(text_app, name="text")
app.command()(report)
app.command()(serve)
app.command()(demo)


def _package_version() -> str:
    try:
        return version("procare")
    except PackageNotFoundError:
        return "0+unknown"


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"procare {_package_version()}")
        raise typer.Exit()


def _configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(level, console=err_console, show_path=verbosity > 1)],
        force=True,
    )


@app.callback()
def main(
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More log output: -v info, -vv debug."
    ),
    show_version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """procare: proactive-service prediction for telecom contact centers."""
    _configure_logging(verbose)
    if verbose == 0:
        warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
        warnings.filterwarnings("ignore", category=FutureWarning)
        logging.getLogger("mlflow").setLevel(logging.ERROR)


if __name__ == "__main__":
    app()
