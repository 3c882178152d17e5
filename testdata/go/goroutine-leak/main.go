// Command goroutine-leak keeps a pool of 2000 idle workers, then starts 25
// goroutines a second that never return (each blocks forever on a channel
// nobody closes), and writes the goroutine profile once a second:
// goroutine-0.pb.gz (before the leak) … goroutine-4.pb.gz. Goroutine profiles
// are not sampled: every goroutine is counted. All parked goroutines share the
// flat site runtime.gopark, so the leak is 100 on top of 2000 there.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

//go:noinline
func serveForever(ch chan struct{}) {
	<-ch
}

//go:noinline
func acceptConnections(n int, ch chan struct{}) {
	for i := 0; i < n; i++ {
		go serveForever(ch)
	}
}

//go:noinline
func idleWorker(jobs chan func()) {
	for job := range jobs {
		job()
	}
}

func main() {
	dir := os.Args[1]
	jobs := make(chan func())
	for i := 0; i < 2000; i++ {
		go idleWorker(jobs)
	}
	ch := make(chan struct{})
	for i := 0; i <= 4; i++ {
		if i > 0 {
			acceptConnections(25, ch)
		}
		time.Sleep(time.Second)
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("goroutine-%d.pb.gz", i)))
		if err != nil {
			panic(err)
		}
		if err := pprof.Lookup("goroutine").WriteTo(f, 0); err != nil {
			panic(err)
		}
		f.Close()
	}
}
