"""A small synthetic world taken through generate -> ingest -> snapshots, for integration tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.ingest import IngestConfig, ingest
from pipelines.snapshot import SnapshotConfig, build_snapshots
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world, save_world

SNAPSHOTS = (date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30))


@dataclass(frozen=True)
class DemoWorld:
    """Folders of a built demo world."""

    world_dir: Path
    raw_dir: Path
    features_dir: Path
    snapshots: tuple[date, ...]


def build_demo_world(root: Path, customers: int = 1500, seed: int = 11) -> DemoWorld:
    """Generate, ingest and snapshot a small world under ``root``."""
    world_dir, raw_dir, features_dir = root / "world", root / "raw", root / "features"
    save_world(generate_world(WorldConfig(customers=customers, months=12, seed=seed)), world_dir)
    ingest(IngestConfig(source_dir=world_dir, raw_dir=raw_dir))
    build_snapshots(
        SnapshotConfig(as_of=list(SNAPSHOTS), raw_dir=raw_dir, features_dir=features_dir)
    )
    return DemoWorld(world_dir, raw_dir, features_dir, SNAPSHOTS)
