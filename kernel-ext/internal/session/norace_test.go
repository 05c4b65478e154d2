//go:build !race

package session

// raceEnabled is set under the race detector (see race_test.go).
const raceEnabled = false
