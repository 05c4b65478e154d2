package worker

import "github.com/goconc/goconc/kernel-ext/display"

// installPublisher makes pub the publisher of package display, so that
// displays made by cells reach the kernel as display events. It stays
// installed for the life of the worker process.
func installPublisher(pub Publisher) { display.SetPublisher(pub) }
