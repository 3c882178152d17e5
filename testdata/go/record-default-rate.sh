#!/usr/bin/env bash
# Records real heap-profile pairs of leakysvc at Go's DEFAULT sampling rate (512 KiB), for the
# error-bar tests (README "How sure is this number?"). leakysvc itself sets MemProfileRate = 512
# (see leakysvc/README); here it is built with `go build -overlay`, replacing that one constant
# with 512 KiB in a copy under /tmp, so the committed program and its binary stay as they are.
#
#   bash testdata/go/record-default-rate.sh     # NEW profiles: sampling is random
#
# Writes testdata/go/leakysvc/default-rate/:
#   null-a.pb.gz, null-b.pb.gz    two runs with the same workload (2000 requests): a null pair
#   leak-base.pb.gz               2000 requests
#   leak-current.pb.gz            40000 requests: the never-evicted cache holds 20x as much
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$HERE/leakysvc
OUT=$SRC/default-rate
WORK=$(mktemp -d /tmp/leakysvc-default-rate.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

export TZ=UTC LC_ALL=C GOFLAGS= CGO_ENABLED=0
sed 's/^const memProfileRate = 512$/const memProfileRate = 512 * 1024/' "$SRC/main.go" >"$WORK/main.go"
grep -q '^const memProfileRate = 512 \* 1024$' "$WORK/main.go" || { echo "main.go no longer sets memProfileRate = 512" >&2; exit 1; }
printf '{"Replace":{"%s":"%s"}}\n' "$SRC/main.go" "$WORK/main.go" >"$WORK/overlay.json"
(cd "$SRC" && go build -trimpath -buildvcs=false -overlay "$WORK/overlay.json" -o "$WORK/leakysvc" .)

# run NAME REQUESTS: one phase of REQUESTS requests, its heap profile saved as NAME.pb.gz.
run() {
  mkdir -p "$WORK/$1"
  (cd "$WORK/$1" && "$WORK/leakysvc" -out . -phases 1 -requests "$2" -interval 0 2>/dev/null)
  cp "$WORK/$1/heap-01.pb.gz" "$OUT/$1.pb.gz"
}

mkdir -p "$OUT"
run null-a 2000
run null-b 2000
run leak-base 2000
run leak-current 40000
{
  echo "recorded:  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "go:        $(go version)"
  echo "build:     leakysvc with memProfileRate = 512 * 1024 (go build -overlay; see record-default-rate.sh)"
  echo "null pair: null-a, null-b: -phases 1 -requests 2000, separate processes"
  echo "leak pair: leak-base: -requests 2000; leak-current: -requests 40000"
} >"$OUT/capture-info.txt"
echo "wrote $OUT" >&2
