package main

// This simulator writes a value's XML Schema type with a prefix of its own, declared on the
// element (`xmlns:XMLSchema-instance="…" XMLSchema-instance:type="xsd:string"`); a host writes
// `xsi:type`, the prefix its envelope declares. Both mean the same to a namespace-aware
// reader, but libvirt's ESX driver (the peer the tests compare with) reads the attribute by
// its `xsi:` name and refuses the rest ("AnyType is missing 'type' property"). Answers are
// written here as a host writes them, with the type on each item of an array value too, as a
// host writes it (`<ManagedObjectReference xsi:type="ManagedObjectReference" …>`).

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
)

var (
	// The simulator declares its prefix on the first element that needs it and uses it
	// below that element undeclared; both go, as the envelope's xsi prefix serves them all.
	simulatorXsiPrefix = []byte(` xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"`)
	simulatorXsiType   = []byte(` XMLSchema-instance:type="`)
	hostXsiType        = []byte(` xsi:type="`)
	envelopeXsi        = []byte(`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`)
)

func withHostXsiType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := soapBody(w, r); !ok {
			next.ServeHTTP(w, r)
			return
		}
		rec := recorded(next, r)
		body := rec.Body.Bytes()
		head := body
		if len(head) > 1024 {
			head = head[:1024]
		}
		if !bytes.Contains(body, simulatorXsiType) || !bytes.Contains(head, envelopeXsi) {
			replay(w, rec)
			return
		}
		body = bytes.ReplaceAll(body, simulatorXsiPrefix, nil)
		body = bytes.ReplaceAll(body, simulatorXsiType, hostXsiType)
		body = arrayValue.ReplaceAllFunc(body, typedItems)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

var (
	arrayValue = regexp.MustCompile(`(?s)<val xsi:type="ArrayOf(\w+)">.*?</val>`)
	primitives = map[string]bool{"String": true, "Int": true, "Long": true, "Short": true, "Byte": true, "Boolean": true, "Double": true, "Float": true}
)

// typedItems gives each item of an array value its type, where the simulator left it out.
func typedItems(val []byte) []byte {
	item := string(arrayValue.FindSubmatch(val)[1])
	name, typ := item, item
	if primitives[item] {
		name = string(bytes.ToLower([]byte(item[:1]))) + item[1:]
		typ = "xsd:" + name
	}
	typed := []byte(`<` + name + ` xsi:type="` + typ + `"`)
	val = bytes.ReplaceAll(val, []byte(`<`+name+`>`), append(append([]byte{}, typed...), '>'))
	return bytes.ReplaceAll(val, []byte(`<`+name+` type="`), append(typed, []byte(` type="`)...))
}
