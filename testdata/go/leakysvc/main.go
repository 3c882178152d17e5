// Command leakysvc simulates a request-handling service in-process (no
// network) and writes heap profiles after each phase of requests. It is used
// to produce real Go pprof test data for heapdiff; see ../README.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"
)

// memProfileRate is the average number of allocated bytes between two heap
// profile samples. The default (512 KiB) would leave only a handful of samples
// for a program this small; 512 bytes samples most of the interesting
// allocations (1 KiB buffers are sampled with p = 1-e^-2 = 86%), so the
// numbers are stable from run to run while the values are still scaled
// estimates (not exact byte counts) as in any real profile. Set in init so
// that every allocation of the program is sampled at this rate.
const memProfileRate = 512

func init() {
	runtime.MemProfileRate = memProfileRate
}

type request struct {
	seq int
	id  string
}

// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func newRequest(seq int) request {
	return request{seq: seq, id: "req-" + strconv.Itoa(seq)}
}

type service struct {
	dedupe  *dedupeCache
	lru     *lruCache
	batch   *batcher
	ring    *slotRing
	forest  *forest
	scratch uint64
	dups    int
}

func newService() *service {
	return &service{
		dedupe: newDedupeCache(),
		lru:    newLRUCache(lruCapacity),
		batch:  newBatcher(batchFlushEvery),
		ring:   &slotRing{},
		forest: &forest{},
	}
}

//go:noinline
func (s *service) handle(req request) {
	if s.dedupe.remember(req.id) {
		s.dups++
	}
	s.lru.put(req.id)
	s.batch.add(req)
	s.scratch += scratchChecksum(req)
	s.ring.push(req.id)
	if req.seq%50 == 0 {
		s.forest.grow(req.seq)
	}
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
	phases := flag.Int("phases", 8, "number of phases (one heap snapshot after each)")
	perPhase := flag.Int("requests", 2000, "requests per phase")
	interval := flag.Duration("interval", time.Second, "sleep between snapshots")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}

	svc := newService()
	seq := 0
	for p := 1; p <= *phases; p++ {
		for i := 0; i < *perPhase; i++ {
			seq++
			svc.handle(newRequest(seq))
		}
		// The heap profile reports the state as of the last completed GC:
		// force one so the snapshot reflects exactly the requests so far.
		runtime.GC()
		writeFile(filepath.Join(*out, fmt.Sprintf("heap-%02d.pb.gz", p)), pprof.WriteHeapProfile)
		if p == 1 || p == *phases {
			// Legacy text format, same moment (no GC in between).
			writeFile(filepath.Join(*out, fmt.Sprintf("heap-%02d.txt", p)), func(w io.Writer) error {
				return pprof.Lookup("heap").WriteTo(w, 1)
			})
		}
		if p == *phases {
			// Same data as the last heap snapshot, default sample type alloc_space.
			writeFile(filepath.Join(*out, "allocs.pb.gz"), func(w io.Writer) error {
				return pprof.Lookup("allocs").WriteTo(w, 0)
			})
		} else {
			time.Sleep(*interval)
		}
	}
	runtime.KeepAlive(svc)
	fmt.Fprintf(os.Stderr, "leakysvc: %d requests, %d phases, %d batch flushes, %d dups, scratch %x\n",
		seq, *phases, svc.batch.flushes, svc.dups, svc.scratch)
}
