//go:build race

package session

// raceEnabled is set under the race detector. Interrupting a cell makes it
// report races the session cannot remove: yaegi v0.16.1's select statement
// races among the goroutines a stop wakes, and the session's wait for the
// interrupted evaluation to end (a look at the goroutine dump, see
// waitLeftover) is not a synchronisation the detector can see.
const raceEnabled = true
