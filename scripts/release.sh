#!/usr/bin/env bash
# The steps of .github/workflows/release.yml that are worth testing, as one script (bash 3.2+,
# so it also runs on macOS and in Git Bash on Windows; tests in tests/release.rs):
#
#   scripts/release.sh version                    the version in Cargo.toml
#   scripts/release.sh notes VERSION [CHANGELOG]  that version's CHANGELOG.md section, for the
#                                                 release notes; fails when there is none
#   scripts/release.sh assets CAIRN DIR           man pages (DIR/man) and completion scripts
#                                                 (DIR/complete) written by the binary CAIRN
#   scripts/release.sh package VERSION TARGET BINARY ASSETS OUT
#                                                 OUT/cairn-VERSION-TARGET.tar.gz (.zip on
#                                                 Windows) with the binary, README, licences,
#                                                 CHANGELOG, man pages and completions; prints
#                                                 the archive's path
#   scripts/release.sh sums DIR                   DIR/SHA256SUMS over every archive in DIR
#   scripts/release.sh repository [CARGO_TOML]    Cargo.toml's package.repository, which is
#                                                 binstall's `{ repo }`; fails when unset
#   scripts/release.sh moving-tag VERSION         the tag that follows compatible releases
#                                                 (`uses: OWNER/cairn@TAG`): v1 for 1.4.2, v0.3
#                                                 for 0.3.1 (Cargo's rule: below 1.0 the minor
#                                                 version is the breaking one); nothing for a
#                                                 pre-release
#
# Archive names are what Cargo.toml's [package.metadata.binstall] and scripts/action-install.sh
# expect: cairn-0.2.0-x86_64-unknown-linux-musl.tar.gz holding cairn-0.2.0-x86_64-unknown-linux-musl/cairn.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# The SHA-256 of a file, in hex, with whichever tool the platform has.
sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        openssl dgst -sha256 -r "$1" | cut -d' ' -f1
    fi
}

cmd_version() {
    # The first `version = "…"` is the package's: [package] comes first in Cargo.toml.
    sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1
}

cmd_notes() {
    local version=${1:?usage: release.sh notes VERSION [CHANGELOG]}
    local changelog=${2:-$root/CHANGELOG.md}
    version=${version#v}
    [ -f "$changelog" ] || die "no $changelog"
    # From the heading `## [VERSION]` (or `## VERSION`, `## [VERSION] - DATE`) to the next
    # `## ` heading; link definitions (`[0.1.0]: https://…`) and blank lines at the edges dropped.
    local notes
    notes=$(awk -v v="$version" '
        function is_heading(line) { return line ~ /^## / }
        function names_version(line,   rest) {
            rest = substr(line, 4)
            sub(/^\[/, "", rest)
            return index(rest, v) == 1 && substr(rest, length(v) + 1, 1) ~ /^(\]| |$)/
        }
        is_heading($0) { if (found) exit; if (names_version($0)) { found = 1; next } }
        found && !/^\[[^]]+\]: / { print }
    ' "$changelog" | sed -e '/./,$!d' | awk '
        /./ { for (; blank > 0; blank--) print ""; print; next }
        { blank++ }
    ')
    [ -n "$notes" ] || die "CHANGELOG.md has no section for $version (a heading \`## [$version] - YYYY-MM-DD\` with its changes)"
    printf '%s\n' "$notes"
}

cmd_assets() {
    local cairn=${1:?usage: release.sh assets CAIRN DIR} dir=${2:?usage: release.sh assets CAIRN DIR}
    mkdir -p "$dir/man" "$dir/complete"
    "$cairn" man -o "$dir/man" >/dev/null
    # The file names each shell's loader looks for (bash-completion, zsh's fpath, fish's
    # completions folder); PowerShell and elvish scripts are sourced by hand.
    "$cairn" completions bash >"$dir/complete/cairn.bash"
    "$cairn" completions zsh >"$dir/complete/_cairn"
    "$cairn" completions fish >"$dir/complete/cairn.fish"
    "$cairn" completions powershell >"$dir/complete/_cairn.ps1"
    "$cairn" completions elvish >"$dir/complete/cairn.elv"
}

cmd_package() {
    [ $# -eq 5 ] || die "usage: release.sh package VERSION TARGET BINARY ASSETS OUT"
    local version=${1#v} target=$2 binary=$3 assets=$4 out=$5
    [ -f "$binary" ] || die "no binary at $binary"
    if [ ! -d "$assets/man" ] || [ ! -d "$assets/complete" ]; then
        die "$assets has no man/ and complete/ (run \`release.sh assets\` first)"
    fi
    local name="cairn-$version-$target" exe=""
    case $target in *windows*) exe=.exe ;; esac
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    local staging
    staging=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cairn-package.XXXXXX")
    # shellcheck disable=SC2064 # expand now: $staging is local
    trap "rm -rf '$staging'" EXIT
    mkdir "$staging/$name"
    cp "$binary" "$staging/$name/cairn$exe"
    chmod 755 "$staging/$name/cairn$exe"
    cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$root/CHANGELOG.md" "$staging/$name/"
    cp -R "$assets/man" "$assets/complete" "$staging/$name/"
    if [ -n "$exe" ]; then
        rm -f "$out/$name.zip"
        if command -v 7z >/dev/null 2>&1; then
            (cd "$staging" && 7z a -tzip -bso0 -bsp0 "$out/$name.zip" "$name")
        else
            (cd "$staging" && zip -qr "$out/$name.zip" "$name")
        fi
        printf '%s\n' "$out/$name.zip"
    else
        tar -C "$staging" -czf "$out/$name.tar.gz" "$name"
        printf '%s\n' "$out/$name.tar.gz"
    fi
}

cmd_sums() {
    local dir=${1:?usage: release.sh sums DIR}
    local file found=""
    : >"$dir/SHA256SUMS.tmp"
    for file in "$dir"/cairn-*.tar.gz "$dir"/cairn-*.zip; do
        [ -f "$file" ] || continue
        found=1
        printf '%s  %s\n' "$(sha256 "$file")" "$(basename "$file")" >>"$dir/SHA256SUMS.tmp"
    done
    [ -n "$found" ] || die "no cairn-*.tar.gz or cairn-*.zip in $dir"
    sort -k 2 "$dir/SHA256SUMS.tmp" >"$dir/SHA256SUMS"
    rm "$dir/SHA256SUMS.tmp"
    cat "$dir/SHA256SUMS"
}

cmd_repository() {
    local manifest=${1:-$root/Cargo.toml} repository
    # In [package], before the first other table.
    repository=$(awk '
        /^\[/ { in_package = ($0 == "[package]"); next }
        in_package && /^repository *= *"/ { sub(/^repository *= *"/, ""); sub(/".*$/, ""); print; exit }
    ' "$manifest")
    [ -n "$repository" ] ||
        die "$manifest has no package.repository: cargo binstall builds its download URLs from it (\`{ repo }/releases/download/…\`)"
    printf '%s\n' "$repository"
}

cmd_moving_tag() {
    local version=${1:?usage: release.sh moving-tag VERSION}
    version=${version#v}
    [[ $version =~ ^([0-9]+)\.([0-9]+)\.[0-9]+(-.+)?$ ]] || die "\`$version\` is not a version like 1.4.2"
    [ -z "${BASH_REMATCH[3]}" ] || return 0
    if [ "${BASH_REMATCH[1]}" = 0 ]; then
        printf 'v0.%s\n' "${BASH_REMATCH[2]}"
    else
        printf 'v%s\n' "${BASH_REMATCH[1]}"
    fi
}

case ${1:-} in
moving-tag)
    shift
    cmd_moving_tag "$@"
    ;;
repository)
    shift
    cmd_repository "$@"
    ;;
version | notes | assets | package | sums)
    command=$1
    shift
    "cmd_$command" "$@"
    ;;
*) die "usage: release.sh version|notes|assets|package|sums|repository|moving-tag …" ;;
esac
