"""Outreach files: a crash between any two writes never lets a reader pair two runs' files."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from outreach.config import OutreachConfig, TeamCapacity
from outreach.policy import plan_outreach
from pipelines import outreach_io
from pipelines.catalog import OutreachStore
from serving.scoring.actions import ACTION_LABELS, TEAMS
from tests.pipelines.faults import Crash, Writes, age, faults

AS_OF = date(2026, 8, 31)


def _plan(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    actions = rng.choice(list(ACTION_LABELS), 30)
    scores = pd.DataFrame(
        {
            "p_repeat_contact": rng.uniform(0, 0.9, 30),
            "p_escalation": rng.uniform(0, 0.5, 30),
            "action": actions,
            "action_zh": [ACTION_LABELS[a][0] for a in actions],
            "action_en": [ACTION_LABELS[a][1] for a in actions],
            "team": [TEAMS[a] for a in actions],
            "reasons": [[{"feature": "ct_inbound_30d", "zh": "3 次"}]] * 30,
        },
        index=pd.Index([f"C{i:05d}" for i in range(30)], name="customer_id"),
    )
    config = OutreachConfig(capacity=TeamCapacity(agents=8, supervisors=3, crisis_team=1))
    return plan_outreach(scores, config)


def _write_plan(root, run: int) -> None:
    outreach_io.write_plan(_plan(run), root, AS_OF, {"run": run})


def _read_plan(root) -> int | None:
    """The run whose plan a reader gets (list and settings must agree), ``None``: no plan."""
    try:
        plan, meta = outreach_io.read_plan(root, AS_OF)
    except FileNotFoundError:
        return None
    expected = _plan(meta["run"])
    pd.testing.assert_series_equal(plan["p_repeat_contact"], expected["p_repeat_contact"])
    return meta["run"]


def _write_backtest(root, run: int) -> None:
    table = pd.DataFrame({"policy": ["model"], "run": [run]})
    outreach_io.write_backtest(table, pd.DataFrame({"share": [0.1], "run": [run]}), root, AS_OF)


def _read_backtest(root) -> int | None:
    found = outreach_io.latest_backtest(root)
    if found is None:
        return None
    (run,) = found[1]["run"]
    assert found[2]["run"].tolist() == [run]
    return int(run)


def _write_simulation(root, run: int) -> None:
    frame = pd.DataFrame({"policy": ["model"], "run": [run]})
    outreach_io.write_simulation(frame, frame, {"assumed_effect": run}, root)


def _read_simulation(root) -> int | None:
    found = outreach_io.read_simulation(root)
    if found is None:
        return None
    (run,) = found[0]["run"]
    assert found[1]["assumed_effect"] == run
    return int(run)


def _write_social(root, run: int) -> None:
    warnings = pd.DataFrame({"post_id": ["P1"], "p_viral": [run / 10]}).set_index("post_id")
    outreach_io.write_social_warnings(warnings, root, AS_OF)


def _read_social(root) -> int | None:
    found = outreach_io.read_social_warnings(root, AS_OF)
    if found is None:
        return None
    csv = pd.read_csv(OutreachStore(root).at(AS_OF).social_warnings("csv"))
    assert csv["p_viral"].tolist() == found["p_viral"].tolist()
    return round(float(found["p_viral"].iloc[0]) * 10)


OUTPUTS = {
    "plan": (_write_plan, _read_plan),
    "backtest": (_write_backtest, _read_backtest),
    "simulation": (_write_simulation, _read_simulation),
    "social": (_write_social, _read_social),
}


@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_a_crash_between_any_two_writes_leaves_one_run_or_none(tmp_path, output):
    write, read = OUTPUTS[output]
    with faults(Writes()) as writes:
        write(tmp_path / "count", 2)
    assert writes.count >= 2
    seen = set()
    for limit in range(writes.count + 1):
        root = tmp_path / str(limit)
        write(root, 1)
        with faults(Writes(limit), kill=True):
            if limit < writes.count:
                with pytest.raises(Crash):
                    write(root, 2)
            else:
                write(root, 2)
        seen.add(read(root))
    assert seen >= {2} and seen <= {None, 1, 2}


def test_writers_remove_stale_temp_files_but_not_fresh_ones(tmp_path):
    root = tmp_path / "outreach"
    folder = OutreachStore(root).at(AS_OF).folder
    folder.mkdir(parents=True)
    stale, fresh = folder / ".plan.csv.old.tmp", folder / ".plan.csv.new.tmp"
    stale.write_text("killed")
    fresh.write_text("being written")
    age([stale], 2 * 3600)
    _write_plan(root, 1)
    assert not stale.exists() and fresh.exists()
    assert _read_plan(root) == 1
