package gaps

//go:generate go run ./internal/genapi -o api_table.go

// apiName is a package-level name of the standard library that the
// interpreter's tables lack.
type apiName struct {
	// minor is the minor Go version that added the name (1.minor).
	minor int
	// kind is "func", "type", "var" or "const".
	kind string
	// generic marks a function or type with type parameters.
	generic bool
}

// tablesMinor is the minor Go version of yaegi v0.16.1's standard library
// tables: names added later are not in them.
const tablesMinor = 22
