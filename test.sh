#!/usr/bin/env bash
# The whole test suite, on a fresh clone too: makes sure the environment is set up, then
# runs pytest. pytest's "no tests collected" (exit 5) is a failure here.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --deps-only
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "test.sh: pytest collected no tests" >&2; exit 1; fi
exit $rc
