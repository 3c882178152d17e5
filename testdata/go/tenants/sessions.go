package main

// sessionCache keeps the last len(slots) sessions: bounded, full after the
// first phase, then flat.
type sessionCache struct {
	slots [4096][]byte
	next  int
}

const sessionBytes = 2048

//go:noinline
func (c *sessionCache) put(id int) {
	s := small(sessionBytes)
	s[0] = byte(id)
	c.slots[c.next%len(c.slots)] = s
	c.next++
}
