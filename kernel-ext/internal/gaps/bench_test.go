package gaps

import (
	"strings"
	"testing"
)

// The benchmarks measure what the check adds to a cell: a trivial cell, a
// typical one (imports, a type, a method, a loop, prints), and a trivial
// cell after 200 declarations of earlier cells.

func benchCheck(b *testing.B, prior []string, code string) {
	c := newTestChecker()
	imports := map[string]string{}
	for _, p := range prior {
		rep := c.Check(p, imports)
		if rep.Refused() {
			b.Fatalf("prior cell refused: %s", rep.Error())
		}
		rep.Commit()
		for name, path := range importsOf(p) {
			imports[name] = path
		}
	}
	if rep := c.Check(code, imports); rep.Refused() {
		b.Fatalf("refused: %s", rep.Error())
	}
	for b.Loop() {
		c.Check(code, imports)
	}
}

func BenchmarkCheck(b *testing.B) {
	typical := `import ("fmt"; "strings"; "sync")
type point struct{ x, y int }
func (p point) String() string { return fmt.Sprintf("(%d,%d)", p.x, p.y) }
var wg sync.WaitGroup
pts := []point{{1, 2}, {3, 4}}
for i := 0; i < 3; i++ {
	wg.Add(1)
	go func() { defer wg.Done(); fmt.Println(strings.Repeat("-", i), pts) }()
}
wg.Wait()
fmt.Printf("%v %T\n", pts[0], pts[0])`
	var many []string
	for i := 0; i < 200; i++ {
		many = append(many, "func f"+itoa(i)+"(x int) int { return x + "+itoa(i)+" }\nv"+itoa(i)+" := f"+itoa(i)+"(1)")
	}
	b.Run("trivial", func(b *testing.B) { benchCheck(b, nil, "1+1") })
	b.Run("typical", func(b *testing.B) { benchCheck(b, nil, typical) })
	b.Run("after200", func(b *testing.B) { benchCheck(b, many, "v199 + 1") })
}

func itoa(i int) string {
	var b strings.Builder
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	b.Write(d)
	return b.String()
}
