#!/usr/bin/env bash
# Brings the pinned Pulumi CLI: uses a `pulumi` on PATH when it is at least the pinned
# version, else builds it from the Go module proxy into a per-user cache (REFERENCE.md:
# the CLI is neither on npm as a binary nor in Debian; `go install` refuses pkg/v3
# because of its replace lines, so we build it from a small wrapper module).
# Prints the directory that holds `pulumi` on its last line.
set -euo pipefail

PULUMI_VERSION="${OVSLAB_PULUMI_VERSION:-3.259.0}"
CACHE_ROOT="${OVSLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ovslab}"
BIN_DIR="$CACHE_ROOT/pulumi-v$PULUMI_VERSION/bin"

log() { echo "ensure-pulumi: $*" >&2; }

version_ge() { # $1 >= $2, dotted versions
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

if command -v pulumi >/dev/null 2>&1; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  if [ -n "$have" ] && version_ge "$have" "$PULUMI_VERSION"; then
    log "using pulumi $have from $(dirname "$(command -v pulumi)")"
    dirname "$(command -v pulumi)"
    exit 0
  fi
fi

if [ -x "$BIN_DIR/pulumi" ] && [ "$("$BIN_DIR/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  echo "$BIN_DIR"
  exit 0
fi

GO="$(command -v go || true)"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  log "no pulumi >= $PULUMI_VERSION on PATH and no Go toolchain to build one."
  log "Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go >= 1.24, then re-run."
  exit 1
fi

SRC="$CACHE_ROOT/pulumi-build-v$PULUMI_VERSION"
mkdir -p "$SRC" "$BIN_DIR"
cd "$SRC"
cat > go.mod <<MOD
module ovslab.local/pulumi-cli

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
cat > tools.go <<'TOOLS'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
TOOLS

log "building Pulumi CLI v$PULUMI_VERSION from the Go module proxy into $BIN_DIR"
log "first time: ~1 min of module downloads (1.6 GB) and ~6 min of build on 2 cores"
if ! "$GO" mod tidy >&2; then
  log "go mod tidy failed: is the Go module proxy reachable (GOPROXY=$("$GO" env GOPROXY))?"
  exit 1
fi
log "modules ready, compiling (progress: one line per package group)"
"$GO" build -v -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
  -o "$BIN_DIR/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 \
  | awk 'NR % 100 == 0 { print "ensure-pulumi: compiled " NR " packages..." > "/dev/stderr"; fflush() }'
[ "${PIPESTATUS[0]}" -eq 0 ] || { log "go build failed"; exit 1; }
mv "$BIN_DIR/pulumi.tmp" "$BIN_DIR/pulumi"
log "built $("$BIN_DIR/pulumi" version)"
echo "$BIN_DIR"
