"""Reading training snapshots: only labelled ones, clear errors, the ingest fingerprint."""

from __future__ import annotations

import json

import pytest

from pipelines.training_data import labelled_snapshots, raw_fingerprint, read_training_snapshots
from tests.training.world import SNAPSHOTS, customer_frame, snapshot_rows, write_snapshot


@pytest.fixture
def features_dir(tmp_path):
    customers = customer_frame(50, seed=1)
    for as_of in SNAPSHOTS[:3]:
        frame, documents, _ = snapshot_rows(customers, as_of, seed=1)
        write_snapshot(tmp_path, as_of, frame, documents)
    frame, documents, _ = snapshot_rows(customers, SNAPSHOTS[3], seed=1)
    write_snapshot(
        tmp_path, SNAPSHOTS[3], frame.drop(columns=["repeat_contact", "escalation"]), documents
    )
    return tmp_path


def test_only_snapshots_with_observed_labels_are_listed(features_dir):
    assert labelled_snapshots(features_dir) == SNAPSHOTS[:3]


def test_reads_train_and_validation_with_documents(features_dir):
    data = read_training_snapshots(features_dir, [SNAPSHOTS[1], SNAPSHOTS[0]], SNAPSHOTS[2])
    assert [s.as_of for s in data.train] == SNAPSHOTS[:2]
    assert data.valid.as_of == SNAPSHOTS[2] and len(data.valid.documents) == 50
    assert data.oracle is None and data.raw_fingerprint is None


def test_unlabelled_snapshot_is_refused_with_the_date(features_dir):
    with pytest.raises(ValueError, match="2026-08-31 has no labels"):
        read_training_snapshots(features_dir, SNAPSHOTS[:2], SNAPSHOTS[3])


def test_raw_fingerprint_comes_from_the_ingest_manifest(tmp_path):
    assert raw_fingerprint(tmp_path) is None
    (tmp_path / "_manifest.json").write_text(json.dumps({"fingerprint": "abc"}), "utf-8")
    assert raw_fingerprint(tmp_path) == "abc"
