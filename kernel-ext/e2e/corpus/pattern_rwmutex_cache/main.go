// A cache guarded by a sync.RWMutex: many readers, one writer filling missing keys.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

type Cache struct {
	mu     sync.RWMutex
	data   map[string]string
	misses int
}

func (c *Cache) Get(k string) string {
	c.mu.RLock()
	v, ok := c.data[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.data[k]; ok {
		return v
	}
	c.misses++
	v = strings.ToUpper(k)
	c.data[k] = v
	return v
}

func main() {
	c := &Cache{data: map[string]string{}}
	keys := []string{"a", "b", "c", "a", "b", "a"}
	var wg sync.WaitGroup
	out := make([]string, len(keys)*5)
	for r := 0; r < 5; r++ {
		for i, k := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[r*len(keys)+i] = c.Get(k)
			}()
		}
	}
	wg.Wait()
	sort.Strings(out)
	fmt.Println(strings.Join(out, ""), c.misses)
}
