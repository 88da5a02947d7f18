#!/usr/bin/env bash
# The `diff-comment` step of the GitHub Action (action.yml): `cairn diff BASE..HEAD` of a pull
# request, kept in one comment on it that is updated on every push rather than added again.
#
# BASE is the pull request's base commit and HEAD the checked-out commit (on `pull_request`, the
# merge of the pull request into its base), so the diff is what merging would change. A shallow
# checkout is fine: the base commit is fetched when it is missing. With no plan change and no
# earlier comment, nothing is posted. When the token may not comment (pull requests from forks),
# the diff goes to the job summary instead, with a warning, and the step still succeeds.
#
# Environment: CAIRN_BASE (base commit), CAIRN_PR (number), GITHUB_REPOSITORY, GH_TOKEN,
# CAIRN_ARGS (global options such as `-C plan`, split like action-check.sh does), CAIRN
# (the binary), GITHUB_STEP_SUMMARY, RUNNER_TEMP. Needs `gh` (on every GitHub-hosted runner).
set -uo pipefail

cairn=${CAIRN:-cairn}
marker='<!-- cairn diff-comment -->'
base=${CAIRN_BASE:-}
pr=${CAIRN_PR:-}
repo=${GITHUB_REPOSITORY:-}

if [ -z "$base" ] || [ -z "$pr" ]; then
    echo "::notice title=cairn::diff-comment: not a pull request event; no comment"
    exit 0
fi

# Only the global options of CAIRN_ARGS (-C DIR, --color) apply to `cairn diff`.
args=()
if [ -n "${CAIRN_ARGS:-}" ]; then
    words=$(printf '%s\n' "$CAIRN_ARGS" | xargs printf '%s\n') || exit 2
    take_next=""
    while IFS= read -r word; do
        if [ -n "$take_next" ]; then
            args+=("$word")
            take_next=""
        elif [ "$word" = -C ]; then
            args+=("$word")
            take_next=1
        elif [[ $word == -C?* ]]; then
            args+=("$word")
        fi
    done <<<"$words"
fi

if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    git fetch --quiet --no-tags --depth=1 origin "$base" || {
        echo "::error title=cairn::diff-comment: cannot fetch the base commit $base"
        exit 1
    }
fi

tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cairn-diff.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

"$cairn" ${args[@]+"${args[@]}"} diff "$base..HEAD" >"$tmp/diff.md" || exit $?
{
    printf '%s\n' "$marker"
    cat "$tmp/diff.md"
} >"$tmp/body.md"

# The id of our earlier comment, if any (the first one carrying the marker).
existing=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id" 2>"$tmp/gh.err" | head -n 1)
if [ -s "$tmp/gh.err" ]; then
    echo "::warning title=cairn::diff-comment: cannot read the pull request's comments: $(head -n 1 "$tmp/gh.err")"
fi

if [ -z "$existing" ] && grep -q '^No plan changes\.$' "$tmp/diff.md"; then
    echo "cairn diff: no plan changes; no comment"
    exit 0
fi

if [ -n "$existing" ]; then
    gh api --method PATCH "repos/$repo/issues/comments/$existing" -F "body=@$tmp/body.md" >/dev/null 2>"$tmp/gh.err"
else
    gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$tmp/body.md" >/dev/null 2>"$tmp/gh.err"
fi
status=$?
if [ "$status" -ne 0 ]; then
    echo "::warning title=cairn::diff-comment: cannot comment on #$pr ($(head -n 1 "$tmp/gh.err")); the diff is in the job summary instead. Pull requests from forks get a read-only token."
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$tmp/diff.md" >>"$GITHUB_STEP_SUMMARY"; fi
    exit 0
fi
if [ -n "$existing" ]; then
    echo "cairn diff: updated the comment on #$pr"
else
    echo "cairn diff: commented on #$pr"
fi
