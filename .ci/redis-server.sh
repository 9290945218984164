#!/usr/bin/env bash
# Provide a redis-server for the distributed-mode tests without installing a system service.
#
# Usage: .ci/redis-server.sh VENV        (run by `make redis-server`, hence by `make test`)
#
# A redis-server on PATH is used as it is. Otherwise (or with REDIS_SERVER=none, which ignores
# the one on PATH) Debian's redis-tools package, which holds the real binary (Debian's
# redis-server package only adds a symlink to it, a service and its configuration), is fetched
# with `apt-get download` and unpacked with `dpkg -x` into VENV/redis/, together with any shared
# library it needs that the machine lacks (libjemalloc2, liblzf1, ...: found with ldd). The
# wrapper VENV/bin/redis-server runs it; tests/redis_server.py looks there first. Nothing is
# installed into the system, no service is enabled or started, and `make clean` removes it.
# `apt-get update` runs only when apt has no package lists at all (a fresh container).
#
# REDIS_MISSING_LIBS="libfoo.so.1 ..." treats those libraries as missing even where the
# machine has them: it exists to test the library fetching on a machine that lacks nothing.
set -euo pipefail

venv="${1:?usage: $0 VENV}"
wrapper="$venv/bin/redis-server"
dest="$venv/redis"

say() { echo "redis-server: $*" >&2; }
die() { say "$*"; exit 1; }

if [[ -x "$wrapper" ]] && "$wrapper" --version >/dev/null 2>&1; then
    exit 0  # unpacked by an earlier run
fi
if [[ "${REDIS_SERVER:-}" != none ]] && command -v redis-server >/dev/null; then
    exit 0  # the machine's own
fi
[[ -d "$venv/bin" ]] || die "$venv/bin does not exist; create the venv first"
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    die "not found on PATH and this is no Debian-like system: install Redis yourself" \
        "(e.g. brew install redis) so that redis-server is on PATH"
fi

sudo=()
[[ "$(id -u)" == 0 ]] || sudo=(sudo)
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    say "apt has no package lists; running apt-get update (fetches the lists only)"
    "${sudo[@]}" apt-get update -qq
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Fetch Debian packages by name into $work and unpack them into $dest (no maintainer scripts
# run, nothing is registered with dpkg).
fetch() {
    say "fetching $* (Debian packages, unpacked into $dest)"
    # As root apt warns that its sandbox user cannot write here; downloading as root is fine.
    (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "$@") ||
        die "apt-get download $* failed"
    for deb in "$work"/*.deb; do
        dpkg -x "$deb" "$dest"
        rm -f "$deb"
    done
}

# Debian names a library's package after its soname: libjemalloc.so.2 -> libjemalloc2,
# liblz4.so.1 -> liblz4-1 (a hyphen when the name ends in a digit), libgcc_s.so.1 -> libgcc-s1.
package_of() {
    local soname="$1" name version
    case "$soname" in
        libcrypto.so.*) echo "libssl${soname##*.so.}"; return ;;  # shipped with libssl
    esac
    name="${soname%%.so.*}"
    version="${soname##*.so.}"
    name="${name//_/-}"
    [[ "$name" =~ [0-9]$ ]] && name="$name-"
    echo "${name,,}$version"
}

lib_path() {
    find "$dest" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' 2>/dev/null |
        sort -u | paste -sd: -
}

missing_libs() {
    local binary="$1"
    LD_LIBRARY_PATH="$(lib_path)" ldd "$binary" | awk '/=> not found/ {print $1}'
    for lib in ${REDIS_MISSING_LIBS:-}; do
        compgen -G "$dest/usr/lib/*/$lib" >/dev/null || compgen -G "$dest/lib/*/$lib" \
            >/dev/null || echo "$lib"
    done
}

rm -rf "$dest"
mkdir -p "$dest"
fetch redis-tools
binary="$dest/usr/bin/redis-check-rdb"
[[ -x "$binary" ]] || die "redis-tools held no usr/bin/redis-check-rdb"
# The binary acts by its name: as redis-server it is the server (Debian's redis-server
# package ships exactly this symlink).
ln -sf redis-check-rdb "$dest/usr/bin/redis-server"

for _ in 1 2 3; do  # a fetched library may itself need another one
    mapfile -t missing < <(missing_libs "$binary" | sort -u)
    [[ ${#missing[@]} -gt 0 ]] || break
    packages=()
    for lib in "${missing[@]}"; do packages+=("$(package_of "$lib")"); done
    fetch "${packages[@]}"
done
if [[ -n "$(missing_libs "$binary")" ]]; then
    die "still missing after fetching: $(missing_libs "$binary" | paste -sd' ' -)"
fi

libs="$(lib_path)"
env_line=""
if [[ -n "$libs" ]]; then  # relative to the wrapper, so a moved checkout keeps working
    libs="${libs//"$dest"/\$here/../redis}"
    env_line="export LD_LIBRARY_PATH=\"$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\""
fi
cat > "$wrapper" <<EOF
#!/bin/sh
# redis-server from Debian's redis-tools, unpacked into the venv by .ci/redis-server.sh;
# no system service. Remove with \`make clean\`.
here="\$(cd "\$(dirname "\$0")" && pwd)"
$env_line
exec "\$here/../redis/usr/bin/redis-server" "\$@"
EOF
chmod +x "$wrapper"
"$wrapper" --version >/dev/null || die "$wrapper does not run"
say "$("$wrapper" --version | cut -d' ' -f1-3) in $dest, run by $wrapper"
