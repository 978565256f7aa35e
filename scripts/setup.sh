#!/usr/bin/env bash
# Idempotent machine set-up for vcf-agent: Debian packages + cached Kuzu and FAISS builds.
# Safe to re-run; a second run only checks and returns.
#   VCF_AGENT_CACHE  cache root (default ~/.cache/vcf-agent)
# Kuzu is the pinned release in third_party/kuzu/version with the patches of
# third_party/kuzu/patches applied; the cache directory is named by both (CMakeLists.txt derives
# the same name), so changing a patch builds a new cache entry instead of reusing a stale one.
set -euo pipefail

KUZU_DIR="$(cd "$(dirname "$0")/../third_party/kuzu" && pwd)"
KUZU_VERSION="$(tr -d '[:space:]' <"$KUZU_DIR/version")"
KUZU_PATCHES=("$KUZU_DIR"/patches/*.patch)
KUZU_PATCH_ID="$(cat "${KUZU_PATCHES[@]}" | sha256sum | cut -c1-12)"
KUZU_BUILD_NAME="kuzu-$KUZU_VERSION-$KUZU_PATCH_ID"
CACHE_ROOT="${VCF_AGENT_CACHE:-$HOME/.cache/vcf-agent}"
KUZU_PREFIX="$CACHE_ROOT/$KUZU_BUILD_NAME"

log() { printf '[setup] %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages: engines, reference tools, build tools. Pinned by the Debian release (bookworm).
# chromium is the browser of the web page test (tests/web drives it; it never downloads one);
# clang runs the thread-safety analysis (tests/thread_safety) over the GCC-built sources;
# iproute2's `ss` shows a test the server's listen backlog.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  libhts-dev bcftools tabix zlib1g-dev libssl-dev
  libfaiss-dev libopenblas-dev
  libcpp-httplib-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libvalijson-dev
  clang clang-format time bc patch iproute2
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from outside Debian; only ask apt for them when the command is absent.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Kuzu: built once per machine from the source that the npm package ships.
kuzu_ready() { [ -f "$KUZU_PREFIX/.complete" ] && [ -f "$KUZU_PREFIX/lib/libkuzu.so" ] && [ -f "$KUZU_PREFIX/include/kuzu.hpp" ]; }

if ! kuzu_ready; then
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/$KUZU_BUILD_NAME.lock"
  log "waiting for the Kuzu build lock"
  flock 9
  if ! kuzu_ready; then
    work="$CACHE_ROOT/$KUZU_BUILD_NAME-build"
    mkdir -p "$work"
    if [ ! -f "$work/.patched" ]; then
      log "fetching kuzu@$KUZU_VERSION source (npm package)"
      rm -rf "$work/package"
      (cd "$work" && rm -f kuzu-*.tgz && npm pack "kuzu@$KUZU_VERSION" --silent >/dev/null && tar xzf "kuzu-$KUZU_VERSION.tgz" && rm -f "kuzu-$KUZU_VERSION.tgz")
      for p in "${KUZU_PATCHES[@]}"; do
        log "applying $(basename "$p")"
        patch -p1 --forward --quiet -d "$work/package/kuzu-source" <"$p"
      done
      touch "$work/.patched"
    fi
    jobs="${KUZU_BUILD_JOBS:-$(nproc)}"
    log "building Kuzu $KUZU_VERSION (Release, $jobs jobs; about 20 min on 2 cores, once per machine)"
    cmake -S "$work/package/kuzu-source" -B "$work/build" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release -DBUILD_SHELL=FALSE -DBUILD_TESTS=FALSE \
      -DBUILD_BENCHMARK=FALSE -DBUILD_EXAMPLES=FALSE -DBUILD_SINGLE_FILE_HEADER=TRUE \
      -DAUTO_UPDATE_GRAMMAR=FALSE >"$work/configure.log" 2>&1 || { tail -40 "$work/configure.log"; exit 1; }
    cmake --build "$work/build" --target kuzu_shared single_file_header -j "$jobs" >"$work/build.log" 2>&1 || { tail -60 "$work/build.log"; exit 1; }
    rm -rf "$KUZU_PREFIX.tmp" && mkdir -p "$KUZU_PREFIX.tmp/lib" "$KUZU_PREFIX.tmp/include"
    cp -a "$work/build/src/"libkuzu.so* "$KUZU_PREFIX.tmp/lib/"
    cp "$work/build/src/kuzu.hpp" "$KUZU_PREFIX.tmp/include/"
    cp "$work/package/kuzu-source/src/include/c_api/kuzu.h" "$KUZU_PREFIX.tmp/include/"
    cp "$work/package/kuzu-source/LICENSE" "$KUZU_PREFIX.tmp/LICENSE"
    cp "${KUZU_PATCHES[@]}" "$KUZU_PREFIX.tmp/"
    echo "$KUZU_BUILD_NAME" >"$KUZU_PREFIX.tmp/.complete"
    rm -rf "$KUZU_PREFIX" && mv "$KUZU_PREFIX.tmp" "$KUZU_PREFIX"
    rm -rf "$work"
    log "Kuzu installed in the cache"
  fi
  flock -u 9
fi

# FAISS with AVX2 kernels (third_party/faiss/README.md): only on a CPU that has them; elsewhere
# CMake links Debian's baseline libfaiss-dev. Built once per machine from the pinned Debian
# source package, fetched through a private apt state (deb-src entries derived from this
# machine's Debian sources), so the system's apt configuration is left as it was.
FAISS_VERSION="$(tr -d '[:space:]' <"$(dirname "$0")/../third_party/faiss/version")"
FAISS_PREFIX="$CACHE_ROOT/faiss-$FAISS_VERSION-avx2"
cpu_has_avx2() { for f in avx2 fma f16c popcnt; do grep -qw "$f" /proc/cpuinfo || return 1; done; }
faiss_ready() { [ -f "$FAISS_PREFIX/.complete" ] && [ -f "$FAISS_PREFIX/lib/libfaiss_avx2.a" ]; }

# Fetches and builds into $FAISS_PREFIX; returns non-zero on any failure (each step says so:
# errexit does not apply inside a function called from `||`).
build_faiss_avx2() {
  local work="$CACHE_ROOT/faiss-$FAISS_VERSION-build" f jobs
  rm -rf "$work" && mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial" \
    "$work/apt/cache/archives/partial" "$work/src" || return 1
  : >"$work/apt/sources.list"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -qi debian "$f" || continue
    sed 's/^Types:.*$/Types: deb-src/' "$f" >"$work/apt/sources.list.d/$(basename "$f")" || return 1
  done
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list >>"$work/apt/sources.list" || return 1
  fi
  # A private list and cache directory: no root needed, nothing of the system's apt state changes.
  local apt_private=(-qq -o "Dir::Etc::SourceList=$work/apt/sources.list"
    -o "Dir::Etc::SourceParts=$work/apt/sources.list.d" -o "Dir::State::Lists=$work/apt/lists"
    -o "Dir::Cache=$work/apt/cache")
  [ "$(id -u)" -eq 0 ] && apt_private+=(-o APT::Sandbox::User=root)
  log "fetching the faiss $FAISS_VERSION Debian source package"
  apt-get "${apt_private[@]}" update >/dev/null || return 1
  (cd "$work/src" && apt-get "${apt_private[@]}" source --download-only "faiss=$FAISS_VERSION" >/dev/null \
    && dpkg-source -x "faiss_$FAISS_VERSION.dsc" faiss >/dev/null 2>&1) || return 1
  jobs="${FAISS_BUILD_JOBS:-$(nproc)}"
  log "building FAISS $FAISS_VERSION with AVX2 (about 2 min on 2 cores, once per machine)"
  cmake -S "$work/src/faiss" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFAISS_OPT_LEVEL=avx2 -DFAISS_ENABLE_GPU=OFF -DFAISS_ENABLE_PYTHON=OFF -DBUILD_TESTING=OFF \
    -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON >"$work/configure.log" 2>&1 \
    || { tail -40 "$work/configure.log" >&2; return 1; }
  cmake --build "$work/build" --target faiss_avx2 -j "$jobs" >"$work/build.log" 2>&1 \
    || { tail -60 "$work/build.log" >&2; return 1; }
  rm -rf "$FAISS_PREFIX.tmp" && mkdir -p "$FAISS_PREFIX.tmp/lib" "$FAISS_PREFIX.tmp/include" || return 1
  cp "$work/build/faiss/libfaiss_avx2.a" "$FAISS_PREFIX.tmp/lib/" || return 1
  (cd "$work/src/faiss" && find faiss -name '*.h' -exec cp --parents {} "$FAISS_PREFIX.tmp/include/" \;) || return 1
  cp "$work/src/faiss/LICENSE" "$FAISS_PREFIX.tmp/LICENSE" || return 1
  echo "faiss-$FAISS_VERSION-avx2" >"$FAISS_PREFIX.tmp/.complete" || return 1
  rm -rf "$FAISS_PREFIX" && mv "$FAISS_PREFIX.tmp" "$FAISS_PREFIX" || return 1
  rm -rf "$work"
  log "FAISS installed in the cache"
}

if cpu_has_avx2 && ! faiss_ready; then
  mkdir -p "$CACHE_ROOT"
  exec 7>"$CACHE_ROOT/faiss-$FAISS_VERSION.lock"
  flock 7
  # Without it the project still builds, with Debian's library: a failure is a warning.
  faiss_ready || build_faiss_avx2 || log "warning: no AVX2 FAISS build; linking Debian's libfaiss-dev (slower searches)"
  flock -u 7
fi

# The tests' npm packages, each pinned by its lockfile: the reference MCP client (tests/mcp) and
# playwright-core driving Debian's chromium for the web page (tests/web). A directory is
# installed when node_modules is missing or older than the lockfile (npm ci writes
# node_modules/.package-lock.json last, so an interrupted install is redone).
npm_ready() {
  [ -f "$1/node_modules/.package-lock.json" ] && [ ! "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]
}
for dir in tests/mcp tests/web; do
  path="$(cd "$(dirname "$0")/../$dir" && pwd)"
  npm_ready "$path" && continue
  mkdir -p "$CACHE_ROOT"
  exec 8>"$CACHE_ROOT/npm-$(basename "$dir").lock"
  flock 8
  if ! npm_ready "$path"; then
    log "installing the test packages of $dir (npm ci)"
    (cd "$path" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  flock -u 8
done

echo "$KUZU_PREFIX"
