package main

import (
	"fmt"
	"sync"
)

var config = sync.OnceValue(func() map[string]string {
	fmt.Println("loading config")
	return map[string]string{"mode": "fast"}
})

var pair = sync.OnceValues(func() (int, error) { return 42, nil })

func main() {
	for range 3 {
		fmt.Println(config()["mode"])
	}
	fmt.Println(pair())
	var once sync.Once
	for range 2 {
		once.Do(func() { fmt.Println("once") })
	}
}
