// encoding/json with exported fields and struct tags: Marshal, MarshalIndent, Unmarshal.
package main

import (
	"encoding/json"
	"fmt"
)

type Address struct {
	City string `json:"city"`
	Zip  string `json:"zip,omitempty"`
}

type User struct {
	Name    string   `json:"name"`
	Age     int      `json:"age"`
	Emails  []string `json:"emails"`
	Address Address  `json:"address"`
}

func main() {
	u := User{"Ann", 31, []string{"ann@example.com"}, Address{City: "Oslo"}}
	b, err := json.Marshal(u)
	fmt.Println(string(b), err)
	ind, _ := json.MarshalIndent(Address{"Rome", "00100"}, "", "  ")
	fmt.Println(string(ind))
	var back User
	err = json.Unmarshal([]byte(`{"name":"Bo","age":7,"emails":["a","b"],"address":{"city":"Lima"}}`), &back)
	fmt.Printf("%+v %v\n", back, err)
	fmt.Println(back.Address.City, len(back.Emails))
}
