package main

import (
	"cmp"
	"fmt"
	"slices"
)

type Person struct {
	Name string
	Age  int
}

func main() {
	s := []int{5, 2, 8, 1, 9}
	slices.Sort(s)
	fmt.Println(s, slices.Contains(s, 8), slices.Index(s, 9))
	i, found := slices.BinarySearch(s, 5)
	fmt.Println(i, found, slices.Max(s), slices.Min(s))
	people := []Person{{"Alice", 30}, {"Bob", 25}, {"Carol", 30}}
	slices.SortStableFunc(people, func(a, b Person) int { return cmp.Compare(a.Age, b.Age) })
	fmt.Println(people)
	fmt.Println(slices.Compact([]int{1, 1, 2, 2, 3}))
	r := slices.Clone(s)
	slices.Reverse(r)
	fmt.Println(r, slices.Equal(s, r))
	fmt.Println(slices.Insert([]int{1, 4}, 1, 2, 3), slices.Repeat([]string{"ab"}, 3))
}
