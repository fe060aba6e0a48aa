"""Data pipelines: contract, ingest, synthetic world and snapshots. All file I/O lives here."""
