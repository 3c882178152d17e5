package main

// buildTree builds a complete tree recursively, allocating at every level, so
// allocation stacks contain buildTree several times (recursion). There is a
// single recursive call site (in the loop), so each depth yields one distinct
// stack instead of one per path through the tree.
// forest keeps the last len(trees) trees: bounded retention.
type node struct {
	kids    [treeFanout]*node
	payload []byte
}

const (
	treeDepth  = 6 // stacks contain up to 7 buildTree frames
	treeFanout = 2 // 2^7-1 = 127 nodes per tree
)

func buildTree(depth, seed int) *node {
	n := &node{}
	n.payload = make([]byte, 48+depth*16)
	n.payload[0] = byte(seed)
	if depth > 0 {
		for i := range n.kids {
			n.kids[i] = buildTree(depth-1, seed*treeFanout+i)
		}
	}
	return n
}

type forest struct {
	trees [128]*node // fills up by snapshot 4 (one tree per 50 requests), then flat
	next  int
}

// noinline keeps this site a frame of its own; only newSlot is meant to inline.
//
//go:noinline
func (f *forest) grow(seed int) {
	f.trees[f.next%len(f.trees)] = buildTree(treeDepth, seed)
	f.next++
}
