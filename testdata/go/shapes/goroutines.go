package main

import (
	"io"
	"runtime/pprof"
	"sync"
)

//go:noinline
func waitOn(ch chan struct{}, ready *sync.WaitGroup) {
	ready.Done()
	<-ch
}

//go:noinline
func parkWorkers(n int, ch chan struct{}, ready *sync.WaitGroup) {
	for i := 0; i < n; i++ {
		ready.Add(1)
		go waitOn(ch, ready)
	}
}

// captureGoroutines parks 12 goroutines on a channel and writes the
// goroutine profile (sample type goroutine/count).
func captureGoroutines(path string) {
	ch := make(chan struct{})
	var ready sync.WaitGroup
	parkWorkers(12, ch, &ready)
	ready.Wait()
	writeFile(path, func(w io.Writer) error { return pprof.Lookup("goroutine").WriteTo(w, 0) })
	close(ch)
}
