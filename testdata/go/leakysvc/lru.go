package main

import "container/list"

// lruCache is a bounded LRU cache: it fills up during the first snapshots and
// then stays flat because every insert beyond lruCapacity evicts the oldest
// entry.
type lruCache struct {
	capacity int
	ll       *list.List
	items    map[string]*list.Element
}

type lruEntry struct {
	key   string
	value []byte
}

const (
	lruCapacity  = 5000
	lruValueSize = 320
)

func newLRUCache(capacity int) *lruCache {
	return &lruCache{capacity: capacity, ll: list.New(), items: make(map[string]*list.Element)}
}

func (c *lruCache) put(key string) {
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	value := make([]byte, lruValueSize) // retained until evicted
	copy(value, key)
	ent := &lruEntry{key: key, value: value}
	c.items[key] = c.ll.PushFront(ent)
	if c.ll.Len() > c.capacity {
		c.evictOldest()
	}
}

func (c *lruCache) evictOldest() {
	e := c.ll.Back()
	if e == nil {
		return
	}
	c.ll.Remove(e)
	delete(c.items, e.Value.(*lruEntry).key)
}
