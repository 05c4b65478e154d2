package gaps

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAPITableCurrent regenerates api_table.go (the standard library's
// names the interpreter lacks, from the running toolchain's API files) and
// compares it with the checked-in one: a new Go release or yaegi version
// must not leave the refusals of missing names stale.
func TestAPITableCurrent(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: cannot regenerate the table to compare it")
	}
	if testing.Short() {
		t.Skip("-short: regenerating the table builds yaegi's standard library tables")
	}
	out := filepath.Join(t.TempDir(), "api_table.go")
	cmd := exec.Command("go", "run", "./internal/genapi", "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ./internal/genapi: %v\n%s", err, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("api_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("api_table.go is stale: run go generate ./kernel-ext/internal/gaps")
	}
}
