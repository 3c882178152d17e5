// Command shapes writes real Go profiles that are not the usual heap profile,
// for heapdiff's tests of unusual inputs: a CPU profile, a goroutine profile,
// and a heap profile whose stacks are deeper than the runtime records.
package main

import (
	"flag"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
)

func init() {
	// Sample about every 512 bytes (not 512 KiB), so that a small program
	// has enough samples; set before any allocation of ours.
	runtime.MemProfileRate = 512
}

func writeFile(path string, write func(w io.Writer) error) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := write(f); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", "profiles", "output directory for the profiles")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	// One P: one allocation sampler (each P has its own countdown).
	runtime.GOMAXPROCS(1)
	captureDeep(filepath.Join(*out, "deep"))
	captureGoroutines(filepath.Join(*out, "goroutine.pb.gz"))
	captureCPU(filepath.Join(*out, "cpu.pb.gz"))
}
