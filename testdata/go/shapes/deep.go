package main

import (
	"io"
	"runtime"
	"runtime/pprof"
)

// chain is a linked list built by recursion: every level allocates, so the
// allocation stacks hold up to deepLevels frames of descend, more than the
// 32 frames Go (before 1.23) records per heap sample.
type chain struct {
	next    *chain
	payload []byte
}

const deepLevels = 60

//go:noinline
func descend(level int) *chain {
	c := &chain{payload: make([]byte, 256)}
	if level > 0 {
		c.next = descend(level - 1)
	}
	return c
}

// next is inlined into twoStep (declared first: the compiler decides on the
// functions of a recursive cycle in source order), so each level of twoStep
// is one location with two lines (frames). The cap counts frames.
func next(level int) *chain { return twoStep(level - 1) }

//go:noinline
func twoStep(level int) *chain {
	c := &chain{payload: make([]byte, 128)}
	if level > 0 {
		c.next = next(level)
	}
	return c
}

// shallow allocates near the root, so not every sample is cut short.
//
//go:noinline
func shallow() [][]byte {
	out := make([][]byte, 0, 400)
	for i := 0; i < 400; i++ {
		out = append(out, make([]byte, 1024))
	}
	return out
}

var kept []*chain
var keptTwoStep []*chain
var keptShallow [][]byte

var sinkBytes []byte

// captureDeep writes the heap profile as protobuf (.pb.gz) and as legacy
// text (.txt, debug=1) at the same moment.
func captureDeep(prefix string) {
	// The first sample is still drawn at the default rate (512 KiB on
	// average); one big allocation uses it up, so all that follows is
	// sampled at MemProfileRate.
	sinkBytes = make([]byte, 8<<20)
	sinkBytes = nil
	for i := 0; i < 50; i++ {
		kept = append(kept, descend(deepLevels))
		keptTwoStep = append(keptTwoStep, twoStep(deepLevels))
	}
	keptShallow = shallow()
	// Twice: allocations made during a cycle that was already running are
	// published only when the next one completes.
	runtime.GC()
	runtime.GC()
	writeFile(prefix+".pb.gz", pprof.WriteHeapProfile)
	writeFile(prefix+".txt", func(w io.Writer) error { return pprof.Lookup("heap").WriteTo(w, 1) })
	runtime.KeepAlive(kept)
	runtime.KeepAlive(keptTwoStep)
	runtime.KeepAlive(keptShallow)
}
