package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Frames of the known signing vector.
const (
	vectorKey    = "goconc-test-key"
	vectorHeader = `{"msg_id":"a1","session":"s1","username":"u","date":"2026-01-02T03:04:05Z","msg_type":"kernel_info_request","version":"5.3"}`
	// vectorSig was computed outside Go with
	//   printf '%s' "$header{}{}{}" | openssl dgst -sha256 -hmac goconc-test-key
	vectorSig = "dd68c4d3b76a95360c04513f8bd72f5b947d5520a51911cb0393fab2efd2c748"
)

func TestSignKnownVector(t *testing.T) {
	h, p, m, c := []byte(vectorHeader), []byte("{}"), []byte("{}"), []byte("{}")

	// Independent computation over the concatenated frames.
	mac := hmac.New(sha256.New, []byte(vectorKey))
	mac.Write([]byte(vectorHeader + "{}{}{}"))
	independent := hex.EncodeToString(mac.Sum(nil))

	for _, tc := range []struct {
		name string
		want string
	}{
		{"openssl", vectorSig},
		{"crypto/hmac over concatenation", independent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Sign([]byte(vectorKey), h, p, m, c)); got != tc.want {
				t.Errorf("Sign = %s, want %s", got, tc.want)
			}
			if !Verify([]byte(vectorKey), []byte(tc.want), h, p, m, c) {
				t.Errorf("Verify(%s) = false", tc.want)
			}
		})
	}
	if got := Sign(nil, h, p, m, c); got != nil {
		t.Errorf("Sign with empty key = %q, want nil", got)
	}
	if !Verify([]byte(vectorKey), []byte(strings.ToUpper(vectorSig)), h, p, m, c) {
		t.Error("Verify refuses an upper-case hex signature")
	}
}

func TestVerifyRejects(t *testing.T) {
	h, p, m, c := []byte(vectorHeader), []byte("{}"), []byte("{}"), []byte("{}")
	for _, tc := range []struct {
		name string
		key  string
		sig  string
	}{
		{"empty signature", vectorKey, ""},
		{"wrong key", "other-key", vectorSig},
		{"one digit changed", vectorKey, "0" + vectorSig[1:]},
		{"truncated", vectorKey, vectorSig[:63]},
		{"too long", vectorKey, vectorSig + "00"},
		{"not hex", vectorKey, strings.Repeat("zz", 32)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if Verify([]byte(tc.key), []byte(tc.sig), h, p, m, c) {
				t.Errorf("Verify accepted %q", tc.sig)
			}
		})
	}
}

func testMessage() *Message {
	return &Message{
		Identities: [][]byte{[]byte("client-a"), []byte("route-2")},
		Header: Header{
			MsgID: "m-1", Session: "sess", Username: "alice",
			Date: "2026-01-02T03:04:05.123456Z", MsgType: "execute_request", Version: ProtocolVersion,
		},
		Parent:   Header{MsgID: "p-0", Session: "sess", MsgType: "kernel_info_request", Version: "5.3"},
		Metadata: map[string]any{"cellId": "c1", "n": 2.0},
		Content:  json.RawMessage(`{"code":"1+1","silent":false}`),
		Buffers:  [][]byte{{0, 1, 2, 0xff}, {}},
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	minimal := &Message{Header: Header{MsgID: "x", MsgType: "kernel_info_request"}}
	for _, tc := range []struct {
		name string
		msg  *Message
		key  string
	}{
		{"full signed", testMessage(), "k"},
		{"full unsigned", testMessage(), ""},
		{"minimal signed", minimal, vectorKey},
		{"minimal unsigned", minimal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frames, err := Encode(tc.msg, []byte(tc.key))
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			n := len(tc.msg.Identities)
			if string(frames[n]) != Delimiter {
				t.Fatalf("frame %d = %q, want delimiter", n, frames[n])
			}
			if sig := frames[n+1]; (len(sig) == 0) != (tc.key == "") {
				t.Errorf("signature frame %q with key %q", sig, tc.key)
			}
			got, err := Decode(frames, []byte(tc.key))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := *tc.msg
			if want.Content == nil {
				want.Content = json.RawMessage("{}")
			}
			if want.Metadata == nil {
				want.Metadata = map[string]any{}
			}
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
			}
		})
	}
}

func TestEncodeEmptyParts(t *testing.T) {
	frames, err := Encode(&Message{Header: Header{MsgID: "x", MsgType: "status"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// identities (none), delimiter, signature, header, parent, metadata, content
	if len(frames) != 6 {
		t.Fatalf("got %d frames, want 6", len(frames))
	}
	for i, name := range []string{"parent_header", "metadata", "content"} {
		if got := string(frames[3+i]); got != "{}" {
			t.Errorf("%s = %s, want {}", name, got)
		}
	}
	if _, err := Encode(&Message{Content: json.RawMessage("{oops")}, nil); err == nil {
		t.Error("Encode accepted invalid content JSON")
	}
	if _, err := Encode(nil, nil); err == nil {
		t.Error("Encode accepted a nil message")
	}
}

// frameSet builds wire frames from raw parts, signing them with key.
func frameSet(key, header, parent, metadata, content string, extra ...string) [][]byte {
	fs := [][]byte{[]byte("id"), []byte(Delimiter),
		Sign([]byte(key), []byte(header), []byte(parent), []byte(metadata), []byte(content)),
		[]byte(header), []byte(parent), []byte(metadata), []byte(content)}
	for _, e := range extra {
		fs = append(fs, []byte(e))
	}
	return fs
}

func TestDecodeRejects(t *testing.T) {
	const key = "k3y"
	good := func() [][]byte { return frameSet(key, vectorHeader, "{}", "{}", "{}") }
	tamper := func(i int, v string) [][]byte { fs := good(); fs[i] = []byte(v); return fs }
	huge := `{"msg_id":"1","msg_type":"t","pad":"` + strings.Repeat("x", MaxHeaderSize) + `"}`

	for _, tc := range []struct {
		name   string
		frames [][]byte
		key    string
		want   error
	}{
		{"tampered signature", tamper(2, "0"+vectorSig[1:]), key, ErrSignature},
		{"unsigned", tamper(2, ""), key, ErrSignature},
		{"wrong key", frameSet("other", vectorHeader, "{}", "{}", "{}"), key, ErrSignature},
		{"tampered content", tamper(6, `{"code":"rm -rf"}`), key, ErrSignature},
		{"tampered header", tamper(3, strings.Replace(vectorHeader, "a1", "a2", 1)), key, ErrSignature},
		{"no frames", nil, key, ErrMalformed},
		{"no delimiter", [][]byte{[]byte("a"), []byte("b")}, key, ErrMalformed},
		{"too few frames", good()[:6], key, ErrMalformed},
		{"huge header", frameSet(key, huge, "{}", "{}", "{}"), key, ErrMalformed},
		{"header not JSON", frameSet(key, "{nope", "{}", "{}", "{}"), key, ErrMalformed},
		{"header null", frameSet(key, "null", "{}", "{}", "{}"), key, ErrMalformed},
		{"header array", frameSet(key, "[]", "{}", "{}", "{}"), key, ErrMalformed},
		{"header wrong types", frameSet(key, `{"msg_id":1,"msg_type":"x"}`, "{}", "{}", "{}"), key, ErrMalformed},
		{"header without msg_id", frameSet(key, `{"msg_type":"x"}`, "{}", "{}", "{}"), key, ErrMalformed},
		{"header without msg_type", frameSet(key, `{"msg_id":"x"}`, "{}", "{}", "{}"), key, ErrMalformed},
		{"parent string", frameSet(key, vectorHeader, `"p"`, "{}", "{}"), key, ErrMalformed},
		{"metadata array", frameSet(key, vectorHeader, "{}", "[1]", "{}"), key, ErrMalformed},
		{"content array", frameSet(key, vectorHeader, "{}", "{}", "[]"), key, ErrMalformed},
		{"content truncated", frameSet(key, vectorHeader, "{}", "{}", `{"a":`), key, ErrMalformed},
		{"unsigned malformed, no key", frameSet("", "{", "{}", "{}", "{}"), "", ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := Decode(tc.frames, []byte(tc.key))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, %v; want error %v", msg, err, tc.want)
			}
		})
	}
}

func TestDecodeEmptyKeyAccepts(t *testing.T) {
	for _, sig := range []string{"", "garbage", vectorSig} {
		fs := frameSet("", vectorHeader, "{}", "{}", "{}")
		fs[2] = []byte(sig)
		msg, err := Decode(fs, nil)
		if err != nil {
			t.Errorf("signature %q: %v", sig, err)
			continue
		}
		if msg.Header.MsgID != "a1" || !bytes.Equal(msg.Identities[0], []byte("id")) {
			t.Errorf("signature %q: decoded %+v", sig, msg)
		}
	}
}

func TestDecodeOwnsItsBytes(t *testing.T) {
	fs := frameSet("", vectorHeader, "{}", "{}", `{"a":1}`, "buf")
	msg, err := Decode(fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		for i := range f {
			f[i] = 'X'
		}
	}
	if string(msg.Content) != `{"a":1}` || string(msg.Buffers[0]) != "buf" || string(msg.Identities[0]) != "id" {
		t.Errorf("decoded message aliases the frames: %+v", msg)
	}
}
