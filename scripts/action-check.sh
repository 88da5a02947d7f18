#!/usr/bin/env bash
# The check step of the GitHub Action (action.yml): `cairn check` once per output it needs.
#
#   - `--format json`: the counts, written as the `errors` and `warnings` outputs;
#   - `--format github` (when CAIRN_ANNOTATIONS is true): one annotation per finding;
#   - the human report (when CAIRN_SUMMARY is true), appended to the job summary in a fenced
#     block so the carets stay under the spans.
#
# Exits with cairn's own exit code: 0 no errors, 1 errors (or warnings with `--deny warnings`),
# 2 the run failed. Each run takes milliseconds, so three are cheaper than a parser here.
#
# Environment: CAIRN_ARGS (extra arguments, split like a shell would, quotes allowed, nothing
# expanded), CAIRN_ANNOTATIONS, CAIRN_SUMMARY (`true`/`false`), CAIRN (the binary, default
# `cairn`), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP.
set -uo pipefail

cairn=${CAIRN:-cairn}

# CAIRN_ARGS as words: xargs honours quotes and backslashes without evaluating anything.
args=()
if [ -n "${CAIRN_ARGS:-}" ]; then
    words=$(printf '%s\n' "$CAIRN_ARGS" | xargs printf '%s\n') || {
        echo "::error title=cairn::cannot split the \`args\` input (an unmatched quote?): $CAIRN_ARGS"
        exit 2
    }
    while IFS= read -r word; do args+=("$word"); done <<<"$words"
fi

is_true() {
    case ${1:-} in true | True | TRUE | yes | 1) return 0 ;; *) return 1 ;; esac
}

output() {
    if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi
}

json="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cairn-check.$$.json"
trap 'rm -f "$json"' EXIT

"$cairn" check --format json ${args[@]+"${args[@]}"} >"$json"
code=$?
output exit-code "$code"
if [ "$code" -ge 2 ]; then
    # The reason is on standard error already; say it where the run's page shows it too.
    echo "::error title=cairn::cairn check could not run (exit code $code); see the log above"
    exit "$code"
fi

# "summary": {"errors": N, "warnings": M}, whatever the spacing.
counts=$(tr -d ' \t\r\n' <"$json" | sed -n 's/.*"summary":{"errors":\([0-9]*\),"warnings":\([0-9]*\)}.*/\1 \2/p')
errors=${counts% *}
warnings=${counts#* }
if [ -z "$counts" ]; then
    echo "::warning title=cairn::no summary in cairn check --format json; errors and warnings outputs are empty"
    errors="" warnings=""
fi
output errors "$errors"
output warnings "$warnings"

if is_true "${CAIRN_ANNOTATIONS:-true}"; then
    "$cairn" check --format github ${args[@]+"${args[@]}"}
fi

if is_true "${CAIRN_SUMMARY:-true}" && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
        echo '## cairn check'
        echo
        echo '```text'
        "$cairn" check --color never ${args[@]+"${args[@]}"} 2>&1
        echo '```'
    } >>"$GITHUB_STEP_SUMMARY"
fi

exit "$code"
