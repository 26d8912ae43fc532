// The simulator's event collectors and event manager lock each other in opposite orders; this
// keeps a collector's page size from being set while another call may post an event.
package main

import (
	"bytes"
	"net/http"
	"sync"
)

// SetCollectorPageSize holds its collector's lock, then takes the event manager's; PostEvent
// (a Login's, say) holds the manager's, then takes each collector's. Set at the same moment,
// the two wait for each other forever, and every later login waits behind them: with many
// connections registering events, the simulator stopped answering after 100 to 160 of them.
// A real server has no such deadlock, so here a page size is set while no other call runs.
var eventLockOrder sync.RWMutex

// waits are the long polls, which post no event and may last minutes: they take no lock.
var waits = [][]byte{[]byte("<WaitForUpdatesEx"), []byte("<WaitForUpdates"), []byte("<CheckForUpdates")}

func withEventLockOrder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		switch {
		case !ok || isWait(body):
		case bytes.Contains(body, []byte("<SetCollectorPageSize")):
			eventLockOrder.Lock()
			defer eventLockOrder.Unlock()
		default:
			eventLockOrder.RLock()
			defer eventLockOrder.RUnlock()
		}
		next.ServeHTTP(w, r)
	})
}

func isWait(body []byte) bool {
	for _, w := range waits {
		if bytes.Contains(body, w) {
			return true
		}
	}
	return false
}
