#!/usr/bin/env bash
# Installs cairn for the GitHub Action (action.yml), or anywhere with bash, curl and tar.
#
#   scripts/action-install.sh plan      decide what to install and where; prints key=value lines
#                                       (also appended to $GITHUB_OUTPUT)
#   scripts/action-install.sh install   install it, add its folder to $GITHUB_PATH, print the
#                                       same lines plus bin=FOLDER
#
# The release binary for this OS and architecture is downloaded and its SHA-256 checked against
# the release's SHA256SUMS before anything is unpacked; a mismatch stops with an error, never
# with a fallback. Where the release has no binary for the platform (or the platform is not one
# cairn builds for), it falls back to `cargo install --locked --git … --tag vVERSION`, into a
# folder that action.yml caches, so that only the first run builds. Bash 3.2 or newer (macOS),
# and Git Bash on Windows, which is what GitHub's Windows runners run `shell: bash` with.
#
# Environment (all optional):
#   CAIRN_VERSION       `latest`, `0.2.0` or `v0.2.0`; empty: the release the action's own
#                       files belong to (see "Which version" below)
#   CAIRN_ACTION_REF    the ref the action was used at (github.action_ref)
#   CAIRN_ACTION_PATH   the folder the action was checked out into (github.action_path); gives
#                       the repository and ref when the two above are empty, and the version
#                       in its Cargo.toml
#   CAIRN_REPOSITORY    OWNER/NAME of the cairn repository (github.action_repository)
#   CAIRN_RELEASES_URL  where releases are (default https://github.com/OWNER/NAME/releases);
#                       files are at URL/download/vVERSION/FILE and URL/latest/download/FILE
#   CAIRN_INSTALL_DIR   the folder to install into (its bin/ gets cairn); default under
#                       $RUNNER_TOOL_CACHE, else ~/.cairn
#   RUNNER_OS, RUNNER_ARCH   as GitHub sets them (Linux|macOS|Windows, X64|ARM64|…); default
#                       from uname
#
# Which version, when CAIRN_VERSION is empty: the ref's when it is a release tag (`@v0.2.0`);
# else the version in the action's own Cargo.toml, so that a moving tag (`@v1`, `@v0.2`) or a
# commit pinned by its hash installs the cairn its scripts were released with, not a newer
# major one; and when that version has no release (`@main` between releases), the latest.
set -euo pipefail

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

note() {
    printf '%s\n' "$*" >&2
}

# A path as this shell sees it (Git Bash gets `C:\hostedtoolcache` from the runner).
unix_path() {
    if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi
}

# A path as the runner and other shells see it (Git Bash's /c/… is C:\… to them).
native_path() {
    if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s\n' "$1"; fi
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 -r "$1" | cut -d' ' -f1
    else
        die "no sha256sum, shasum or openssl to verify the download with"
    fi
}

# Downloads URL to FILE; fails quietly (status 1) when the server has no such file.
download() {
    curl --fail --silent --show-error --location --retry 3 --proto '=https,file' \
        --output "$2" "$1" 2>"$2.err" || {
        note "  $(cat "$2.err")"
        rm -f "$2" "$2.err"
        return 1
    }
    rm -f "$2.err"
}

# The Rust target of the release binary for RUNNER_OS/RUNNER_ARCH, or nothing.
target_for() {
    local os=$1 arch=$2
    case "$os/$arch" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    # Windows on Arm runs x64 programs under emulation.
    Windows/X64 | Windows/ARM64) echo x86_64-pc-windows-msvc ;;
    *) ;;
    esac
}

detect_os() {
    case "$(uname -s)" in
    Linux) echo Linux ;;
    Darwin) echo macOS ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) echo Windows ;;
    *) uname -s ;;
    esac
}

detect_arch() {
    case "$(uname -m)" in
    x86_64 | amd64) echo X64 ;;
    aarch64 | arm64) echo ARM64 ;;
    armv7* | armv6* | arm) echo ARM ;;
    i?86) echo X86 ;;
    *) uname -m ;;
    esac
}

semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$'

# The package version in the Cargo.toml of the action's own folder, if it has one. The release
# workflow only tags commits whose Cargo.toml says the tag's version.
own_version() {
    [ -n "${CAIRN_ACTION_PATH:-}" ] || return 1
    local manifest
    manifest="$(unix_path "$CAIRN_ACTION_PATH")/Cargo.toml"
    [ -f "$manifest" ] || return 1
    local line v=""
    # The first `version = "…"` is the package's: [package] comes first.
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        if [[ $line =~ ^version\ *=\ *\"([^\"]+)\" ]]; then
            v=${BASH_REMATCH[1]}
            break
        fi
    done <"$manifest"
    [[ $v =~ $semver ]] || return 1
    printf '%s\n' "$v"
}

# Sets: version target os arch repo releases dir archive sha256 method.
plan() {
    os=${RUNNER_OS:-$(detect_os)}
    arch=${RUNNER_ARCH:-$(detect_arch)}
    repo=${CAIRN_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}
    local action_ref=${CAIRN_ACTION_REF:-}
    # github.action_repository and github.action_ref are not always set for the steps of a
    # composite action; the folder the runner checked the action out into says the same:
    # …/_actions/OWNER/NAME/REF.
    if [ -n "${CAIRN_ACTION_PATH:-}" ]; then
        local path
        path=$(unix_path "$CAIRN_ACTION_PATH")
        path=${path%/}
        if [[ $path =~ /_actions/([^/]+)/([^/]+)/([^/]+)$ ]]; then
            [ -n "$repo" ] || repo="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
            [ -n "$action_ref" ] || action_ref=${BASH_REMATCH[3]}
        fi
    fi
    releases=${CAIRN_RELEASES_URL:-}
    if [ -z "$releases" ]; then
        [ -n "$repo" ] || die "CAIRN_REPOSITORY (OWNER/NAME of the cairn repository) is not set"
        releases="https://github.com/$repo/releases"
    fi
    releases=${releases%/}
    target=$(target_for "$os" "$arch")

    local wanted=${CAIRN_VERSION:-} own=""
    if [ -z "$wanted" ]; then
        local ref=${action_ref#refs/tags/}
        if [[ ${ref#v} =~ $semver ]]; then
            wanted=$ref
        elif own=$(own_version) && [ -n "$own" ]; then
            wanted=$own
        else
            own="" wanted=latest
        fi
    fi
    wanted=${wanted#v}
    if [ "$wanted" != latest ] && ! [[ $wanted =~ $semver ]]; then
        die "version \`${CAIRN_VERSION:-}\` is neither \`latest\` nor a release like 0.2.0 or v0.2.0"
    fi

    local sums_url
    if [ "$wanted" = latest ]; then
        sums_url="$releases/latest/download/SHA256SUMS"
    else
        sums_url="$releases/download/v$wanted/SHA256SUMS"
    fi
    version="" archive="" sha256=""
    if [ "$wanted" != latest ] && [ -z "$target" ] && [ -z "$own" ]; then
        version=$wanted # nothing to download for this platform: no need for the sums
    else
        sums="$work/SHA256SUMS"
        if ! download "$sums_url" "$sums"; then
            [ -n "$own" ] ||
                die "cannot download $sums_url: is \`$wanted\` a release of ${repo:-cairn}?"
            note "cairn $own (the action's Cargo.toml) is not released; installing the latest release"
            wanted=latest
            sums_url="$releases/latest/download/SHA256SUMS"
            download "$sums_url" "$sums" || die "cannot download $sums_url: has ${repo:-cairn} any release?"
        fi
        local line hash name found_version
        while IFS= read -r line || [ -n "$line" ]; do
            line=${line%$'\r'}
            hash=${line%% *}
            name=${line#* }
            name=${name# }
            name=${name#\*}
            [[ $name =~ ^cairn-([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?)-(.+)\.(tar\.gz|zip)$ ]] || continue
            found_version=${BASH_REMATCH[1]}
            [ -n "$version" ] || version=$found_version
            if [ -n "$target" ] && [ "${BASH_REMATCH[3]}" = "$target" ]; then
                archive=$name
                sha256=$hash
            fi
        done <"$sums"
        [ -n "$version" ] || die "$sums_url lists no cairn archive"
        if [ "$wanted" != latest ] && [ "$version" != "$wanted" ]; then
            die "$sums_url is for cairn $version, not $wanted"
        fi
    fi

    if [ -n "$archive" ]; then method=release; else method=cargo; fi
    local base
    if [ -n "${CAIRN_INSTALL_DIR:-}" ]; then
        base=$(unix_path "$CAIRN_INSTALL_DIR")
    elif [ -n "${RUNNER_TOOL_CACHE:-}" ]; then
        base="$(unix_path "$RUNNER_TOOL_CACHE")/cairn/$version-$method/$(echo "$arch" | tr '[:upper:]' '[:lower:]')"
    else
        base="$HOME/.cairn/$version-$method"
    fi
    dir=$base
}

report() {
    local out
    out=$(
        printf 'version=%s\n' "$version"
        printf 'method=%s\n' "$method"
        printf 'target=%s\n' "$target"
        printf 'dir=%s\n' "$(native_path "$dir")"
        if [ $# -gt 0 ]; then printf 'bin=%s\n' "$(native_path "$1")"; fi
    )
    printf '%s\n' "$out"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s\n' "$out" >>"$GITHUB_OUTPUT"; fi
}

# Checks that BIN runs and is the version asked for.
check_binary() {
    local bin=$1 says
    says=$("$bin" --version 2>&1) || die "$bin does not run on this machine: $says"
    [ "$says" = "cairn $version" ] || die "$bin says \`$says\`, expected \`cairn $version\`"
}

install_release() {
    local url="$releases/download/v$version/$archive" file="$work/$archive" actual
    note "cairn $version for $target: $url"
    download "$url" "$file" || die "cannot download $url"
    actual=$(sha256 "$file")
    if [ "$actual" != "$sha256" ]; then
        die "checksum mismatch for $archive: SHA256SUMS says $sha256, the download is $actual; not installing it"
    fi
    local unpacked="$work/unpacked" exe=""
    mkdir -p "$unpacked"
    case $archive in
    *.zip)
        exe=.exe
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$file" -d "$unpacked"
        else
            powershell -NoProfile -NonInteractive -Command \
                "Expand-Archive -LiteralPath '$(native_path "$file")' -DestinationPath '$(native_path "$unpacked")'"
        fi
        ;;
    *) tar -xzf "$file" -C "$unpacked" ;;
    esac
    local inner="$unpacked/${archive%.tar.gz}"
    inner=${inner%.zip}
    [ -f "$inner/cairn$exe" ] || die "$archive has no ${inner##*/}/cairn$exe"
    mkdir -p "$dir/bin"
    # Everything the archive has (man pages, completions) next to bin/, then the binary last,
    # so a folder with bin/cairn is a complete install.
    cp -R "$inner/." "$dir/"
    rm -f "$dir/cairn$exe"
    cp "$inner/cairn$exe" "$dir/bin/cairn$exe.tmp"
    chmod 755 "$dir/bin/cairn$exe.tmp"
    mv -f "$dir/bin/cairn$exe.tmp" "$dir/bin/cairn$exe"
    check_binary "$dir/bin/cairn$exe"
}

install_cargo() {
    local exe=""
    [ "$os" = Windows ] && exe=.exe
    if [ -x "$dir/bin/cairn$exe" ] && [ "$("$dir/bin/cairn$exe" --version 2>/dev/null)" = "cairn $version" ]; then
        note "cairn $version: already built in $dir (cache)"
        return
    fi
    if [ -n "$target" ]; then
        note "the cairn $version release has no binary for $target; building it with cargo"
    else
        note "cairn has no release binary for $os on $arch; building it with cargo"
    fi
    command -v cargo >/dev/null 2>&1 ||
        die "no cargo to build cairn with; install a Rust toolchain first (for example with dtolnay/rust-toolchain)"
    [ -n "$repo" ] || die "CAIRN_REPOSITORY (OWNER/NAME of the cairn repository) is not set"
    cargo install --locked --root "$dir" --git "https://github.com/$repo" --tag "v$version" cairn
    check_binary "$dir/bin/cairn$exe"
}

work=$(mktemp -d "$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")/cairn-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

case ${1:-} in
plan)
    plan
    report
    ;;
install)
    plan
    if [ "$method" = release ]; then install_release; else install_cargo; fi
    if [ -n "${GITHUB_PATH:-}" ]; then native_path "$dir/bin" >>"$GITHUB_PATH"; fi
    report "$dir/bin"
    ;;
*) die "usage: action-install.sh plan|install" ;;
esac
