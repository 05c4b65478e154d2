package main

import (
	"fmt"
	"sort"
)

type byLen []string

func (s byLen) Len() int           { return len(s) }
func (s byLen) Less(i, j int) bool { return len(s[i]) < len(s[j]) }
func (s byLen) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

func main() {
	fruits := []string{"peach", "banana", "kiwi"}
	sort.Sort(byLen(fruits))
	fmt.Println(fruits)
	people := []struct {
		Name string
		Age  int
	}{{"A", 3}, {"B", 1}, {"C", 2}}
	sort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })
	fmt.Println(people)
	fmt.Println(sort.SearchInts([]int{1, 3, 5, 7}, 5))
}
