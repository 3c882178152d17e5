package main

// slotRing keeps the last len(slots) request slots: bounded retention.
// newSlot is small enough that the compiler inlines it into slotRing.push
// (check with: go build -gcflags=-m), so the allocation sites below show up in
// profiles as locations with two or more Line entries (newSlot inlined into
// push).
type slot struct {
	id  string
	buf []byte
}

const slotBufSize = 1024

type slotRing struct {
	slots [4096]*slot // fills up by snapshot 3 (one push per request), then flat
	next  int
}

func newSlot(id string) *slot {
	buf := make([]byte, slotBufSize) // allocated in newSlot, inlined into push
	copy(buf, id)
	return &slot{id: id, buf: buf}
}

// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func (r *slotRing) push(id string) {
	r.slots[r.next%len(r.slots)] = newSlot(id)
	r.next++
}
