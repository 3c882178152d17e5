package main

// buildTree is recursive: allocation stacks hold it up to treeDepth+1 times,
// each level allocating its payload through small. forest keeps the last
// len(trees) trees (26 MB): bounded, full by the third phase.
type node struct {
	kids    [2]*node
	payload []byte
}

const treeDepth = 6 // 127 nodes of 2 KiB per tree

//go:noinline
func buildTree(depth, seed int) *node {
	n := &node{payload: small(2048)}
	n.payload[0] = byte(seed)
	if depth > 0 {
		for i := range n.kids {
			n.kids[i] = buildTree(depth-1, seed*2+i)
		}
	}
	return n
}

type forest struct {
	trees [100]*node
	next  int
}

//go:noinline
func (f *forest) grow(seed int) {
	f.trees[f.next%len(f.trees)] = buildTree(treeDepth, seed)
	f.next++
}
