package main

// This simulator's Datastore.RefreshDatastore refreshes the datastore but answers with an
// empty HTTP body (its response object is never set), which no SOAP client can read; a host
// answers with an empty RefreshDatastoreResponse. The answer is completed here. A host's
// refresh also tells property collectors watching the datastore's info.timestamp; so does
// the launcher's.

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var refreshCall = regexp.MustCompile(`<RefreshDatastore[\s>][\s\S]*?<_this[^>]*\stype="Datastore"[^>]*>([^<]*)</_this>`)

const refreshResponse = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RefreshDatastoreResponse xmlns="urn:vim25"></RefreshDatastoreResponse></soapenv:Body></soapenv:Envelope>`

func withRefreshAnswer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok || !bytes.Contains(body, []byte("<RefreshDatastore ")) && !bytes.Contains(body, []byte("<RefreshDatastore>")) {
			next.ServeHTTP(w, r)
			return
		}
		rec := recorded(next, r)
		if m := refreshCall.FindSubmatch(body); m != nil && rec.Code == http.StatusOK {
			ref := types.ManagedObjectReference{Type: "Datastore", Value: string(m[1])}
			if ds, ok := simulator.Map.Get(ref).(*simulator.Datastore); ok {
				simulator.Map.Update(ds, []types.PropertyChange{{Name: "info.timestamp", Val: time.Now()}})
			}
		}
		if rec.Code == http.StatusOK && rec.Body.Len() == 0 {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(refreshResponse))
			return
		}
		replay(w, rec)
	})
}

// recorded is the handler's answer to r, held back so that it can be completed or followed
// by changes the client must see once it has the answer.
func recorded(next http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	return rec
}

// replay sends a recorded answer.
func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
