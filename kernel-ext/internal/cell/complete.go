package cell

import (
	"go/scanner"
	"go/token"
	"strings"
)

// Completeness statuses, as in the Jupyter is_complete_reply.
const (
	Complete   = "complete"
	Incomplete = "incomplete"
	Invalid    = "invalid"
)

// IsComplete tells whether src is ready to run: Incomplete while a bracket,
// a raw string or a comment is open or the last line ends in an operator;
// Invalid when no continuation can make it parse; else Complete. indent is
// four spaces per open bracket level, for the next line of an incomplete
// cell.
func IsComplete(src string) (status, indent string) {
	if strings.TrimSpace(src) == "" {
		return Complete, ""
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	var stack []token.Token
	mismatch := false
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				mismatch = true
			} else {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for _, e := range errs {
		switch e.Msg {
		case "raw string literal not terminated", "comment not terminated":
			return Incomplete, strings.Repeat("    ", len(stack))
		}
	}
	if len(errs) > 0 || mismatch {
		return Invalid, ""
	}
	if len(stack) > 0 {
		return Incomplete, strings.Repeat("    ", len(stack))
	}
	if _, err := Parse(src, Options{}); err != nil {
		// An error at the very end wants more input (a trailing operator,
		// "if x" without its block); anywhere else it is final.
		if e, ok := err.(*Error); ok {
			l, c := offsetToLineCol(lineStarts(src), len(strings.TrimRight(src, " \t\r\n")))
			if e.Line > l || e.Line == l && e.Col >= c {
				return Incomplete, ""
			}
		}
		return Invalid, ""
	}
	return Complete, ""
}
