package main

// dedupeCache remembers a fingerprint of every request id it has seen so that
// retried requests can be answered from memory. Nothing ever evicts entries:
// this is THE LEAK that the heap profiles are meant to expose. Every request
// adds one fingerprint buffer (line marked LEAK below) plus its share of map
// buckets, so retained memory grows linearly with the number of requests.
type dedupeCache struct {
	seen map[string][]byte
}

const fingerprintSize = 4096

func newDedupeCache() *dedupeCache {
	return &dedupeCache{seen: make(map[string][]byte)}
}

// remember records id and reports whether it was already known.
//
// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func (c *dedupeCache) remember(id string) bool {
	if _, dup := c.seen[id]; dup {
		return true
	}
	fp := make([]byte, fingerprintSize) // LEAK: one buffer per request, never freed
	copy(fp, id)
	c.seen[id] = fp // map buckets grow with the leak too
	return false
}
