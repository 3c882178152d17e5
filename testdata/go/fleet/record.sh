#!/usr/bin/env bash
# Records a "fleet" of leakysvc pods for heapdiff's many-profiles-per-side tests:
# six processes, each snapshotted twice. base/pod-N.pb.gz is pod N after 9000
# requests, current/pod-N.pb.gz the same process after 18000: the leak has
# doubled, the bounded caches (LRU, slot ring, forest) are full in both and the
# batcher has just flushed in both (9000 and 18000 are multiples of 4500).
#
#   bash testdata/go/fleet/record.sh     # NEW profiles: every number changes (sampling is random)
#
# It never touches testdata/go/leakysvc/profiles (other tests use those).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$HERE/../leakysvc
BIN=${LEAKYSVC_BIN:-/tmp/leakysvc/leakysvc}
PODS=${PODS:-6}
export TZ=UTC LC_ALL=C GOFLAGS= CGO_ENABLED=0

mkdir -p "$(dirname "$BIN")"
(cd "$SRC" && go build -trimpath -buildvcs=false -o "$BIN" .)

rm -rf "$HERE/base" "$HERE/current"
mkdir -p "$HERE/base" "$HERE/current"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pod in $(seq 1 "$PODS"); do
  "$BIN" -out "$work/pod-$pod" -phases 2 -requests 9000 -interval 0 2>/dev/null
  cp "$work/pod-$pod/heap-01.pb.gz" "$HERE/base/pod-$pod.pb.gz"
  cp "$work/pod-$pod/heap-02.pb.gz" "$HERE/current/pod-$pod.pb.gz"
done
{
  echo "recorded:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "go:            $(go version)"
  echo "build:         cd testdata/go/leakysvc && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o $BIN ."
  echo "run (per pod): $BIN -out DIR -phases 2 -requests 9000 -interval 0"
  echo "binary sha256: $(sha256sum "$BIN" | cut -d' ' -f1)"
} >"$HERE/capture-info.txt"
echo "wrote $PODS pods to $HERE/{base,current}" >&2
