"""The service through its ASGI app: endpoints, validation, auth, limits, readiness, no skew."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pandas as pd
import pytest

import serving.api.service as service_module
from features.assemble import resolve_tables
from pipelines.scores import read_scores
from pipelines.snapshot import read_raw_tables, read_snapshot
from serving.api.schemas import ScoreResponse
from serving.scoring.score import score_customers
from tests.serving.api.conftest import AUTH, service_client, wait_ready
from tests.serving.api.world import as_records


@pytest.fixture(scope="module")
def batch(served_world):
    """The batch scores and the snapshot the service serves."""
    scores, _ = read_scores(served_world.scores_dir, served_world.as_of)
    snapshot = read_snapshot(served_world.demo.features_dir, served_world.as_of)
    return scores, snapshot


def feature_columns(client) -> list[str]:
    info = client.get("/model_info", headers=AUTH).json()
    return list(dict.fromkeys(c for m in info["models"] for c in m["input_columns"]))


def test_readyz_is_503_until_models_and_data_are_loaded(served_world, monkeypatch):
    release = threading.Event()
    real_load = service_module.load_state

    def slow_load(settings):
        assert release.wait(60)
        return real_load(settings)

    monkeypatch.setattr(service_module, "load_state", slow_load)
    clients = service_client(served_world.settings(), served_world.mlflow_dir, ready=False)
    client = next(clients)
    try:
        assert client.get("/livez").status_code == 200
        assert client.get("/readyz").status_code == 503
        waiting = client.post("/score", json={"customer_ids": ["C0000001"]}, headers=AUTH)
        assert waiting.status_code == 503
        assert "loading" in waiting.json()["error"]
        assert client.get("/model_info", headers=AUTH).status_code == 503
        release.set()
        wait_ready(client)
        assert client.get("/readyz").status_code == 200
        ready = client.post("/score", json={"customer_ids": ["C0000001"]}, headers=AUTH)
        assert ready.status_code == 200
    finally:
        release.set()
        clients.close()


def test_a_failed_load_keeps_the_service_unready_and_says_why(served_world, tmp_path):
    settings = served_world.settings(scores_dir=tmp_path / "no-scores")
    clients = service_client(settings, served_world.mlflow_dir, ready=False)
    client = next(clients)
    try:
        deadline = time.monotonic() + 60
        while "could not load" not in (
            body := client.post("/score", json={"customer_ids": ["x"]}, headers=AUTH).json()
        ).get("error", ""):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "procare score" in body["error"]
        assert client.get("/readyz").status_code == 503
    finally:
        clients.close()


@pytest.fixture(scope="module")
def full(batch, state):
    """The served snapshot scored whole with reasons for every customer (before reasons were
    precomputed only for the shown tiers)."""
    _, snapshot = batch
    return score_customers(state.champions, snapshot.frame, snapshot.documents)


def test_score_by_id_returns_the_batch_scores_in_request_order(client, batch, full):
    scores, _ = batch
    shown = scores.index[scores["risk_tier"] != "low"][0]
    unexplained = next(i for i in scores.index[scores["reasons"].isna()] if full.loc[i, "reasons"])
    ids = [shown, "NO-SUCH-CUSTOMER", unexplained]
    response = client.post("/score", json={"customer_ids": ids}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    ScoreResponse.model_validate(body)
    assert (body["count"], body["errors"]) == (3, 1)
    first, unknown, last = body["results"]
    assert unknown["index"] == 1 and unknown["error"]["code"] == "unknown_customer"
    assert unknown["p_escalation"] is None
    for item, customer_id in ((first, ids[0]), (last, ids[2])):
        expected = full.loc[customer_id]
        assert item["customer_id"] == customer_id and item["source"] == "snapshot"
        assert item["p_repeat_contact"] == pytest.approx(expected["p_repeat_contact"], abs=1e-12)
        assert item["p_escalation"] == pytest.approx(expected["p_escalation"], abs=1e-12)
        assert item["risk_tier"] == expected["risk_tier"]
        assert item["action"]["code"] == expected["action"]
        assert [r["feature"] for r in item["reasons"]] == [
            r["feature"] for r in expected["reasons"]
        ]
        assert item["reasons"] and all(r["zh"] and r["en"] for r in item["reasons"])
    assert set(body["model_versions"]) == {"repeat_contact", "escalation"}


def test_records_scored_live_match_the_offline_batch_scores(client, batch, full):
    _, snapshot = batch
    scores = full
    rows = snapshot.frame.iloc[10:16]
    records = as_records(rows, feature_columns(client))
    response = client.post("/score", json={"records": records}, headers=AUTH)
    assert response.status_code == 200, response.text
    body = response.json()
    ScoreResponse.model_validate(body)
    assert body["explained"] is True
    for item, customer_id in zip(body["results"], rows.index, strict=True):
        expected = scores.loc[customer_id]
        assert item["source"] == "live" and item["customer_id"] == customer_id
        assert item["p_repeat_contact"] == pytest.approx(expected["p_repeat_contact"], abs=1e-9)
        assert item["p_escalation"] == pytest.approx(expected["p_escalation"], abs=1e-9)
        assert item["action"]["code"] == expected["action"]
        assert [r["feature"] for r in item["reasons"]] == [
            r["feature"] for r in expected["reasons"]
        ]


def test_large_record_batches_skip_live_reasons_but_keep_the_scores(client, batch):
    scores, snapshot = batch
    rows = snapshot.frame.iloc[:150]
    records = as_records(rows, feature_columns(client))
    body = client.post("/score", json={"records": records}, headers=AUTH).json()
    assert body["explained"] is False and body["count"] == 150
    assert all(item["reasons"] == [] for item in body["results"])
    p_escalation = np.array([item["p_escalation"] for item in body["results"]])
    np.testing.assert_allclose(p_escalation, scores.loc[rows.index, "p_escalation"], atol=1e-9)


def test_asking_for_live_reasons_of_too_many_records_is_a_422_naming_explain(client, batch):
    _, snapshot = batch
    records = as_records(snapshot.frame.iloc[:101], feature_columns(client))
    response = client.post("/score", json={"records": records, "explain": True}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["field"] == "explain"


def test_a_batch_over_the_limit_is_a_413_naming_the_field(client):
    response = client.post(
        "/score", json={"customer_ids": [f"C{i}" for i in range(501)]}, headers=AUTH
    )
    assert response.status_code == 413
    assert response.json()["field"] == "customer_ids"
    assert "500" in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/score", {"customer_ids": []}, "customer_ids"),
        ("/score", {"customerids": ["C0000001"]}, "customerids"),
        ("/score", {"customer_ids": [""]}, "customer_ids"),
        ("/score", {"customer_ids": "C0000001"}, "customer_ids"),
        ("/score", {"records": [1, 2]}, "records"),
        ("/outreach", {"capacity": 0}, "capacity"),
        ("/outreach", {"capacity": 10, "holdout_fraction": 1.5}, "holdout_fraction"),
        ("/outreach", {"capacity": 10, "as_of": "yesterday"}, "as_of"),
        ("/events/contact", {"customer_id": "C1", "channel": "fax", "ts": "2026-10-01"}, "channel"),
        ("/events/contact", {"customer_id": "C1", "channel": "app"}, "ts"),
        ("/events/contact", {"customer_id": "C1", "channel": "app", "ts": "2263-01-01"}, "ts"),
    ],
)
def test_malformed_requests_are_400_naming_the_field(client, path, payload, field):
    response = client.post(path, json=payload, headers=AUTH)
    assert response.status_code == 400
    locations = [".".join(map(str, error["loc"])) for error in response.json()["detail"]]
    assert any(location.startswith(field) for location in locations), locations


@pytest.mark.parametrize(
    ("path", "payload", "message"),
    [
        ("/score", {"customer_ids": ["C1"], "records": [{}]}, "exactly one of"),
        ("/score", {}, "exactly one of"),
        ("/events/contact", {"channel": "app", "ts": "2026-10-01T10:00:00"}, "customer_id"),
    ],
)
def test_requests_breaking_a_cross_field_rule_say_which_fields(client, path, payload, message):
    response = client.post(path, json=payload, headers=AUTH)
    assert response.status_code == 400
    assert message in response.json()["detail"][0]["msg"]


def test_invalid_json_is_a_400(client):
    response = client.post(
        "/score",
        content=b'{"customer_ids": [',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_bad_records_are_422_naming_record_and_feature(client, batch):
    _, snapshot = batch
    columns = feature_columns(client)
    good = as_records(snapshot.frame.iloc[:2], columns)
    missing = [good[0], {k: v for k, v in good[1].items() if k != columns[3]}]
    wrong_type = [good[0], {**good[1], columns[3]: "lots"}]
    unknown = [{**good[0], "shoe_size": 42}, good[1]]
    for records, field in (
        (missing, f"records[1].{columns[3]}"),
        (wrong_type, f"records[1].{columns[3]}"),
        (unknown, "records[0].shoe_size"),
    ):
        response = client.post("/score", json={"records": records}, headers=AUTH)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_every_endpoint_needs_the_api_key(client, headers):
    calls = [
        ("POST", "/score", {"customer_ids": ["C0000001"]}),
        ("POST", "/outreach", {"capacity": 5}),
        ("POST", "/events/contact", {"customer_id": "C1", "channel": "app", "ts": "2026-10-01"}),
        ("GET", "/model_info", None),
    ]
    for method, path, payload in calls:
        response = client.request(method, path, json=payload, headers=headers)
        assert response.status_code == 401, path
        assert "X-API-Key" in response.json()["error"]


def test_probes_and_spec_are_open(client):
    for path in ("/livez", "/readyz", "/docs.json"):
        assert client.get(path).status_code == 200, path


def test_openapi_spec_documents_the_endpoints_with_examples(client):
    spec = client.get("/docs.json").json()
    for path in ("/score", "/outreach", "/events/contact"):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"]["example"], path
    assert "get" in spec["paths"]["/model_info"]


def test_model_info_names_both_champions_with_window_and_metrics(client, served_world):
    info = client.get("/model_info", headers=AUTH).json()
    assert {m["target"] for m in info["models"]} == {"repeat_contact", "escalation"}
    for model in info["models"]:
        assert model["name"] == f"procare-{model['target']}"
        assert "champion" in model["aliases"]
        assert model["training_window"]["valid_as_of"]
        assert 0.0 < model["metrics"]["roc_auc"] <= 1.0
        assert model["input_columns"]
    assert info["scores_as_of"] == served_world.as_of.isoformat()
    assert info["customers"] > 0


def test_outreach_respects_capacity_and_holds_out_a_seeded_control_group(client):
    request = {"capacity": 20, "holdout_fraction": 0.3, "holdout_seed": 7, "fill_capacity": True}
    first = client.post("/outreach", json=request, headers=AUTH).json()
    again = client.post("/outreach", json=request, headers=AUTH).json()
    assert len(first["outreach"]) == 20
    assert all(c["contact"] for c in first["outreach"])
    assert first["holdout"] and all(not c["contact"] for c in first["holdout"])
    contacted = {c["customer_id"] for c in first["outreach"]}
    assert contacted.isdisjoint(c["customer_id"] for c in first["holdout"])
    assert [c["customer_id"] for c in again["outreach"]] == [
        c["customer_id"] for c in first["outreach"]
    ]
    assert first["holdout_seed"] == 7 and first["plan_id"] != again["plan_id"]
    other = client.post("/outreach", json={**request, "holdout_seed": 8}, headers=AUTH).json()
    assert {c["customer_id"] for c in other["holdout"]} != {
        c["customer_id"] for c in first["holdout"]
    }
    values = [c["net_value"] for c in first["outreach"] if c["team"] == "agents"]
    assert values == sorted(values, reverse=True)


def test_outreach_rejects_unscored_dates_and_oversized_capacity(client):
    unscored = client.post("/outreach", json={"capacity": 5, "as_of": "2020-01-31"}, headers=AUTH)
    assert unscored.status_code == 422 and unscored.json()["field"] == "as_of"
    huge = client.post("/outreach", json={"capacity": 501}, headers=AUTH)
    assert huge.status_code == 422 and huge.json()["field"] == "capacity"


def event(customer_id, channel="hotline", text=None, ts="2026-10-01T10:00:00", **extra):
    return {"customer_id": customer_id, "channel": channel, "text": text, "ts": ts, **extra}


def test_an_escalation_threat_warns_the_shift_supervisor_and_rescores(client, batch):
    scores, _ = batch
    customer = scores.index[20]
    text = "你们乱扣费，今天不退钱我就去工信部投诉！"
    body = client.post("/events/contact", json=event(customer, text=text), headers=AUTH).json()
    assert body["text"]["escalation_intent"] is True
    assert body["text"]["escalation_target"] == "regulator"
    assert body["early_warning"]["flag"] is True
    assert "escalation_words" in body["early_warning"]["triggers"]
    assert "shift_supervisor" in body["early_warning"]["notify"]
    assert body["score"]["source"] == "live" and body["score"]["reasons"]
    assert body["as_of"] == "2026-10-01"
    assert body["previous"]["p_escalation"] == pytest.approx(scores.loc[customer, "p_escalation"])


def test_a_negated_threat_does_not_raise_the_flag(client, batch):
    scores, _ = batch
    text = "我不会去投诉的，就是想问问这个月账单怎么多了"
    body = client.post(
        "/events/contact", json=event(scores.index[21], text=text), headers=AUTH
    ).json()
    assert body["text"]["escalation_intent"] is False
    assert "escalation_words" not in body["early_warning"]["triggers"]


def test_three_channels_within_30_days_fire_the_rule(client, batch, served_world):
    scores, _ = batch
    contacts = resolve_tables(read_raw_tables(served_world.demo.raw_dir)).contacts
    recent = contacts.loc[contacts["ts"] >= pd.Timestamp("2026-08-25"), "customer_id"]
    customer = next(c for c in scores.index if c not in set(recent.dropna()))
    answers = [
        client.post(
            "/events/contact",
            json=event(customer, channel, ts=f"2026-10-0{day}T09:00:00"),
            headers=AUTH,
        ).json()
        for day, channel in ((1, "hotline"), (2, "wechat"), (3, "app"))
    ]
    channels = [a["early_warning"]["distinct_channels_30d"] for a in answers]
    assert channels == [1, 2, 3]
    assert [a["early_warning"]["flag"] for a in answers] == [False, False, True]
    assert answers[2]["early_warning"]["triggers"] == ["multi_channel"]


def test_public_exposure_also_alerts_the_crisis_team(client, batch):
    scores, _ = batch
    text = "停机不给解释，我要发微博曝光你们，再找记者！"
    body = client.post(
        "/events/contact", json=event(scores.index[22], "weibo", text), headers=AUTH
    ).json()
    assert body["early_warning"]["notify"] == ["shift_supervisor", "crisis_team"]


def test_an_unknown_customer_still_gets_the_text_warning(client):
    text = "再不解决我就去消协投诉"
    body = client.post("/events/contact", json=event("NOBODY", text=text), headers=AUTH).json()
    assert body["error"]["code"] == "unknown_customer"
    assert body["score"] is None and body["previous"] is None
    assert body["early_warning"]["flag"] is True


def test_aware_event_times_are_read_as_shanghai_time(client, batch):
    scores, _ = batch
    body = client.post(
        "/events/contact",
        json=event(scores.index[23], ts="2026-10-01T17:30:00Z"),
        headers=AUTH,
    ).json()
    assert body["as_of"] == "2026-10-02"


def test_texts_and_phone_numbers_never_reach_the_logs(client, batch, caplog):
    scores, _ = batch
    secret = "我的号码13912345678，你们乱扣费我要去工信部投诉"
    loggers = ["bentoml", "bentoml.access", "bentoml.serve", "serving", "uvicorn"]
    for name in loggers:
        logging.getLogger(name).addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG):
            client.post("/events/contact", json=event(scores.index[24], text=secret), headers=AUTH)
            client.post(
                "/events/contact",
                json=event(scores.index[24], text=secret + "!" * 5000),
                headers=AUTH,
            )
    finally:
        for name in loggers:
            logging.getLogger(name).removeHandler(caplog.handler)
    logged = caplog.text
    assert caplog.records
    assert "13912345678" not in logged and "乱扣费" not in logged


def test_random_paths_never_become_metric_labels(client):
    secret = f"/customers/{'1391234' + '5678'}"
    for path in (secret, "/score/../x", "/model_info/C0000001"):
        client.get(path)
        client.get(path, headers=AUTH)
    page = client.get("/metrics").text
    assert "procare_request_total" in page and 'endpoint="other"' in page
    assert "13912345678" not in page and "C0000001" not in page
    assert 'endpoint="/model_info/' not in page


def test_the_root_page_loads_no_script(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text.lower()
    assert "<script" not in page and "googletagmanager" not in page and "<iframe" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert client.get("/static_content/swagger-ui-bundle.js").status_code == 401


def test_lookups_computing_reasons_run_on_the_model_thread(client, batch, monkeypatch):
    import serving.api.lookup as lookup_module

    scores, _ = batch
    threads: list[str] = []
    real = lookup_module.score_customers

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(lookup_module, "score_customers", recording)
    unexplained = [str(i) for i in scores.index[scores["reasons"].isna()][:3]]
    response = client.post("/score", json={"customer_ids": unexplained}, headers=AUTH)
    assert response.status_code == 200
    assert threads and all(name.startswith("procare-models") for name in threads), threads


@pytest.fixture(scope="module")
def chunked_client(served_world):
    """A service scoring records 10 rows at a time (one row at a time with reasons)."""
    yield from service_client(
        served_world.settings(
            max_batch_size=2000, bulk_chunk_rows=10, max_request_bytes=16 * 2**20
        ),
        served_world.mlflow_dir,
    )


def test_chunked_records_keep_request_positions_and_name_the_bad_record(chunked_client, batch):
    _, snapshot = batch
    columns = feature_columns(chunked_client)
    records = as_records(snapshot.frame.iloc[:25], columns)
    body = chunked_client.post("/score", json={"records": records}, headers=AUTH).json()
    assert [item["index"] for item in body["results"]] == list(range(25))
    assert [item["customer_id"] for item in body["results"]] == list(snapshot.frame.index[:25])
    records[23] = {**records[23], columns[3]: "lots"}
    bad = chunked_client.post("/score", json={"records": records}, headers=AUTH)
    assert bad.status_code == 422 and bad.json()["field"] == f"records[23].{columns[3]}"


def test_a_live_event_is_answered_before_a_bulk_batch_queued_ahead_of_it(chunked_client, batch):
    scores, snapshot = batch
    records = as_records(snapshot.frame.iloc[:300], feature_columns(chunked_client))
    records = records * 4
    finished: dict[str, float] = {}

    def bulk():
        response = chunked_client.post(
            "/score", json={"records": records, "explain": False}, headers=AUTH
        )
        assert response.status_code == 200
        finished["bulk"] = time.monotonic()

    worker = threading.Thread(target=bulk)
    worker.start()
    time.sleep(0.3)
    response = chunked_client.post(
        "/events/contact", json=event(scores.index[30], text="宽带又断了"), headers=AUTH
    )
    finished["event"] = time.monotonic()
    worker.join(120)
    assert response.status_code == 200
    assert finished["event"] < finished["bulk"]


def test_readyz_waits_for_every_worker_of_the_server(served_world, tmp_path):
    from serving.api.readiness import marker

    settings = served_world.settings(run_dir=tmp_path, workers=2)
    clients = service_client(settings, served_world.mlflow_dir, ready=False)
    client = next(clients)
    try:
        deadline = time.monotonic() + 120
        while not marker(tmp_path, 1, "ready").exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert client.post("/score", json={"customer_ids": ["x"]}, headers=AUTH).status_code == 200
        assert client.get("/readyz").status_code == 503
        marker(tmp_path, 2, "ready").touch()
        assert client.get("/readyz").status_code == 200
    finally:
        clients.close()
    assert not marker(tmp_path, 1, "ready").exists()


def test_a_failed_load_is_recorded_for_the_server(served_world, tmp_path):
    from serving.api.readiness import failure

    settings = served_world.settings(scores_dir=tmp_path / "no-scores", run_dir=tmp_path / "run")
    clients = service_client(settings, served_world.mlflow_dir, ready=False)
    next(clients)
    try:
        deadline = time.monotonic() + 60
        while (reason := failure(tmp_path / "run")) is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "procare score" in reason
    finally:
        clients.close()
