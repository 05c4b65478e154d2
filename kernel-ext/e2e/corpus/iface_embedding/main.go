// Struct embedding: promoted fields and methods, interface satisfaction through an embedded type.
package main

import "fmt"

type Animal struct {
	Name string
	legs int
}

func (a Animal) Describe() string { return fmt.Sprintf("%s has %d legs", a.Name, a.legs) }

type Dog struct {
	Animal
	Breed string
}

func (d Dog) Sound() string { return "woof" }

type Describer interface{ Describe() string }

func main() {
	d := Dog{Animal{"Rex", 4}, "collie"}
	fmt.Println(d.Name, d.legs, d.Describe(), d.Sound())
	var desc Describer = d
	fmt.Println(desc.Describe())
	fmt.Printf("%v\n%+v\n", d, d)
	d.Name = "Max"
	fmt.Println(d.Animal.Name, d.Describe())
}
