package main

// batcher buffers one item per request and flushes every flushEvery requests.
// The flush drops the whole buffer (pending = nil), so retained memory is a
// sawtooth across snapshots: it grows while the batch fills and drops to
// (almost) nothing right after a flush.
type batcher struct {
	flushEvery int
	pending    []batchItem
	flushes    int
	checksum   uint64
}

type batchItem struct {
	seq     int
	payload []byte
}

const (
	batchFlushEvery  = 4500
	batchPayloadSize = 384
)

func newBatcher(flushEvery int) *batcher {
	return &batcher{flushEvery: flushEvery}
}

// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func (b *batcher) add(req request) {
	payload := make([]byte, batchPayloadSize) // retained until the next flush
	copy(payload, req.id)
	b.pending = append(b.pending, batchItem{seq: req.seq, payload: payload}) // backing array
	if len(b.pending) >= b.flushEvery {
		b.flush()
	}
}

func (b *batcher) flush() {
	for _, it := range b.pending {
		b.checksum += uint64(it.seq) + uint64(it.payload[0])
	}
	b.pending = nil
	b.flushes++
}
