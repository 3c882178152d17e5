package main

// parseRequest and renderPage allocate through small and drop the buffer
// before returning: large alloc_space, no inuse_space.

//go:noinline
func parseRequest(seq int) uint64 {
	buf := small(16384)
	buf[seq%len(buf)] = byte(seq)
	return checksum(buf)
}

//go:noinline
func renderPage(seq int) uint64 {
	page := small(8192)
	page[seq%len(page)] = byte(seq >> 3)
	return checksum(page)
}

//go:noinline
func checksum(b []byte) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(b); i += 64 {
		h = (h ^ uint64(b[i])) * 1099511628211
	}
	return h
}
