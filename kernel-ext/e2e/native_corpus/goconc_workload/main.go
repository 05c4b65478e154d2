package main

import (
	"fmt"
	"github.com/goconc/goconc/kernel-ext/workload"
)

func main() {
	n, err := workload.Threads()
	fmt.Println(n > 0, err)
	fmt.Println(workload.NoWarmup, workload.CheckThreads(10) == nil)
}
