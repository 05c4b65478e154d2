// An enum with iota and a String method, printed alone, in slices, maps and struct fields.
package main

import "fmt"

type State int

const (
	Idle State = iota
	Running
	Stopped
)

func (s State) String() string {
	switch s {
	case Idle:
		return "Idle"
	case Running:
		return "Running"
	case Stopped:
		return "Stopped"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

type Job struct {
	Name  string
	State State
}

func main() {
	fmt.Println(Idle, Running, State(7))
	fmt.Printf("%v %d %s %q\n", Running, Running, Stopped, Idle)
	fmt.Println([]State{Idle, Stopped})
	fmt.Println(map[State]string{Running: "r", Idle: "i"})
	fmt.Printf("%v %+v\n", Job{"build", Running}, Job{"test", Stopped})
	jobs := []*Job{{"a", Idle}}
	fmt.Println(jobs[0].State, len(jobs))
}
