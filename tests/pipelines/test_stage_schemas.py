"""Files read back between stages: real writers pass, hand-edited files fail naming the problem."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from features.labels import LABELS
from features.vocabulary import TEAMS as TEAM_NAMES
from outreach.config import TEAM_ORDER, OutreachConfig, TeamCapacity
from outreach.policy import HOLDOUT, OUTREACH, plan_outreach
from pipelines import outreach_io
from pipelines.catalog import ScoreStore, SnapshotStore
from pipelines.scores import read_scores, write_scores
from pipelines.snapshot import read_snapshot, snapshot_dir
from pipelines.stage_schemas import (
    PLAN_GROUPS,
    RISK_TIERS,
    StageFileError,
    check_file,
    features_schema,
)
from serving.scoring.actions import ACTION_LABELS, TEAMS
from serving.scoring.score import TierConfig, risk_tiers

AS_OF = date(2026, 8, 31)
VERSIONS = {"escalation": {"name": "procare-escalation", "version": "1", "alias": "champion"}}


def _scores(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """Rows shaped like ``serving.scoring.score.score_customers`` output."""
    rng = np.random.default_rng(seed)
    p_rep, p_esc = rng.uniform(0, 0.9, n), rng.uniform(0, 0.5, n)
    actions = rng.choice(list(ACTION_LABELS), n)
    reasons = [[{"target": "escalation", "feature": "ct_inbound_30d", "value": 3, "zh": "3 次"}]]
    return pd.DataFrame(
        {
            "p_repeat_contact": p_rep,
            "p_escalation": p_esc,
            "risk_tier": risk_tiers(p_rep, p_esc, TierConfig()),
            "action": actions,
            "action_zh": [ACTION_LABELS[a][0] for a in actions],
            "action_en": [ACTION_LABELS[a][1] for a in actions],
            "team": [TEAMS[a] for a in actions],
            "reasons": reasons * n,
        },
        index=pd.Index([f"C{i:05d}" for i in range(n)], name="customer_id"),
    )


@pytest.fixture
def scores_root(tmp_path) -> Path:
    write_scores(_scores(), tmp_path / "scores", AS_OF, VERSIONS)
    return tmp_path / "scores"


@pytest.fixture
def snapshot_root(demo_world, tmp_path) -> Path:
    """A copy of one real snapshot, free to edit."""
    source = snapshot_dir(demo_world.features_dir, AS_OF)
    shutil.copytree(source, snapshot_dir(tmp_path, AS_OF))
    return tmp_path


@pytest.fixture
def plan_root(tmp_path) -> Path:
    config = OutreachConfig(capacity=TeamCapacity(agents=10, supervisors=4, crisis_team=1))
    plan = plan_outreach(_scores(), config)
    outreach_io.write_plan(plan, tmp_path / "outreach", AS_OF, {"as_of": AS_OF.isoformat()})
    return tmp_path / "outreach"


def _edit(path: Path, change) -> None:
    table = pd.read_parquet(path)
    change(table)
    table.to_parquet(path, index=False)


def _fails(read, path: Path, column: str, rule: str, rows: int) -> StageFileError:
    with pytest.raises(StageFileError) as caught:
        read()
    message = str(caught.value)
    assert str(path) in message
    assert f"{path.name}.{column}: {rule} — {rows} row(s)" in message, message
    return caught.value


def test_files_written_by_the_real_writers_read_back(snapshot_root, scores_root, plan_root):
    snapshot = read_snapshot(snapshot_root, AS_OF)
    assert set(LABELS) <= set(snapshot.frame.columns)
    table, versions = read_scores(scores_root, AS_OF)
    assert len(table) == 40 and isinstance(table["reasons"].iloc[0], list)
    assert versions == VERSIONS
    plan, meta = outreach_io.read_plan(plan_root, AS_OF)
    assert (plan["group"] == "outreach").sum() == 15 and meta["as_of"] == AS_OF.isoformat()


def test_allowed_values_match_the_code_that_produces_them():
    tiers = risk_tiers(np.array([0.9, 0.3, 0.0]), np.array([0.0, 0.0, 0.0]), TierConfig())
    assert tuple(tiers) == RISK_TIERS
    assert PLAN_GROUPS == (OUTREACH, HOLDOUT)
    assert set(TEAMS.values()) == set(TEAM_ORDER) == set(TEAM_NAMES)


def _first_part(root: Path, kind: str) -> Path:
    return SnapshotStore(root).at(AS_OF).parts(kind)[0]


def test_real_snapshot_holds_every_registered_feature(demo_world):
    for path in SnapshotStore(demo_world.features_dir).at(AS_OF).parts("features"):
        check_file(pd.read_parquet(path), features_schema(require_all=True), path)


def test_score_file_missing_a_column_fails(scores_root):
    path = ScoreStore(scores_root).at(AS_OF).part(0)
    pd.read_parquet(path).drop(columns=["p_escalation"]).to_parquet(path, index=False)
    _fails(lambda: read_scores(scores_root, AS_OF), path, "p_escalation", "missing column", 40)


def test_probability_above_one_fails_naming_the_customer(scores_root):
    path = ScoreStore(scores_root).at(AS_OF).part(0)
    _edit(
        path,
        lambda t: t.__setitem__("p_repeat_contact", t["p_repeat_contact"].where(t.index != 4, 1.5)),
    )
    error = _fails(
        lambda: read_scores(scores_root, AS_OF), path, "p_repeat_contact", "in_range(0, 1)", 1
    )
    assert "customer 'C00004': 1.5" in str(error)


def test_unknown_risk_tier_fails(scores_root):
    path = ScoreStore(scores_root).at(AS_OF).part(0)
    _edit(path, lambda t: t.__setitem__("risk_tier", t["risk_tier"].where(t.index > 1, "urgent")))
    rule = "isin(['high', 'medium', 'low'])"
    _fails(lambda: read_scores(scores_root, AS_OF, parse_reasons=False), path, "risk_tier", rule, 2)


def test_duplicated_customer_id_fails(scores_root):
    path = ScoreStore(scores_root).at(AS_OF).part(0)
    _edit(
        path, lambda t: t.__setitem__("customer_id", t["customer_id"].where(t.index != 7, "C00006"))
    )
    _fails(lambda: read_scores(scores_root, AS_OF), path, "customer_id", "unique", 2)


def test_reasons_that_are_not_json_fail_without_echoing_them(scores_root):
    path = ScoreStore(scores_root).at(AS_OF).part(0)
    secret = "[13800138000 投诉]"
    _edit(path, lambda t: t.__setitem__("reasons", t["reasons"].where(t.index != 2, secret)))
    error = _fails(lambda: read_scores(scores_root, AS_OF), path, "reasons", "valid JSON", 1)
    assert "13800138000" not in str(error) and "customer 'C00002'" in str(error)
    _edit(path, lambda t: t.__setitem__("reasons", t["reasons"].where(t.index != 2, None)))
    _fails(lambda: read_scores(scores_root, AS_OF), path, "reasons", "not null", 1)


def test_label_outside_zero_one_fails(snapshot_root):
    path = _first_part(snapshot_root, "features")

    def label_two(table: pd.DataFrame) -> None:
        table["escalation"] = table["escalation"].astype(int)
        table.loc[0, "escalation"] = 2

    _edit(path, label_two)
    _fails(lambda: read_snapshot(snapshot_root, AS_OF), path, "escalation", "isin([0, 1])", 1)


def test_feature_of_the_wrong_dtype_fails(snapshot_root):
    path = _first_part(snapshot_root, "features")

    def wrong_types(table: pd.DataFrame) -> None:
        table["acct_region"] = table["acct_region"].astype(str)
        table["ct_inbound_30d"] = table["ct_inbound_30d"].astype(float)
        table.loc[3, "ct_inbound_30d"] = 0.5

    _edit(path, wrong_types)
    rows = len(pd.read_parquet(path))
    read = lambda: read_snapshot(snapshot_root, AS_OF)  # noqa: E731
    _fails(read, path, "acct_region", "dtype(category)", rows)
    _fails(read, path, "ct_inbound_30d", "dtype(int)", 1)


def test_snapshot_files_must_agree(snapshot_root):
    folder = snapshot_dir(snapshot_root, AS_OF)
    path = _first_part(snapshot_root, "documents")
    documents = pd.read_parquet(path)
    documents.iloc[:-3].to_parquet(path, index=False)
    read = lambda: read_snapshot(snapshot_root, AS_OF)  # noqa: E731
    rule = "same customers, in the same order, as features.parquet"
    _fails(read, path, "customer_id", rule, 3)
    documents.to_parquet(path, index=False)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps({**meta, "rows": 7}), encoding="utf-8")
    _fails(read, folder / "meta.json", "rows", f"equals {meta['rows']}", 1)


def test_missing_registered_feature_fails_when_all_are_required(demo_world, tmp_path):
    path = tmp_path / "features.parquet"
    table = pd.read_parquet(SnapshotStore(demo_world.features_dir).at(AS_OF).features)
    with pytest.raises(StageFileError, match=r"features\.parquet\.g_degree: missing column"):
        check_file(table.drop(columns=["g_degree"]), features_schema(require_all=True), path)


def test_hand_edited_plan_fails(plan_root):
    path = outreach_io.outreach_dir(plan_root, AS_OF) / "plan.parquet"
    read = lambda: outreach_io.read_plan(plan_root, AS_OF)  # noqa: E731
    _edit(path, lambda t: t.__setitem__("group", t["group"].where(t.index != 0, "control")))
    _fails(read, path, "group", "isin(['outreach', 'holdout'])", 1)
    _edit(path, lambda t: t.__setitem__("group", "outreach"))
    _edit(path, lambda t: t.__setitem__("team", t["team"].where(t.index != 1, "night_shift")))
    _fails(read, path, "team", "isin(['agents', 'supervisors', 'crisis_team'])", 1)
    _edit(path, lambda t: t.drop(columns=["team"], inplace=True))
    _fails(read, path, "team", "missing column", len(pd.read_parquet(path)))


def test_cli_exits_one_on_a_hand_edited_score_file(scores_root, monkeypatch):
    monkeypatch.chdir(scores_root.parent)
    shutil.copytree(scores_root, Path("data") / "scores")
    path = ScoreStore(Path("data") / "scores").at(AS_OF).part(0)
    _edit(path, lambda t: t.__setitem__("p_escalation", t["p_escalation"].where(t.index != 0, 1.5)))
    result = CliRunner().invoke(app, ["outreach", "plan", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1, result.output
    assert "part-00000.parquet.p_escalation: in_range(0, 1)" in result.output
    assert "Traceback" not in result.output
