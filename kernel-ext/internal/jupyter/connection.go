package jupyter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
)

// ConnectionInfo is a parsed Jupyter connection file.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name"`
}

// SignatureSchemeHMACSHA256 is the only signature scheme the kernel
// implements, and the one every Jupyter client uses.
const SignatureSchemeHMACSHA256 = "hmac-sha256"

// maxConnectionFileSize bounds what LoadConnectionFile reads; real files are
// a few hundred bytes.
const maxConnectionFileSize = 1 << 16

// LoadConnectionFile reads and validates the connection file at path.
//
// A file that carries a key but is readable or writable by group or others
// is refused: anyone who can read the key can run code as the kernel's user.
func LoadConnectionFile(path string) (ConnectionInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("jupyter: connection file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so that the permissions checked are
	// those of the bytes read.
	st, err := f.Stat()
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("jupyter: connection file: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConnectionFileSize+1))
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("jupyter: connection file %s: %w", path, err)
	}
	if len(data) > maxConnectionFileSize {
		return ConnectionInfo{}, fmt.Errorf("jupyter: connection file %s: larger than %d bytes", path, maxConnectionFileSize)
	}
	info, err := ParseConnectionInfo(data)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("jupyter: connection file %s: %w", path, err)
	}
	if perm := st.Mode().Perm(); info.Key != "" && perm&0o077 != 0 {
		return ConnectionInfo{}, fmt.Errorf(
			"jupyter: connection file %s has mode %04o and carries the session key: "+
				"other users could sign messages and run code as you; restrict it with chmod 600", path, perm)
	}
	return info, nil
}

// ParseConnectionInfo decodes and validates the JSON of a connection file.
// Transport, ip and the five ports are required.
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	// Pointers tell a missing field from a zero one.
	var raw struct {
		Transport       *string `json:"transport"`
		IP              *string `json:"ip"`
		ShellPort       *int    `json:"shell_port"`
		IOPubPort       *int    `json:"iopub_port"`
		StdinPort       *int    `json:"stdin_port"`
		ControlPort     *int    `json:"control_port"`
		HBPort          *int    `json:"hb_port"`
		Key             string  `json:"key"`
		SignatureScheme string  `json:"signature_scheme"`
		KernelName      string  `json:"kernel_name"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return ConnectionInfo{}, fmt.Errorf("decode: %w", err)
	}
	var missing []string
	str := func(name string, p *string) string {
		if p == nil || *p == "" {
			missing = append(missing, name)
			return ""
		}
		return *p
	}
	port := func(name string, p *int) int {
		if p == nil {
			missing = append(missing, name)
			return 0
		}
		return *p
	}
	info := ConnectionInfo{
		Transport:       str("transport", raw.Transport),
		IP:              str("ip", raw.IP),
		ShellPort:       port("shell_port", raw.ShellPort),
		IOPubPort:       port("iopub_port", raw.IOPubPort),
		StdinPort:       port("stdin_port", raw.StdinPort),
		ControlPort:     port("control_port", raw.ControlPort),
		HBPort:          port("hb_port", raw.HBPort),
		Key:             raw.Key,
		SignatureScheme: raw.SignatureScheme,
		KernelName:      raw.KernelName,
	}
	if len(missing) > 0 {
		return ConnectionInfo{}, fmt.Errorf("missing field(s) %q", missing)
	}
	if err := info.Validate(); err != nil {
		return ConnectionInfo{}, err
	}
	return info, nil
}

// Validate checks the values of info: a supported transport and signature
// scheme, and ports in range.
func (info ConnectionInfo) Validate() error {
	switch info.Transport {
	case "tcp":
		if net.ParseIP(info.IP) == nil && info.IP != "localhost" {
			return fmt.Errorf("ip %q is not an IP address", info.IP)
		}
	case "ipc":
	default:
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", info.Transport)
	}
	if info.Key != "" && info.SignatureScheme != SignatureSchemeHMACSHA256 && info.SignatureScheme != "" {
		return fmt.Errorf("unsupported signature_scheme %q (want %s)", info.SignatureScheme, SignatureSchemeHMACSHA256)
	}
	for _, p := range []struct {
		name string
		v    int
	}{
		{"shell_port", info.ShellPort}, {"iopub_port", info.IOPubPort}, {"stdin_port", info.StdinPort},
		{"control_port", info.ControlPort}, {"hb_port", info.HBPort},
	} {
		if p.v < 0 || p.v > 65535 {
			return fmt.Errorf("%s %d out of range", p.name, p.v)
		}
	}
	return nil
}

// endpoint returns the zmq4 endpoint of one of info's ports. TCP goes
// through the guarded transport (see guard.go); ipc endpoints are
// "<ip>-<port>" paths, as jupyter_client names them.
func (info ConnectionInfo) endpoint(port int) (string, error) {
	switch info.Transport {
	case "tcp":
		return guardedScheme + "://" + net.JoinHostPort(info.IP, strconv.Itoa(port)), nil
	case "ipc":
		return "ipc://" + info.IP + "-" + strconv.Itoa(port), nil
	}
	return "", errors.New("unsupported transport " + strconv.Quote(info.Transport))
}
