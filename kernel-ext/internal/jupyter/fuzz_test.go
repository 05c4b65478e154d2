package jupyter

import (
	"bytes"
	"reflect"
	"testing"
)

// fuzzSep splits a fuzz input into frames. 0xff never occurs in UTF-8, so
// JSON frames in the seeds never contain it.
const fuzzSep = 0xff

// FuzzDecode feeds arbitrary frames to Decode with and without a key. It
// checks that Decode never panics and that whatever it accepts survives an
// Encode/Decode round trip unchanged.
func FuzzDecode(f *testing.F) {
	join := func(fs [][]byte) []byte { return bytes.Join(fs, []byte{fuzzSep}) }
	f.Add(join(frameSet("", vectorHeader, "{}", "{}", "{}")))
	f.Add(join(frameSet("k", vectorHeader, "{}", "{}", `{"code":"1"}`, "buf")))
	f.Add([]byte(Delimiter))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{fuzzSep})
		for _, key := range [][]byte{nil, []byte("k")} {
			msg, err := Decode(frames, key)
			if err != nil {
				continue
			}
			again, err := Encode(msg, key)
			if err != nil {
				t.Fatalf("accepted message does not re-encode: %v\n%+v", err, msg)
			}
			back, err := Decode(again, key)
			if err != nil {
				t.Fatalf("re-encoded message does not decode: %v", err)
			}
			// JSON re-encoding may change spelling (escapes, spacing) but
			// not meaning.
			if !reflect.DeepEqual(back.Header, msg.Header) || !reflect.DeepEqual(back.Parent, msg.Parent) ||
				!reflect.DeepEqual(back.Buffers, msg.Buffers) || !reflect.DeepEqual(back.Identities, msg.Identities) {
				t.Fatalf("round trip changed the message:\n got %+v\nwant %+v", back, msg)
			}
		}
	})
}

// FuzzFrameParser checks that the connection guard never panics and never
// lets through a frame header larger than its limit.
func FuzzFrameParser(f *testing.F) {
	f.Add(append(make([]byte, zmtpGreetingLen), 0x04, 0x01, 'x', 0x00, 0x02, 'h', 'i'), uint8(3))
	f.Add(append(make([]byte, zmtpGreetingLen), 0x02, 0, 0, 1, 0, 0, 0, 0, 0), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		const limit = 1000
		fp := frameParser{greetingLeft: zmtpGreetingLen, max: limit}
		step := int(chunk)%17 + 1
		for i := 0; i < len(data); i += step {
			if _, err := fp.feed(data[i:min(i+step, len(data))]); err != nil {
				return
			}
			if fp.state == stateBody && fp.bodyLeft > limit {
				t.Fatalf("frame of %d bytes accepted", fp.bodyLeft)
			}
		}
	})
}
