package gaps_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/session"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	b.b.Reset()
	return s
}

func newSession(t *testing.T) (*session.Session, *syncBuffer) {
	t.Helper()
	var out syncBuffer
	s, err := session.New(session.Options{Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &out
}

// printDecls declare the types the printing cases print; each case's
// expected output is what go run prints for the same declarations and
// statement (checked by hand with Go 1.26.8).
const printDecls = `import ("errors"; "fmt"; "time")
type point struct{ x, y int }
type A struct{ X int }
type B struct{ X int }
type celsius float64
type name string
type ints []int
type Color int
const (
	Red Color = iota
	Green
)
func (c Color) String() string { return [...]string{"Red", "Green"}[c] }
type pt struct{ px, py int }
func (p pt) String() string { return fmt.Sprintf("(%d,%d)", p.px, p.py) }
type ref struct{ n int }
func (r *ref) String() string { return "ref!" }
type myErr struct{ code int }
func (e myErr) Error() string { return fmt.Sprintf("boom %d", e.code) }
type withDur struct{ d time.Duration; D time.Duration }
type inner struct{ a int }
type outer struct{ inner; b int }
type node struct{ v int; next *node }
type box struct{ Xmin, Xmax int }
type goStr struct{}
func (goStr) GoString() string { return "G!" }
type Shape interface{ Area() float64 }
type circle struct{ r float64 }
func (c circle) Area() float64 { return c.r }
type car struct{ C Color; name string }
type odd struct{ n int }
func (o odd) String(prefix string) string { return prefix }
func mkErr() error { return myErr{7} }
var _ = errors.New`

// TestPrinting checks that values of cell types print as compiled Go
// prints them (yaegi alone prints struct { Xx int; Xy int } for main.point).
func TestPrinting(t *testing.T) {
	s, out := newSession(t)
	if r := s.Execute(context.Background(), printDecls); r.Err != nil {
		t.Fatalf("declarations: %s: %s", r.Err.Name, r.Err.Value)
	}
	tests := []struct{ code, want string }{
		{`fmt.Printf("%v %+v %T\n", point{1, 2}, point{1, 2}, point{})`, "{1 2} {x:1 y:2} main.point\n"},
		{`fmt.Printf("%#v\n", point{1, 2})`, "main.point{x:1, y:2}\n"},
		{`fmt.Printf("%T %T\n", A{}, B{})`, "main.A main.B\n"},
		{`fmt.Printf("%v %T\n", celsius(3.5), celsius(3.5))`, "3.5 main.celsius\n"},
		{`fmt.Println(fmt.Sprintf("%T %q", name("n"), name("n")))`, "main.name \"n\"\n"},
		{`fmt.Printf("%T %v %#v\n", ints{1}, ints{1}, ints{1})`, "main.ints [1] main.ints{1}\n"},
		{`fmt.Println(Red, []Color{Red, Green}, map[string]Color{"a": Green})`, "Red [Red Green] map[a:Green]\n"},
		{`fmt.Printf("%d %v %s|%5s|\n", Green, Green, Green, Red)`, "1 Green Green|  Red|\n"},
		{`fmt.Println(car{Green, "x"})`, "{Green x}\n"},
		{`fmt.Println(pt{1, 2}, []pt{{3, 4}}, &pt{5, 6})`, "(1,2) [(3,4)] (5,6)\n"},
		{`fmt.Println(&ref{1}, ref{2}, []*ref{{3}})`, "ref! {2} [ref!]\n"},
		{`fmt.Println(myErr{1}, mkErr())`, "boom 1 boom 7\n"},
		{`fmt.Printf("%v|%+v\n", withDur{time.Second, time.Second}, withDur{})`, "{1000000000 1s}|{d:0 D:0s}\n"},
		{`fmt.Printf("%+v\n", outer{inner{1}, 2})`, "{inner:{a:1} b:2}\n"},
		{`fmt.Printf("%v %+v\n", &node{1, nil}, node{2, &node{}})`, "&{1 <nil>} {v:2 next:0x"},
		{`fmt.Printf("%+v\n", box{1, 2})`, "{Xmin:1 Xmax:2}\n"},
		{`fmt.Printf("%#v %v\n", goStr{}, goStr{})`, "G! {}\n"},
		{`shapes := []Shape{circle{1}}
fmt.Printf("%v %T %T\n", shapes, shapes[0], shapes)`, "[{1}] main.circle []main.Shape\n"},
		{`var v any = point{3, 4}
fmt.Printf("%v %+v %T\n", v, v, v)`, "{3 4} {x:3 y:4} main.point\n"},
		{`fmt.Println([]any{point{1, 2}, 3, "s"})`, "[{1 2} 3 s]\n"},
		{`fmt.Print(point{1, 2}, "\n")`, "{1 2}\n"},
		{`fmt.Println(odd{3}, odd{4}.String("s"))`, "{3} s\n"},
		{`s := fmt.Sprint(point{1, 2}) + fmt.Sprintln(pt{1, 1})
fmt.Print(s)`, "{1 2}(1,1)\n"},
		{`fmt.Println(fmt.Errorf("wrap: %v", point{1, 2}))`, "wrap: {1 2}\n"},
		{`func show(p point) { fmt.Printf("%+v\n", p) }
show(point{5, 6})`, "{x:5 y:6}\n"},
		{`fmt.Printf("%5d|%-6v|%x\n", point{1, 2}, point{3, 4}, point{10, 11})`, "{    1     2}|{3      4     }|{a b}\n"},
	}
	for _, tt := range tests {
		r := s.Execute(context.Background(), tt.code)
		got := out.take()
		if r.Err != nil {
			t.Errorf("%s: %s: %s", tt.code, r.Err.Name, r.Err.Value)
			continue
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.code, got, tt.want)
		}
	}
}

// TestResultDisplay checks the cell's result of a cell type.
func TestResultDisplay(t *testing.T) {
	s, _ := newSession(t)
	if r := s.Execute(context.Background(), printDecls); r.Err != nil {
		t.Fatalf("declarations: %s: %s", r.Err.Name, r.Err.Value)
	}
	tests := []struct{ code, want string }{
		{"point{1, 2}", "{x:1 y:2}"},
		{"pt{1, 2}", "(1,2)"},
		{"myErr{3}", "boom 3"},
		{"[]Color{Red, Green}", "[Red Green]"},
		{"box{1, 2}", "{Xmin:1 Xmax:2}"},
		{"&point{1, 2}", "&{x:1 y:2}"},
		{"var np *point\nnp", "nil"},
		{"celsius(2)", "2"},
	}
	for _, tt := range tests {
		r := s.Execute(context.Background(), tt.code)
		if r.Err != nil {
			t.Errorf("%s: %s: %s", tt.code, r.Err.Name, r.Err.Value)
			continue
		}
		got := ""
		if r.Value != nil {
			got, _ = r.Value.Data["text/plain"].(string)
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.code, got, tt.want)
		}
	}
}

// TestRefusedThroughSession checks the error a refused cell gets: its
// name, the position in the cell, the caret under it, and that nothing of
// the cell ran.
func TestRefusedThroughSession(t *testing.T) {
	s, out := newSession(t)
	r := s.Execute(context.Background(), "import \"fmt\"\nfmt.Println(\"ran\")\np := new(42)\nfmt.Println(*p)")
	if r.Err == nil {
		t.Fatal("new(42) not refused")
	}
	if r.Err.Name != "Unsupported" || !strings.HasPrefix(r.Err.Value, "3:6: new(42)") || !strings.Contains(r.Err.Value, "%%native") {
		t.Errorf("error %s: %s", r.Err.Name, r.Err.Value)
	}
	tb := strings.Join(r.Err.Traceback, "\n")
	if !strings.Contains(tb, "   3 | p := new(42)\n     |      ^") {
		t.Errorf("traceback:\n%s", tb)
	}
	if got := out.take(); got != "" {
		t.Errorf("a refused cell printed %q", got)
	}
	// The session goes on, and the refused cell declared nothing.
	r = s.Execute(context.Background(), "p := 1\np")
	if r.Err != nil || r.Value == nil || r.Value.Data["text/plain"] != "1" {
		t.Errorf("after a refusal: %+v", r)
	}
}

// TestPositionsAfterRewrite checks that errors of a rewritten cell point
// at the cell as written.
func TestPositionsAfterRewrite(t *testing.T) {
	s, _ := newSession(t)
	r := s.Execute(context.Background(), "import \"fmt\"\ntype P struct{ x int }\nfunc Id[T any](v T) T { return v }\nfmt.Println(P{1}, Id(2)); var s string = 1")
	if r.Err == nil {
		t.Fatal("no error")
	}
	if !strings.HasPrefix(r.Err.Value, "4:42: cannot convert 1 to string") {
		t.Errorf("error %q, want at 4:42 (the 1 of var s string = 1)", r.Err.Value)
	}
	r = s.Execute(context.Background(), "func boom(p P) { panic(fmt.Sprint(p, Id(3))) }\nboom(P{2})")
	if r.Err == nil || r.Err.Name != "panic" || r.Err.Value != "{2} 3" {
		t.Fatalf("error %+v, want panic {2} 3", r.Err)
	}
	tb := strings.Join(r.Err.Traceback, "\n")
	if !strings.Contains(tb, "in boom() at 1:24") { // yaegi points at panic's operand
		t.Errorf("traceback:\n%s", tb)
	}
}

// TestPrintingConcurrently prints values of cell types from many
// goroutines while later cells register types (run it with -race).
func TestPrintingConcurrently(t *testing.T) {
	s, out := newSession(t)
	ctx := context.Background()
	if r := s.Execute(ctx, printDecls); r.Err != nil {
		t.Fatalf("declarations: %s: %s", r.Err.Name, r.Err.Value)
	}
	r := s.Execute(ctx, `import "sync"
var wg sync.WaitGroup
lines := make([]string, 40)
for i := range 40 {
	wg.Add(1)
	go func() {
		defer wg.Done()
		var v any = point{i, i}
		lines[i] = fmt.Sprintf("%v %+v %T %v", point{i, 1}, v, v, []Color{Red, Green})
	}()
}
wg.Wait()
fmt.Println(lines[0], lines[39])`)
	if r.Err != nil {
		t.Fatalf("%s: %s", r.Err.Name, r.Err.Value)
	}
	want := "{0 1} {x:0 y:0} main.point [Red Green] {39 1} {x:39 y:39} main.point [Red Green]\n"
	if got := out.take(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
