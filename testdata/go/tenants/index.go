package main

// tenantIndex maps each token to the postings of every document that
// contains it. Documents are added and never removed: THE LEAK.
type tenantIndex struct {
	postings map[string][][]byte
}

var indexes = map[string]*tenantIndex{}

const (
	tokensPerDoc = 4
	postingBytes = 2048
)

var tokens = [...]string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}

//go:noinline
func indexDocument(tenant string, doc int) {
	idx := indexes[tenant]
	if idx == nil {
		idx = &tenantIndex{postings: map[string][][]byte{}}
		indexes[tenant] = idx
	}
	for t := 0; t < tokensPerDoc; t++ {
		key := tokens[(doc+t)%len(tokens)]
		posting := small(postingBytes)
		posting[0] = byte(doc)
		idx.postings[key] = append(idx.postings[key], posting)
	}
}
