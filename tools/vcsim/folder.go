package main

// This simulator's RegisterVM_Task opens the VM's .nvram and vmware.log and fails without
// them; a real host creates them itself. After a .vmx is uploaded through /folder, they are
// created beside it, so that defining a domain (PUT + RegisterVM_Task) works as on ESX.

import (
	"log"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/vmware/govmomi/simulator"
)

const folderPrefix = "/folder/"

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// withVMXCompanions wraps the server's handler: successful PUTs of a .vmx get companions.
func withVMXCompanions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isVMX := r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, folderPrefix) &&
			strings.HasSuffix(r.URL.Path, ".vmx")
		if !isVMX {
			next.ServeHTTP(w, r)
			return
		}
		// The datastore handler rewrites the request's path; keep what the client sent.
		rel := strings.TrimPrefix(r.URL.Path, folderPrefix)
		query := r.URL.Query()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status >= 300 {
			return
		}
		dir := datastoreDir(query.Get("dcPath"), query.Get("dsName"))
		if dir == "" {
			log.Printf("PUT %s: datastore %q not found for companions", rel, query.Get("dsName"))
			return
		}
		createCompanions(dir, rel)
	})
}

// datastoreDir is the local directory of a datastore, found by datacenter path and name as
// /folder URLs name it; the first datacenter when dcPath is empty.
func datastoreDir(dcPath, dsName string) string {
	for _, e := range simulator.Map.All("Datacenter") {
		dc := e.(*simulator.Datacenter)
		if dcPath != "" && dc.Name != path.Base(dcPath) {
			continue
		}
		if ds, ok := simulator.Map.FindByName(dsName, dc.Datastore).(*simulator.Datastore); ok {
			return ds.Info.GetDatastoreInfo().Url
		}
	}
	return ""
}

// createCompanions makes the empty files RegisterVM_Task opens beside the datastore's file
// rel: <name>.nvram and vmware.log, plus <directory>.nvram, the VM name this simulator
// assumes when RegisterVM_Task is given none (libvirt gives none).
func createCompanions(dsDir, rel string) {
	dir := path.Join(dsDir, path.Dir(rel))
	names := []string{strings.TrimSuffix(path.Base(rel), ".vmx") + ".nvram", "vmware.log"}
	if d := path.Dir(rel); d != "." && !strings.Contains(d, "/") {
		names = append(names, d+".nvram")
	}
	for _, name := range names {
		touch(path.Join(dir, name))
	}
}

// touch creates an empty file unless there is one.
func touch(file string) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		_ = f.Close()
	} else if !os.IsExist(err) {
		log.Printf("creating %s: %s", file, err)
	}
}
