package jupyter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodConnection = `{
  "shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796,
  "control_port": 53797, "hb_port": 53798,
  "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
  "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "goconc"
}`

func writeFile(t *testing.T, data string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(path, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask; set it exactly.
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConnectionFile(t *testing.T) {
	want := ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1",
		ShellPort: 53794, IOPubPort: 53795, StdinPort: 53796, ControlPort: 53797, HBPort: 53798,
		Key: "a0436f6c-1916-498b-8eb9-e81ab9368e84", SignatureScheme: "hmac-sha256", KernelName: "goconc",
	}
	noKey := strings.Replace(goodConnection, `"a0436f6c-1916-498b-8eb9-e81ab9368e84"`, `""`, 1)
	for _, tc := range []struct {
		name    string
		data    string
		perm    os.FileMode
		wantErr string // substring; empty means success
	}{
		{"good 0600", goodConnection, 0o600, ""},
		{"good 0400", goodConnection, 0o400, ""},
		{"0644 with key refused", goodConnection, 0o644, "chmod 600"},
		{"0640 with key refused", goodConnection, 0o640, "mode 0640"},
		{"0644 without key", noKey, 0o644, ""},
		{"missing shell_port", strings.Replace(goodConnection, `"shell_port": 53794,`, "", 1), 0o600, "shell_port"},
		{"missing ip", strings.Replace(goodConnection, `"ip": "127.0.0.1",`, "", 1), 0o600, "ip"},
		{"missing transport", strings.Replace(goodConnection, `"transport": "tcp",`, "", 1), 0o600, "transport"},
		{"bad transport", strings.Replace(goodConnection, `"tcp"`, `"udp"`, 1), 0o600, "unsupported transport"},
		{"bad scheme", strings.Replace(goodConnection, "hmac-sha256", "hmac-md5", 1), 0o600, "signature_scheme"},
		{"bad port", strings.Replace(goodConnection, "53798", "70000", 1), 0o600, "hb_port"},
		{"bad ip", strings.Replace(goodConnection, "127.0.0.1", "kernel.example", 1), 0o600, "not an IP"},
		{"not JSON", "{", 0o600, "decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.data, tc.perm)
			got, err := LoadConnectionFile(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := want
			if tc.data == noKey {
				w.Key = ""
			}
			if got != w {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
		})
	}
	if _, err := LoadConnectionFile(filepath.Join(t.TempDir(), "absent.json")); err == nil {
		t.Error("missing file accepted")
	}
}
