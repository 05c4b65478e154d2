package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

type rot13Reader struct{ r io.Reader }

func (r rot13Reader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	for i := 0; i < n; i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		}
	}
	return n, err
}

func main() {
	s := strings.NewReader("Lbh penpxrq gur pbqr!")
	r := rot13Reader{s}
	io.Copy(os.Stdout, &r)
	fmt.Println()
	buf := make([]byte, 8)
	rd := strings.NewReader("Hello, Reader!")
	for {
		n, err := rd.Read(buf)
		fmt.Printf("n = %v err = %v b = %q\n", n, err, buf[:n])
		if err == io.EOF {
			break
		}
	}
}
