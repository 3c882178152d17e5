#!/usr/bin/env bash
# Builds shapes, (re)captures its profiles with --capture, and records what
# `go tool pprof` prints for them into pprof/ (commands in pprof/COMMANDS.md).
#
#   bash testdata/go/shapes/record.sh            # reference outputs only
#   bash testdata/go/shapes/record.sh --capture  # re-run shapes first (new profiles!)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROF=$HERE/profiles
OUT=$HERE/pprof
BIN=${SHAPES_BIN:-/tmp/shapes/shapes}
export TZ=UTC LC_ALL=C GOFLAGS= CGO_ENABLED=0

mkdir -p "$(dirname "$BIN")"
(cd "$HERE" && go build -trimpath -buildvcs=false -o "$BIN" .)
if [[ ${1:-} == --capture ]]; then
  rm -rf "$PROF" && mkdir -p "$PROF"
  (cd "$PROF" && "$BIN" -out .)
  echo "$(go version); binary sha256 $(sha256sum "$BIN" | cut -d' ' -f1)" >"$PROF/capture-info.txt"
fi

rm -rf "$OUT" && mkdir -p "$OUT"
printf '# Commands for the reference outputs\n\nRun in `testdata/go/shapes/profiles/`; `%s` is the binary record.sh builds (only the legacy text needs it).\n\n| file | command |\n|---|---|\n' "$BIN" >"$OUT/COMMANDS.md"
rec() {
  local name=$1
  shift
  (cd "$PROF" && go tool pprof "$@" >"$OUT/$name.txt" 2>/dev/null)
  printf '| `%s` | `TZ=UTC go tool pprof %s` |\n' "$name.txt" "$*" >>"$OUT/COMMANDS.md"
}
rec top_cpu_ns -top -nodefraction=0 -edgefraction=0 -unit=ns cpu.pb.gz
rec top_goroutine -top -nodefraction=0 -edgefraction=0 goroutine.pb.gz
rec top_deep_B -top -nodefraction=0 -edgefraction=0 -unit=B deep.pb.gz
rec top_deep_legacy_B -top -nodefraction=0 -edgefraction=0 -unit=B "$BIN" deep.txt
rec raw_deep -raw deep.pb.gz
