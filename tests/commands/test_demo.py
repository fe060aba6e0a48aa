"""`procare demo`: arguments only; the whole run starts `bentoml serve` (`make demo` covers it)."""

from __future__ import annotations

from tests.commands.cli_runner import help_text, invoke


def test_help_names_the_key_options():
    text = help_text("demo")
    for option in ("--customers", "--seed", "--workdir", "end to end"):
        assert option in text, option


def test_demo_rejects_a_tiny_world_before_writing_anything(tmp_path):
    workdir = tmp_path / "work"
    result = invoke("demo", "--customers", "5", "--workdir", str(workdir))
    assert result.exit_code == 2
    assert "--customers" in result.output
    assert not workdir.exists()
