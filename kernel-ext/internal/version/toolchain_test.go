package version

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestToolchainSumCoversGoMod: .ci/deps installs the Go that go.mod names
// only if .ci/go-toolchain.sum holds the published hash of its zip, so a
// change of go.mod's Go version must bring the new hashes.
func TestToolchainSumCoversGoMod(t *testing.T) {
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^toolchain go(\S+)$`).FindSubmatch(gomod)
	if m == nil {
		m = regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	}
	if m == nil {
		t.Fatal("go.mod names no Go version")
	}
	sums, err := os.ReadFile("../../../.ci/go-toolchain.sum")
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		mod := "golang.org/toolchain v0.0.1-go" + string(m[1]) + ".linux-" + arch + " h1:"
		if !strings.Contains(string(sums), mod) {
			t.Errorf(".ci/go-toolchain.sum lacks %q: run go mod download -json golang.org/toolchain@v0.0.1-go%s.linux-%s and add its Sum", mod, m[1], arch)
		}
	}
}
