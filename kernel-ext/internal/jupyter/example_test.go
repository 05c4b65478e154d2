package jupyter_test

import (
	"encoding/json"
	"fmt"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
)

func ExampleSign() {
	header := []byte(`{"msg_id":"a1","session":"s1","username":"u","date":"2026-01-02T03:04:05Z","msg_type":"kernel_info_request","version":"5.3"}`)
	empty := []byte("{}")
	fmt.Printf("%s\n", jupyter.Sign([]byte("goconc-test-key"), header, empty, empty, empty))
	// Output: dd68c4d3b76a95360c04513f8bd72f5b947d5520a51911cb0393fab2efd2c748
}

func ExampleEncode() {
	msg := &jupyter.Message{
		Identities: [][]byte{[]byte("client")},
		Header:     jupyter.Header{MsgID: "1", MsgType: "status", Version: jupyter.ProtocolVersion},
		Content:    json.RawMessage(`{"execution_state": "idle"}`),
	}
	frames, err := jupyter.Encode(msg, nil) // no key: empty signature frame
	if err != nil {
		panic(err)
	}
	for _, f := range frames {
		fmt.Printf("%q\n", f)
	}
	// Output:
	// "client"
	// "<IDS|MSG>"
	// ""
	// "{\"msg_id\":\"1\",\"session\":\"\",\"username\":\"\",\"date\":\"\",\"msg_type\":\"status\",\"version\":\"5.3\"}"
	// "{}"
	// "{}"
	// "{\"execution_state\":\"idle\"}"
}
