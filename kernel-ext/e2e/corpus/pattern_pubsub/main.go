// Publish and subscribe: a broker fans each message out to every subscriber in order.
package main

import (
	"fmt"
	"sync"
)

type Broker struct {
	mu   sync.Mutex
	subs []chan string
}

func (b *Broker) Subscribe() <-chan string {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan string, 8)
	b.subs = append(b.subs, ch)
	return ch
}

func (b *Broker) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		ch <- msg
	}
}

func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		close(ch)
	}
}

func main() {
	b := &Broker{}
	subs := []<-chan string{b.Subscribe(), b.Subscribe()}
	var wg sync.WaitGroup
	logs := make([][]string, len(subs))
	for i, ch := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range ch {
				logs[i] = append(logs[i], m)
			}
		}()
	}
	for _, m := range []string{"start", "tick", "tick", "stop"} {
		b.Publish(m)
	}
	b.Close()
	wg.Wait()
	for i, l := range logs {
		fmt.Println(i, l)
	}
}
