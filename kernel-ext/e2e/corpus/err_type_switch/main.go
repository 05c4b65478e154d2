// A type switch on an error value to tell custom error types apart.
// goconc: may refuse: the interpreter loses the type of interpreted values held in error
package main

import "fmt"

type NotFound struct{ Name string }

func (e NotFound) Error() string { return e.Name + " not found" }

type Timeout struct{ Seconds int }

func (e Timeout) Error() string { return fmt.Sprintf("timed out after %ds", e.Seconds) }

func fetch(i int) error {
	switch i {
	case 0:
		return NotFound{"config"}
	case 1:
		return Timeout{3}
	}
	return nil
}

func main() {
	for i := 0; i < 3; i++ {
		switch e := fetch(i).(type) {
		case NotFound:
			fmt.Println("missing:", e.Name)
		case Timeout:
			fmt.Println("slow:", e.Seconds)
		case nil:
			fmt.Println("ok")
		}
	}
}
