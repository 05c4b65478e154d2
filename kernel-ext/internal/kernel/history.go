package kernel

import (
	"context"
	"path"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// historySession is the session number the kernel reports. History lives
// in memory for the life of the kernel process, so there is only this one.
const historySession = 1

type historyEntry struct {
	line   int
	input  string
	output string
}

func (k *Kernel) record(line int, code string, res repl.Result) {
	var out string
	if res.Value != nil {
		out, _ = res.Value.Data["text/plain"].(string)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.history = append(k.history, historyEntry{line: line, input: code, output: out})
}

type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              int    `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

func (k *Kernel) historyRequest(_ context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	var req historyRequest
	if err := decode(msg, &req); err != nil {
		return k.replyError(ch, msg, err)
	}
	k.mu.Lock()
	entries := k.query(req)
	k.mu.Unlock()
	items := make([]any, 0, len(entries))
	for _, e := range entries {
		if req.Output {
			var out any
			if e.output != "" {
				out = e.output
			}
			items = append(items, []any{historySession, e.line, []any{e.input, out}})
		} else {
			items = append(items, []any{historySession, e.line, e.input})
		}
	}
	return k.reply(ch, msg, map[string]any{"status": "ok", "history": items})
}

// query selects history entries as ipykernel's history manager does: the
// last n for "tail", lines [start, stop) of a session for "range" (0 and
// negative sessions count back from the current one, the only one here),
// and glob matches for "search", newest last.
func (k *Kernel) query(req historyRequest) []historyEntry {
	all := k.history
	switch req.HistAccessType {
	case "tail":
		if req.N <= 0 || req.N >= len(all) {
			return append([]historyEntry(nil), all...)
		}
		return append([]historyEntry(nil), all[len(all)-req.N:]...)
	case "range":
		if req.Session > 0 && req.Session != historySession || req.Session < 0 {
			return nil
		}
		var sel []historyEntry
		for _, e := range all {
			if e.line >= req.Start && (req.Stop <= 0 || e.line < req.Stop) {
				sel = append(sel, e)
			}
		}
		return sel
	case "search":
		pattern := req.Pattern
		if pattern == "" {
			pattern = "*"
		}
		var sel []historyEntry
		seen := map[string]bool{}
		for i := len(all) - 1; i >= 0; i-- {
			e := all[i]
			if ok, _ := path.Match(pattern, e.input); !ok {
				continue
			}
			if req.Unique && seen[e.input] {
				continue
			}
			seen[e.input] = true
			sel = append(sel, e)
			if req.N > 0 && len(sel) == req.N {
				break
			}
		}
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
		return sel
	}
	return nil
}
