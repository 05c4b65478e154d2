package main

import (
	"fmt"
)

type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
)

func (d Weekday) String() string { return [...]string{"Sun", "Mon", "Tue"}[d] }

type ByteSize float64

const (
	_           = iota
	KB ByteSize = 1 << (10 * iota)
	MB
	GB
)

func main() {
	fmt.Println(Sunday, Tuesday, Monday+1)
	fmt.Println(KB, MB, GB/MB)
	const typed int8 = 100
	fmt.Printf("%T %v\n", typed, typed)
}
