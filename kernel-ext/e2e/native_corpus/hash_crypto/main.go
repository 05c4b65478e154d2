package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"hash/fnv"
)

func main() {
	sum := sha256.Sum256([]byte("hello world"))
	fmt.Println(hex.EncodeToString(sum[:8]))
	h := fnv.New32a()
	h.Write([]byte("goconc"))
	fmt.Println(h.Sum32())
	fmt.Println(base64.StdEncoding.EncodeToString([]byte("go")))
	fmt.Println(crc32.ChecksumIEEE([]byte("abc")))
}
