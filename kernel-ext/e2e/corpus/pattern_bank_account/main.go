// A bank account shared by goroutines: deposits and withdrawals under a mutex; a transfer deadlock avoided by lock order.
package main

import (
	"errors"
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	id      int
	balance int
}

var ErrFunds = errors.New("insufficient funds")

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	a.balance += n
	a.mu.Unlock()
}

func Transfer(from, to *Account, n int) error {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.balance < n {
		return ErrFunds
	}
	from.balance -= n
	to.balance += n
	return nil
}

func main() {
	a, b := &Account{id: 1}, &Account{id: 2}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); a.Deposit(10) }()
		go func() { defer wg.Done(); b.Deposit(5) }()
	}
	wg.Wait()
	for i := 0; i < 50; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); Transfer(a, b, 3) }()
		go func() { defer wg.Done(); Transfer(b, a, 2) }()
	}
	wg.Wait()
	fmt.Println(a.balance, b.balance, a.balance+b.balance)
	fmt.Println(Transfer(b, a, 10000))
}
