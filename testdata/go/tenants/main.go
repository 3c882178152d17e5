// Command tenants simulates a multi-tenant search service in-process and
// writes a heap profile after each phase of requests, at Go's default
// MemProfileRate (512 KiB). Every site allocates through one inlined helper,
// small; only indexDocument keeps what it returns forever. See README.md.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

const (
	tenantCount = 8
	treeEvery   = 100 // one tree per this many requests
)

type service struct {
	sessions *sessionCache
	forest   *forest
	sum      uint64
}

//go:noinline
func (s *service) handle(seq int) {
	tenant := fmt.Sprintf("tenant-%d", seq%tenantCount)
	s.sum += parseRequest(seq)
	s.sessions.put(seq)
	indexDocument(tenant, seq)
	s.sum += renderPage(seq)
	if seq%treeEvery == 0 {
		s.forest.grow(seq)
	}
}

func main() {
	out := flag.String("out", "profiles", "output directory for the profiles")
	phases := flag.Int("phases", 6, "number of phases (one heap snapshot after each)")
	perPhase := flag.Int("requests", 4000, "requests per phase")
	interval := flag.Duration("interval", time.Second, "sleep between snapshots")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	svc := &service{sessions: &sessionCache{}, forest: &forest{}}
	seq := 0
	for p := 1; p <= *phases; p++ {
		for i := 0; i < *perPhase; i++ {
			seq++
			svc.handle(seq)
		}
		// The heap profile shows the heap as of the last completed GC.
		runtime.GC()
		path := filepath.Join(*out, fmt.Sprintf("heap-%02d.pb.gz", p))
		f, err := os.Create(path)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
		if p < *phases {
			time.Sleep(*interval)
		}
	}
	runtime.KeepAlive(svc)
	fmt.Fprintf(os.Stderr, "tenants: %d requests, %d phases, sum %x\n", seq, *phases, svc.sum)
}
