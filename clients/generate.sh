#!/usr/bin/env bash
# Regenerates the committed Python client of the procare API from the service's OpenAPI spec:
# clients/openapi.json (the spec /docs.json serves) and clients/python/procare_client.
# tests/serving/api/test_generated_client.py fails while either is out of date.
#
# The generator (openapi-python-client) runs from its own environment outside the repository:
# it pins typer below the project's version, so it cannot live in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

GENERATOR="openapi-python-client==0.29.1"
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/procare-codegen"
PYTHON="${PYTHON:-python3}"

if ! "$TOOLS/bin/openapi-python-client" --version 2>/dev/null | grep -q "${GENERATOR#*==}"; then
    rm -rf "$TOOLS"
    "$PYTHON" -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --quiet "$GENERATOR"
fi

.venv/bin/python - <<'PY'
import json
from pathlib import Path

from serving.api.service import openapi_spec

text = json.dumps(openapi_spec(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
Path("clients/openapi.json").write_text(text, encoding="utf-8")
PY

"$TOOLS/bin/openapi-python-client" generate \
    --path clients/openapi.json \
    --config clients/codegen.yml \
    --meta none \
    --overwrite \
    --output-path clients/python/procare_client
