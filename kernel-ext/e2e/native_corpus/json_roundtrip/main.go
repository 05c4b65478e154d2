package main

import (
	"encoding/json"
	"fmt"
)

type Item struct {
	Name  string   `json:"name"`
	Price float64  `json:"price,omitempty"`
	Tags  []string `json:"tags"`
	skip  int
}

func main() {
	items := []Item{{Name: "pen", Price: 1.5, Tags: []string{"office"}}, {Name: "free", Tags: nil, skip: 1}}
	b, err := json.Marshal(items)
	fmt.Println(string(b), err)
	var back []Item
	if err := json.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", back)
	var any map[string]interface{}
	json.Unmarshal([]byte(`{"a":1,"b":[true,null]}`), &any)
	fmt.Println(any["a"], any["b"])
	out, _ := json.MarshalIndent(map[string]int{"z": 1, "a": 2}, "", "  ")
	fmt.Println(string(out))
}
