package main

import (
	"bytes"
	"fmt"
	"regexp"
	"text/template"
)

func main() {
	re := regexp.MustCompile(`(\w+)@(\w+)\.com`)
	s := "alice@example.com, bob@test.com"
	fmt.Println(re.FindAllString(s, -1))
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		fmt.Println(m[1], "at", m[2])
	}
	fmt.Println(re.ReplaceAllString(s, "$1 AT $2"))
	var buf bytes.Buffer
	tmpl := template.Must(template.New("t").Parse("{{range .}}<{{.}}>{{end}}\n"))
	tmpl.Execute(&buf, []string{"a", "b"})
	fmt.Print(buf.String())
}
