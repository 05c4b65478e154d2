package assign

import "testing"

func TestShadowsCheck(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`check.Equal("x", 1, 1)`, false},
		{"import \"github.com/goconc/goconc/kernel-ext/check\"", false},
		{"import (\n\t\"fmt\"\n\tcheck \"github.com/goconc/goconc/kernel-ext/check\"\n)", false},
		{"func F() {\n\tcheck := 1\n\t_ = check\n}", false},
		{"checked := true", false},
		{"check == nil", false},
		{"var check = fake{}", true},
		{"type check struct{}", true},
		{"func check() {}", true},
		{"check := fake{}", true},
		{"check, ok := fake{}, true", true},
		{"check = fake{}", true},
		{"var (\n\tn = 1\n\tcheck = fake{}\n)", true},
		{"var (\n\tn = 1\n)\nx := 2", false},
		{"import check \"example.com/fake\"", true},
		{"import (\n\tcheck \"example.com/fake\"\n)", true},
	}
	for _, tt := range tests {
		if got := shadowsCheck(tt.src); got != tt.want {
			t.Errorf("shadowsCheck(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
