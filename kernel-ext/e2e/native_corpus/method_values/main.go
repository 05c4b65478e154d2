package main

import (
	"fmt"
	"math"
)

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ }

func (c Counter) Get() int { return c.n }

func apply(f func(), times int) {
	for range times {
		f()
	}
}

func main() {
	c := &Counter{}
	apply(c.Inc, 5)
	get := Counter.Get
	inc := (*Counter).Inc
	inc(c)
	fmt.Println(c.Get(), get(*c))
	fs := map[string]func(float64) float64{"sqrt": math.Sqrt, "abs": math.Abs}
	fmt.Println(fs["sqrt"](16), fs["abs"](-2))
}
