// Lazy initialisation with sync.Once: many goroutines ask for a config, it is built once.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Config struct {
	Name    string
	Workers int
}

var (
	once   sync.Once
	config *Config
	builds atomic.Int32
)

func get() *Config {
	once.Do(func() {
		builds.Add(1)
		config = &Config{Name: "prod", Workers: 4}
	})
	return config
}

func main() {
	var wg sync.WaitGroup
	names := make([]string, 8)
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			names[i] = get().Name
		}()
	}
	wg.Wait()
	fmt.Println(names, builds.Load())
	fmt.Printf("%+v\n", *get())
	cleanup := sync.OnceFunc(func() { fmt.Println("cleaned up") })
	cleanup()
	cleanup()
}
