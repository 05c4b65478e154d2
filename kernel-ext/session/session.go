// Package session evaluates Go cells with the yaegi interpreter.
package session

import (
	"context"
	"errors"
	"io"

	"github.com/goconc/goconc/kernel-ext/repl"
)

// Options configure a Session.
type Options struct {
	// Stdout and Stderr receive what interpreted code prints.
	Stdout, Stderr io.Writer
	// Stdin is what interpreted code reads.
	Stdin io.Reader
}

// Session is one interpreter state carried across cells.
type Session struct{}

// New starts a session.
func New(opts Options) (*Session, error) { return nil, errors.New("session: not implemented yet") }

// Execute evaluates one cell.
func (s *Session) Execute(ctx context.Context, code string) repl.Result { return repl.Result{} }

// Complete proposes completions at cursor (a rune offset).
func (s *Session) Complete(code string, cursor int) repl.Completion { return repl.Completion{} }

// Inspect describes the name at cursor (a rune offset).
func (s *Session) Inspect(code string, cursor, detail int) repl.Inspection { return repl.Inspection{} }

// IsComplete tells whether code can run as typed.
func (s *Session) IsComplete(code string) repl.Completeness {
	return repl.Completeness{Status: "unknown"}
}

// Close releases the session.
func (s *Session) Close() error { return nil }
