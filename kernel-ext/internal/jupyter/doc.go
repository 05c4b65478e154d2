// Package jupyter is the kernel's transport: the connection file, the wire
// format of Jupyter messages (protocol 5.3) with HMAC-SHA256 signing, and
// the five ZeroMQ sockets, served over github.com/go-zeromq/zmq4.
//
// It knows nothing of Go evaluation. A dispatcher reads verified requests
// from Server.Shell and Server.Control, answers with Server.Reply, publishes
// outputs and status with Server.Publish and reads standard input with
// Server.Input:
//
//	info, err := jupyter.LoadConnectionFile(path)
//	...
//	srv, err := jupyter.Listen(info, jupyter.Options{Logger: logger})
//	...
//	defer srv.Close()
//	for req := range srv.Shell() {
//		srv.Publish(req, "status", map[string]string{"execution_state": "busy"})
//		...
//		srv.Reply(jupyter.ShellChannel, req, "kernel_info_reply", content)
//		srv.Publish(req, "status", map[string]string{"execution_state": "idle"})
//	}
//
// Messages that fail signature verification, are malformed, or repeat a
// msg_id already seen on shell or control are dropped, logged at Warn level
// and counted by Server.Dropped; they never reach the dispatcher.
//
// # Notes on zmq4
//
// A ROUTER socket in zmq4 addresses peers by the ZMTP "Identity" each peer
// announces; a peer that announces none gets a random one per connection.
// jupyter_client gives its shell and stdin sockets the same identity (the
// session id), which is what lets Input reach the client that sent an
// execute_request. Sends to an identity that is not connected are dropped
// silently, as in libzmq.
//
// TCP endpoints are served through a guarded transport (see MaxWireMessage)
// because zmq4 allocates incoming frames at whatever size the peer
// announces and handshakes without a deadline.
package jupyter
