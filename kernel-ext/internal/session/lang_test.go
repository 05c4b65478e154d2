package session

import (
	"strings"
	"testing"
)

// TestLanguage runs Go constructs through the rewrites to check they keep
// their meaning.
func TestLanguage(t *testing.T) {
	s, _, _ := newSession(t)
	runSteps(t, s, []step{
		{code: "import (\"fmt\"; \"sort\"; \"strings\"; \"sync\"; \"errors\")"},
		{code: `func counter() func() int {
	n := 0
	return func() int { n++; return n }
}
c := counter()
c(); c()
c()`, value: "3"},
		{code: `var fib func(int) int
fib = func(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}
fib(15)`, value: "610"},
		{code: `func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}
_, err := safeDiv(1, 0)
err`, value: "recovered: runtime error: integer divide by zero"},
		{code: `sum := func(xs ...int) (total int) {
	for _, x := range xs {
		total += x
	}
	return
}
sum(1, 2, 3) + sum([]int{4, 5}...)`, value: "15"},
		{code: `people := []struct{ Name string; Age int }{{"b", 2}, {"a", 1}, {"c", 3}}
sort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })
people[0].Name + people[2].Name`, value: `"ac"`},
		{code: `strings.Map(func(r rune) rune { return r + 1 }, "HAL")`, value: `"IBM"`},
		{code: `type Shape interface{ Area() float64 }
type Sq struct{ S float64 }
func (q Sq) Area() float64 { return q.S * q.S }
var sh Shape = Sq{3}
sh.Area()`, value: "9"},
		{code: `func describe(v any) string {
	switch x := v.(type) {
	case int:
		return fmt.Sprint("int ", x)
	case string:
		return "string " + x
	}
	return "other"
}
describe(1) + "/" + describe("s") + "/" + describe(1.5)`, value: `"int 1/string s/other"`},
		{code: `results := make(chan int)
var wg sync.WaitGroup
for i := 1; i <= 4; i++ {
	wg.Add(1)
	go func(n int) {
		defer wg.Done()
		results <- n * n
	}(i)
}
go func() { wg.Wait(); close(results) }()
total := 0
for r := range results {
	total += r
}
total`, value: "30"},
		{code: `found := -1
search:
for i := 0; i < 5; i++ {
	for j := 0; j < 5; j++ {
		if i*j == 6 {
			found = i*10 + j
			break search
		}
	}
}
found`, value: "23"},
		{code: `timeout := make(chan bool, 1)
data := make(chan int, 1)
data <- 7
got := 0
select {
case v := <-data:
	got = v
case <-timeout:
}
got`, value: "7"},
		{code: `type Stack[T any] struct{ items []T }
func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }
func (s *Stack[T]) Len() int { return len(s.items) }
st := &Stack[string]{}
st.Push("a"); st.Push("b")
st.Len()`, value: "2"},
		{code: `var ErrX = errors.New("x")
wrapped := fmt.Errorf("ctx: %w", ErrX)
errors.Is(wrapped, ErrX)`, value: "true"},
		{code: `fns := map[string]func(int) int{"dbl": func(x int) int { return 2 * x }}
fns["dbl"](21)`, value: "42"},
		{code: `done := make(chan string)
go func() {
	defer func() { done <- fmt.Sprint(recover()) }()
	panic("in goroutine")
}()
<-done`, value: `"in goroutine"`},
		{code: "a1 := 1; type U int; func g1() U { return 2 }; b1 := U(a1) + g1(); b1", value: "3"},
		{code: `var once sync.Once
calls := 0
for i := 0; i < 3; i++ {
	once.Do(func() { calls++ })
}
calls`, value: "1"},
	})
}

// A pasted program runs its main once, and later cells do not run it again.
func TestPastedProgram(t *testing.T) {
	s, out, _ := newSession(t)
	runSteps(t, s, []step{
		{code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from main\")\n}"},
		{code: "1 + 1", value: "2"},
		{code: "main()\nmain()"},
	})
	if got := strings.Count(out.String(), "hello from main"); got != 3 {
		t.Errorf("main ran %d times, want 3 (once by itself, twice called):\n%s", got, out)
	}
}
