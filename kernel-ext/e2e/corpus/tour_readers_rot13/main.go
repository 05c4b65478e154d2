// The tour's readers: a rot13Reader wrapping a strings.Reader, and a reader of an endless stream of 'A'.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

type rot13Reader struct {
	r io.Reader
}

func (rr rot13Reader) Read(b []byte) (int, error) {
	n, err := rr.r.Read(b)
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

type MyReader struct{}

func (MyReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'A'
	}
	return len(b), nil
}

func main() {
	s := strings.NewReader("Lbh penpxrq gur pbqr!\n")
	r := rot13Reader{s}
	io.Copy(os.Stdout, &r)
	buf := make([]byte, 8)
	n, err := MyReader{}.Read(buf)
	fmt.Println(n, err, string(buf[:n]))
	sr := strings.NewReader("Hello, Reader!")
	b := make([]byte, 8)
	for {
		n, err := sr.Read(b)
		fmt.Printf("n = %v err = %v b = %q\n", n, err, b[:n])
		if err == io.EOF {
			break
		}
	}
}
