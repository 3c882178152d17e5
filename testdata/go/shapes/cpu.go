package main

import (
	"io"
	"runtime/pprof"
	"sort"
	"time"
)

//go:noinline
func spin(n int) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < n; i++ {
		h = (h ^ uint64(i)) * 1099511628211
	}
	return h
}

//go:noinline
func shuffleSort(n int) uint64 {
	xs := make([]int, n)
	for i := range xs {
		xs[i] = (i * 7919) % n
	}
	sort.Ints(xs)
	return uint64(xs[n/2])
}

//go:noinline
func busy(d time.Duration) uint64 {
	var sum uint64
	for end := time.Now().Add(d); time.Now().Before(end); {
		sum += spin(100000) + shuffleSort(20000)
	}
	return sum
}

var sink uint64

// captureCPU profiles about a second of hashing and sorting (samples/count
// and cpu/nanoseconds).
func captureCPU(path string) {
	writeFile(path, func(w io.Writer) error {
		if err := pprof.StartCPUProfile(w); err != nil {
			return err
		}
		sink = busy(time.Second)
		pprof.StopCPUProfile()
		return nil
	})
}
