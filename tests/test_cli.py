"""The ``procare`` app: version, the command groups it wires, verbosity (per command: commands/)."""

from __future__ import annotations

import logging

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()

COMMANDS = ("data", "features", "train", "model", "score", "outreach", "report", "serve", "demo")


@pytest.fixture
def root_logging():
    """Restore the root logger after ``procare`` reconfigured it."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_version_and_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("procare ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "data" in result.stdout


def test_help_lists_every_command_group():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("│ ")}
    assert set(COMMANDS) <= listed
    for option in ("--version", "--verbose", "-v"):
        assert option in result.stdout


@pytest.mark.parametrize("group", [[], ["data"], ["features"], ["model"], ["outreach"]])
def test_a_group_without_a_command_shows_its_help_and_exits_two(group):
    result = runner.invoke(app, group)
    assert result.exit_code == 2
    assert "Usage:" in result.output and "Commands" in result.output


def test_an_unknown_command_exits_two():
    result = runner.invoke(app, ["fly"])
    assert result.exit_code == 2
    assert "fly" in result.output


@pytest.mark.parametrize(
    ("flags", "level"), [([], logging.WARNING), (["-v"], logging.INFO), (["-vv"], logging.DEBUG)]
)
def test_verbose_flag_sets_the_log_level(root_logging, flags, level):
    result = runner.invoke(app, [*flags, "features", "list", "--family", "graph"])
    assert result.exit_code == 0, result.output
    assert root_logging.level == level


@pytest.mark.parametrize(("flags", "level"), [([], logging.WARNING), (["-v"], logging.INFO)])
def test_the_terminal_handler_drops_library_chatter_below_the_level(root_logging, flags, level):
    """Dask's scheduler logs at INFO on its own loggers ("requests to cancel 1 keys"); without
    ``-v`` none of it may reach the terminal."""
    result = runner.invoke(app, [*flags, "features", "list", "--family", "graph"])
    assert result.exit_code == 0, result.output
    (handler,) = root_logging.handlers
    assert handler.level == level
