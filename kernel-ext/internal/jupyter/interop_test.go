package jupyter

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// interopClient drives the server with jupyter_client, the library every
// Jupyter front end uses, over libzmq: kernel_info, an execute that reads
// stdin (with jupyter_client's parentless input_reply), IOPub output and
// the heartbeat.
const interopClient = `
import json, sys, time
from jupyter_client import BlockingKernelClient

c = BlockingKernelClient(connection_file=sys.argv[1])
c.load_connection_file()
c.start_channels()
out = {}
info = None
for _ in range(20):  # the first request may race the connection set-up
    try:
        info = c.kernel_info(reply=True, timeout=2)
        break
    except Exception:
        pass
out["kernel_info"] = info["content"]
out["kernel_info_version"] = info["header"]["version"]
prompts, outputs = [], []
def stdin_hook(msg):
    prompts.append(msg["content"]["prompt"])
    c.input("Ada")
def output_hook(msg):
    if msg["msg_type"] == "stream":
        outputs.append(msg["content"]["text"])
reply = c.execute_interactive("read", allow_stdin=True, timeout=20,
                              stdin_hook=stdin_hook, output_hook=output_hook)
out["execute_reply"] = reply["content"]
out["prompts"] = prompts
out["outputs"] = outputs
deadline = time.time() + 20
while not c.hb_channel.is_beating() and time.time() < deadline:
    time.sleep(0.1)
out["beating"] = c.hb_channel.is_beating()
c.stop_channels()
print(json.dumps(out))
`

// jupyterPython returns a Python with jupyter_client, or skips the test.
func jupyterPython(t *testing.T) string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import jupyter_client").Run() == nil {
			return py
		}
	}
	t.Skip("no python3 with jupyter_client")
	return ""
}

func TestJupyterClientInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python")
	}
	py := jupyterPython(t)
	info := testInfo(t, newUUID())
	srv, logs := startServer(t, info)
	data, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	cf := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(cf, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConnectionFile(cf); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	kernelDone := make(chan struct{})
	go func() {
		defer close(kernelDone)
		miniKernel(ctx, t, srv)
	}()
	// The mini kernel reports through t, so it must stop before the test.
	defer func() {
		cancel()
		<-kernelDone
	}()

	cmd := exec.CommandContext(ctx, py, "-c", interopClient, cf)
	stdout, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("jupyter_client: %v\n%s\nkernel log:\n%s", err, stderr, logs)
	}
	var got struct {
		KernelInfo        map[string]any `json:"kernel_info"`
		KernelInfoVersion string         `json:"kernel_info_version"`
		ExecuteReply      map[string]any `json:"execute_reply"`
		Prompts           []string       `json:"prompts"`
		Outputs           []string       `json:"outputs"`
		Beating           bool           `json:"beating"`
	}
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("client output %q: %v", stdout, err)
	}
	if got.KernelInfo["status"] != "ok" || got.KernelInfoVersion != ProtocolVersion {
		t.Errorf("kernel_info: %v, version %q", got.KernelInfo, got.KernelInfoVersion)
	}
	if got.ExecuteReply["status"] != "ok" {
		t.Errorf("execute_reply: %v", got.ExecuteReply)
	}
	if len(got.Prompts) != 1 || got.Prompts[0] != "Name: " {
		t.Errorf("prompts %q", got.Prompts)
	}
	if len(got.Outputs) != 1 || got.Outputs[0] != "hello Ada\n" {
		t.Errorf("outputs %q", got.Outputs)
	}
	if !got.Beating {
		t.Error("heartbeat not beating")
	}
	if n := srv.Dropped(); n != 0 {
		t.Errorf("%d messages from jupyter_client dropped:\n%s", n, logs)
	}
}

// miniKernel answers kernel_info and execute requests the way the
// dispatcher will, enough for jupyter_client's execute_interactive.
func miniKernel(ctx context.Context, t *testing.T, srv *Server) {
	fail := func(err error) {
		if err != nil {
			t.Errorf("mini kernel: %v", err)
		}
	}
	for {
		var req *Message
		select {
		case req = <-srv.Shell():
		case <-ctx.Done():
			return
		}
		if req == nil {
			return
		}
		fail(srv.Publish(req, "status", map[string]string{"execution_state": "busy"}))
		switch req.Header.MsgType {
		case "kernel_info_request":
			fail(srv.Reply(ShellChannel, req, "kernel_info_reply", map[string]any{
				"status": "ok", "protocol_version": ProtocolVersion,
				"implementation": "goconc-test", "implementation_version": "0",
				"language_info": map[string]string{"name": "go"}, "banner": "",
			}))
		case "execute_request":
			var c struct {
				Code       string `json:"code"`
				AllowStdin bool   `json:"allow_stdin"`
			}
			fail(json.Unmarshal(req.Content, &c))
			fail(srv.Publish(req, "execute_input", map[string]any{"code": c.Code, "execution_count": 1}))
			name := "nobody"
			if c.AllowStdin {
				v, err := srv.Input(ctx, req, "Name: ", false)
				fail(err)
				name = v
			}
			fail(srv.Publish(req, "stream", map[string]string{"name": "stdout", "text": fmt.Sprintf("hello %s\n", name)}))
			fail(srv.Reply(ShellChannel, req, "execute_reply", map[string]any{
				"status": "ok", "execution_count": 1, "user_expressions": map[string]any{},
			}))
		}
		fail(srv.Publish(req, "status", map[string]string{"execution_state": "idle"}))
	}
}
