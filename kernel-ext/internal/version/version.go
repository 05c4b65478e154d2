// Package version holds goconc's version, shared by its binaries so that
// the kernel, its worker and the command line report the same one.
package version

// Version is goconc's version; builds may set it with
// -ldflags "-X github.com/goconc/goconc/kernel-ext/internal/version.Version=…".
var Version = "0.1.0-dev"
