package main

// scratchChecksum allocates a per-request scratch buffer, uses it and drops
// it: lots of alloc_space, (almost) nothing in use after a GC.
//
// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func scratchChecksum(req request) uint64 {
	n := 4096 + (req.seq%8)*512
	buf := make([]byte, n) // garbage: dead as soon as we return
	for i := range buf {
		buf[i] = byte(req.seq + i)
	}
	var sum uint64
	for _, b := range buf {
		sum = sum*31 + uint64(b)
	}
	return sum
}
