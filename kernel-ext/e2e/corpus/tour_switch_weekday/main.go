// The tour's switch: cases on values, no condition, fallthrough, and a switch with an init statement.
package main

import (
	"fmt"
	"time"
)

func kind(os string) string {
	switch os {
	case "darwin":
		return "OS X."
	case "linux":
		return "Linux."
	default:
		return os + "."
	}
}

func greeting(hour int) string {
	switch {
	case hour < 12:
		return "Good morning!"
	case hour < 17:
		return "Good afternoon."
	default:
		return "Good evening."
	}
}

func main() {
	fmt.Println(kind("linux"), kind("plan9"))
	for _, h := range []int{9, 14, 20} {
		fmt.Println(h, greeting(h))
	}
	today := time.Date(2024, time.February, 14, 0, 0, 0, 0, time.UTC).Weekday()
	switch time.Saturday {
	case today + 0:
		fmt.Println("Today.")
	case today + 1:
		fmt.Println("Tomorrow.")
	case today + 2:
		fmt.Println("In two days.")
	default:
		fmt.Println("Too far away.", today)
	}
	switch n := 4; {
	case n > 3:
		fmt.Println("big")
		fallthrough
	case n > 1:
		fmt.Println("not small")
	}
}
