#!/usr/bin/env bash
# Brings everything `npm start`, `npm test` and CI need, and nothing twice: the Debian
# packages a lab host runs, node_modules (with Node 22), the pinned Pulumi CLI and the
# plugins the engine looks for beside it. Idempotent; about a second when all is there.
# Writes .ovslab/env: the PATH entries and CLI location that engine/ and bin/ read.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO/.ovslab"
APT_PACKAGES=(openvswitch-switch openssh-server iproute2 iptables iputils-ping socat)

say() { echo "setup: $*" >&2; }
fail() { echo "setup: $*" >&2; exit 1; }

install_debian_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  # policy-rc.d keeps the packages from starting machine-wide daemons (the lab runs its own).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 || { [ $created_policy = 1 ] && rm -f "$policy"; fail "apt-get install failed"; }
  [ $created_policy = 1 ] && rm -f "$policy"
  return 0
}

# node_modules is stale when package.json or the lock file changed after the last install.
install_node_modules() {
  local marker="$REPO/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ "$marker" -nt "$REPO/package.json" ] && { [ ! -f "$REPO/package-lock.json" ] || [ "$marker" -nt "$REPO/package-lock.json" ]; }; then
    return 0
  fi
  command -v npm >/dev/null || fail "npm is missing: install Node.js (any version >= 18 brings npm; Node 22 comes from the npm package 'node')"
  say "installing node_modules (npm $(npm --version))"
  if [ -f "$REPO/package-lock.json" ]; then
    (cd "$REPO" && npm ci --no-audit --no-fund </dev/null >&2)
  else
    (cd "$REPO" && npm install --no-audit --no-fund </dev/null >&2)
  fi
}

check_node22() {
  local node="$REPO/node_modules/.bin/node" major
  [ -x "$node" ] || fail "node_modules/.bin/node is missing: the devDependency 'node' (Node 22) did not install; run 'npm ci'"
  major="$("$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || fail "node_modules/.bin/node does not run on this machine"
  [ "$major" -ge 22 ] || fail "node_modules/.bin/node is Node $major; @pulumi/pulumi needs >= 22"
}

# The plugins the engine looks for beside its own binary: our Node picker, the dynamic
# provider plugin and, unless an official one is on PATH, the thin language host.
install_engine_plugins() {
  local cli_dir="$1" src="$REPO/scripts/engine-bin" f official
  for f in ovslab-node pulumi-resource-pulumi-nodejs pulumi-resource-pulumi-nodejs.js; do
    cmp -s "$src/$f" "$cli_dir/$f" || { install -m 0755 "$src/$f" "$cli_dir/$f" && say "installed $f beside the CLI"; }
  done
  official="$(PATH="$(echo "$PATH" | tr ':' '\n' | grep -vxF "$cli_dir" | paste -sd: -)" command -v pulumi-language-nodejs || true)"
  if [ -n "$official" ]; then
    # Ours beside the CLI would come first on a PATH that starts with the CLI's dir.
    rm -f "$cli_dir/pulumi-language-nodejs" "$cli_dir/pulumi-language-nodejs.js"
    say "using the official pulumi-language-nodejs at $official"
    return 0
  fi
  for f in pulumi-language-nodejs pulumi-language-nodejs.js; do
    cmp -s "$src/$f" "$cli_dir/$f" || { install -m 0755 "$src/$f" "$cli_dir/$f" && say "installed ovslab's thin $f beside the CLI"; }
  done
}

write_env() {
  local cli_dir="$1" env_file="$STATE_DIR/env" tmp
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  tmp="$(mktemp "$STATE_DIR/env.XXXXXX")"
  {
    echo "# Written by scripts/setup.sh; read by engine/ and bin/. Shell syntax, one KEY=VALUE a line."
    echo "OVSLAB_PULUMI_BIN=$cli_dir"
    echo "OVSLAB_NODE_BIN=$REPO/node_modules/.bin"
    echo "OVSLAB_PATH_PREFIX=$REPO/node_modules/.bin:$cli_dir"
  } >"$tmp"
  cmp -s "$tmp" "$env_file" && rm -f "$tmp" || mv "$tmp" "$env_file"
}

main() {
  install_debian_packages
  install_node_modules
  check_node22
  local cli_dir
  cli_dir="$(bash "$REPO/scripts/ensure-pulumi.sh" | tail -n 1)"
  [ -x "$cli_dir/pulumi" ] || fail "ensure-pulumi.sh did not bring a pulumi binary"
  local cache_root="${OVSLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ovslab}"
  if [[ "$cli_dir" == "$cache_root"/* ]]; then
    # A CLI we built: its plugins are ours to place, beside a link to it in this checkout
    # (the CLI looks beside its own path), so checkouts sharing the cache never swap
    # each other's plugins. A hard link: a symbolic one would resolve to the cache.
    local own="$STATE_DIR/bin"
    mkdir -p "$own"
    if ! [ "$own/pulumi" -ef "$cli_dir/pulumi" ]; then
      ln -f "$cli_dir/pulumi" "$own/pulumi" 2>/dev/null || cp -f "$cli_dir/pulumi" "$own/pulumi"
    fi
    cli_dir="$own"
    install_engine_plugins "$cli_dir"
  elif ! PATH="$cli_dir:$PATH" command -v pulumi-language-nodejs >/dev/null; then
    say "warning: no pulumi-language-nodejs beside $cli_dir/pulumi nor on PATH; Pulumi.yaml projects will not run (inline programs will)"
  fi
  write_env "$cli_dir"
  say "ready: pulumi $("$cli_dir/pulumi" version), node $("$REPO/node_modules/.bin/node" --version)"
  say "PATH for the engine: $REPO/node_modules/.bin:$cli_dir (also in .ovslab/env)"
}

main "$@"
