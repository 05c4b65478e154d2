package assign

import (
	"regexp"
	"strings"
)

// checkPath is the import path of the package test cells check with.
const checkPath = "github.com/goconc/goconc/kernel-ext/check"

// Top-level declarations that would hide the check package from later
// cells: a cell that declares "check" (or imports another package under
// that name) turns every check.Equal of the test cells into a call of its
// own. Declarations inside function bodies are indented and harmless.
var (
	declCheckRE   = regexp.MustCompile(`^(?:var|const|type|func)\s+check\b|^check\s*(?:,[^:=]*)?:?=[^=]`)
	importCheckRE = regexp.MustCompile(`^(?:import\s+)?\s*check\s+"([^"]*)"`)
)

// shadowsCheck tells whether a cell declares, at top level, the name
// check for something other than the check package.
func shadowsCheck(src string) bool {
	block := "" // "var", "const", "type" or "import" inside a ( … ) block
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if block != "" {
			if trimmed == ")" {
				block = ""
				continue
			}
			if block == "import" {
				if m := importCheckRE.FindStringSubmatch(trimmed); m != nil && m[1] != checkPath {
					return true
				}
			} else if strings.HasPrefix(trimmed, "check ") || strings.HasPrefix(trimmed, "check=") || strings.HasPrefix(trimmed, "check,") {
				return true
			}
			continue
		}
		for _, kw := range []string{"var", "const", "type", "import"} {
			if strings.HasPrefix(line, kw) && strings.TrimSpace(strings.TrimPrefix(line, kw)) == "(" {
				block = kw
			}
		}
		if block != "" {
			continue
		}
		if declCheckRE.MatchString(line) {
			return true
		}
		if strings.HasPrefix(line, "import") {
			if m := importCheckRE.FindStringSubmatch(line); m != nil && m[1] != checkPath {
				return true
			}
		}
	}
	return false
}
