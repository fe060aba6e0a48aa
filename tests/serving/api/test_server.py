"""End to end against a real ``bentoml serve`` subprocess: the demo calls, metrics, a fuzz run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

import serving.api.client_demo as client_demo
from features.assemble import resolve_tables
from pipelines.catalog import ServingIndexStore
from pipelines.scores import latest_scored, read_scores
from pipelines.snapshot import read_raw_tables, read_snapshot
from serving.api import readiness
from serving.api.server import (
    PROJECT_ROOT,
    ServerStartError,
    prepare_index,
    running_server,
    serve_command,
    server_environment,
    supervise,
)
from serving.api.service import ProcareService
from serving.api.settings import ServingSettings
from tests.serving.api.conftest import API_KEY, AUTH
from tests.serving.api.world import as_records

FUZZED = ("/score", "/outreach", "/events/contact", "/model_info")
schema = schemathesis.openapi.from_dict(ProcareService.openapi_spec.asdict()).include(
    path=list(FUZZED)
)


SIZE_LIMIT = 64 * 1024


def test_the_server_environment_carries_absolute_settings_and_no_stray_keys(monkeypatch):
    monkeypatch.setenv("PROCARE_OUTREACH_DIR", "/somewhere/else")
    settings = ServingSettings(
        api_key="k", features_dir=Path("rel/features"), tracking_uri="sqlite:///rel/m.db"
    )
    env = server_environment(settings, workers=2)
    assert env["PROCARE_API_KEY"] == "k"
    assert Path(env["PROCARE_FEATURES_DIR"]).is_absolute()
    assert env["MLFLOW_TRACKING_URI"] == f"sqlite:///{Path('rel/m.db').resolve()}"
    assert "PROCARE_OUTREACH_DIR" not in env
    assert env["OMP_NUM_THREADS"] == "1" and env["BENTOML_DO_NOT_TRACK"] == "True"
    assert env["BENTOML_CONFIG_OPTIONS"] == "services.procare.workers=2"
    assert serve_command(3000, "0.0.0.0")[-6:] == [
        "--host", "0.0.0.0", "--port", "3000", "--working-dir", str(PROJECT_ROOT)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def live_server(served_world, tmp_path_factory):
    settings = served_world.settings(
        api_key=API_KEY,
        max_request_bytes=SIZE_LIMIT,
        live_dir=tmp_path_factory.mktemp("live"),
    )
    with running_server(settings, workers=2) as server:
        yield server
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/livez", timeout=2)


def test_readyz_and_livez_answer_without_a_key(live_server):
    assert httpx.get(f"{live_server.base_url}/readyz").status_code == 200
    assert httpx.get(f"{live_server.base_url}/livez").status_code == 200


def test_the_demo_runs_through_real_http(live_server, served_world, monkeypatch):
    @contextmanager
    def already_running(settings, port=None):
        assert settings.api_key.get_secret_value() == API_KEY
        yield live_server

    monkeypatch.setattr(client_demo, "running_server", already_running)
    result = client_demo.run_demo(served_world.settings(api_key=API_KEY), capacity=10)
    assert 0 < len(result.outreach["outreach"]) <= 10
    assert all(c["contact"] for c in result.outreach["outreach"])
    assert len(result.scores) == 3 and all(s["error"] is None for s in result.scores)
    assert result.event["early_warning"]["flag"] is True
    assert "crisis_team" in result.event["early_warning"]["notify"]
    assert result.unauthorized_status == 401
    rows = client_demo.outreach_rows(result)
    assert (
        rows[0]["#"] == 1
        and rows[0]["customer_id"] == result.outreach["outreach"][0]["customer_id"]
    )


def test_live_scores_over_http_equal_the_offline_batch_scores(live_server, served_world):
    scores, _ = read_scores(served_world.scores_dir, served_world.as_of)
    snapshot = read_snapshot(served_world.demo.features_dir, served_world.as_of)
    info = httpx.get(f"{live_server.base_url}/model_info", headers=AUTH).json()
    columns = list(dict.fromkeys(c for m in info["models"] for c in m["input_columns"]))
    rows = snapshot.frame.iloc[30:34]
    response = httpx.post(
        f"{live_server.base_url}/score",
        json={"records": as_records(rows, columns)},
        headers=AUTH,
        timeout=30,
    )
    assert response.status_code == 200
    for item, customer_id in zip(response.json()["results"], rows.index, strict=True):
        assert item["p_escalation"] == pytest.approx(scores.loc[customer_id, "p_escalation"])
        assert item["p_repeat_contact"] == pytest.approx(
            scores.loc[customer_id, "p_repeat_contact"]
        )


def test_contacts_on_three_channels_raise_the_flag_whichever_worker_gets_them(
    live_server, served_world
):
    """Two workers: the channels of earlier events count even when another worker got them."""
    snapshot = read_snapshot(served_world.demo.features_dir, served_world.as_of)
    contacts = resolve_tables(read_raw_tables(served_world.demo.raw_dir)).contacts
    next_day = served_world.as_of + timedelta(days=1)
    busy = contacts.loc[contacts["ts"].dt.date == next_day, "customer_id"].dropna()
    quiet = snapshot.frame.index[snapshot.frame["ct_inbound_30d"] == 0].difference(busy)
    customer_id = str(quiet[0])
    day = next_day.isoformat()
    answers = []
    for minute, channel in enumerate(("app", "web_chat", "email", "app", "web_chat", "email")):
        response = httpx.post(
            f"{live_server.base_url}/events/contact",
            json={
                "customer_id": customer_id,
                "channel": channel,
                "text": "请问话费怎么查",
                "ts": f"{day}T10:{minute:02d}:00+08:00",
                "contact_id": f"x3-{minute}",
            },
            headers=AUTH,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        answers.append(response.json()["early_warning"])
    assert [a["distinct_channels_30d"] for a in answers] == [1, 2, 3, 3, 3, 3]
    assert [a["flag"] for a in answers] == [False, False, True, True, True, True]
    assert "multi_channel" in answers[-1]["triggers"]


def test_prometheus_metrics_count_api_requests(live_server):
    httpx.post(f"{live_server.base_url}/score", json={"customer_ids": ["C0000001"]}, headers=AUTH)
    metrics = httpx.get(f"{live_server.base_url}/metrics").text
    assert "request_total" in metrics and 'endpoint="/score"' in metrics


def test_bodies_over_the_size_limit_are_413(live_server):
    ids = [f"C{i:07d}" for i in range(10_000)]
    response = httpx.post(f"{live_server.base_url}/score", json={"customer_ids": ids}, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["field"] == "body" and str(SIZE_LIMIT) in response.json()["error"]


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_requests_never_cause_a_server_error(case, live_server):
    response = case.call(base_url=live_server.base_url, headers=AUTH, timeout=30)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])


FAKE_SERVE = """
import sys
import serving.api.server as server
from serving.api.settings import ServingSettings

pid_file = sys.argv[1]
child = f"import os, time; open({pid_file!r}, 'w').write(str(os.getpid())); time.sleep(600)"
server.serve_command = lambda port, host: [sys.executable, "-c", child]
server.check_servable = lambda settings: None
server.prepare_index = lambda settings, progress=False: None
sys.exit(server.serve(ServingSettings(dev_mode=True)))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_forwards_stop_signals_and_exits_when_the_server_has_exited(tmp_path, signum):
    script, pid_file = tmp_path / "fake_serve.py", tmp_path / "server.pid"
    script.write_text(FAKE_SERVE)
    parent = subprocess.Popen([sys.executable, str(script), str(pid_file)], cwd=PROJECT_ROOT)
    server_pid = None
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        server_pid = int(pid_file.read_text())
        parent.send_signal(signum)
        assert parent.wait(timeout=30) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 5
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(server_pid), "the server outlived procare serve"
    finally:
        parent.kill()
        if server_pid is not None and _alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


def test_a_worker_that_cannot_load_stops_the_server_with_its_reason(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True
    )
    readiness.mark_failed(tmp_path, 2, "LookupError: no champion for escalation")
    try:
        with pytest.raises(ServerStartError, match="no champion for escalation"):
            supervise(process, tmp_path, [])
        assert process.poll() is not None
    finally:
        process.kill()


def test_serve_builds_the_serving_index_before_the_workers(served_world, tmp_path):
    """``procare serve`` builds the index once; a missing snapshot stops it naming the command."""
    settings = served_world.settings().model_copy(update={"index_dir": tmp_path / "index"})
    prepare_index(settings)
    as_of = latest_scored(settings.scores_dir)
    assert ServingIndexStore(tmp_path / "index").at(as_of).published
    broken = settings.model_copy(
        update={"features_dir": tmp_path / "nothing", "index_dir": tmp_path / "other"}
    )
    with pytest.raises(ServerStartError, match="procare features build"):
        prepare_index(broken)
    assert not ServingIndexStore(tmp_path / "other").at(as_of).published
