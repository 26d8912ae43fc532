package main

// A host rewrites a VM's .vmx file when ReconfigVM_Task changes the VM; this simulator keeps
// the change in memory only, so virDomainGetXMLDesc, which reads the file, would not see an
// attached device or a new name. The model's VMs, whose files the launcher writes from their
// configuration, get theirs rewritten after each successful reconfiguration (before the
// client has the answer). VMs registered from a .vmx of the client's keep their file, as this
// simulator knows none of their devices, but get a new name or annotation written into it.
// An empty annotation clears the VM's, as on a host. This simulator appends each extraConfig
// entry it is given; a host replaces an entry of the same key and drops one set empty. A host
// also moves config.changeVersion and tells property collectors (see announceConfig), and
// keeps the resource allocation fields a spec leaves out (see allocation.go).

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/object"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	reconfigCall = regexp.MustCompile(`<ReconfigVM_Task[\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)
	taskRef      = regexp.MustCompile(`<returnval type="Task">([^<]*)</returnval>`)
	specName     = regexp.MustCompile(`<spec[^>]*type="VirtualMachineConfigSpec"[^>]*><name[^>]*>`)
	specNote     = regexp.MustCompile(`<annotation[\s>]`)
	noteCleared  = regexp.MustCompile(`<annotation[^>]*></annotation>|<annotation[^>]*/>`)
	extraKey     = regexp.MustCompile(`<extraConfig[^>]*><key[^>]*>([^<]*)</key>`)
	modelVMs     sync.Map
)

func withVMXRewrite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		m := reconfigCall.FindSubmatch(body)
		if !ok || m == nil {
			next.ServeHTTP(w, r)
			return
		}
		vmRef := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
		vm, _ := simulator.Map.Get(vmRef).(*simulator.VirtualMachine)
		var before allocations
		if vm != nil {
			simulator.Map.WithLock(vm, func() { before = allocationsOf(vm) })
		}
		rec := recorded(next, r)
		if t := taskRef.FindSubmatch(rec.Body.Bytes()); t != nil && vm != nil {
			task, _ := simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: string(t[1])}).(*simulator.Task)
			if task != nil && task.Info.State == types.TaskInfoStateSuccess {
				simulator.Map.WithLock(vm, func() {
					before.restoreOmitted(vm)
					// This simulator ignores an empty annotation; a host clears the note.
					if noteCleared.Match(body) {
						vm.Config.Annotation = ""
						vm.Summary.Config.Annotation = ""
					}
					set := extraKeys(body)
					if len(set) > 0 {
						vm.Config.ExtraConfig = mergedExtraConfig(vm.Config.ExtraConfig)
					}
					if _, model := modelVMs.Load(vmRef); model {
						_ = writeVMX(vm)
						return
					}
					keys := map[string]string{}
					if specName.Match(body) {
						keys["displayName"] = vm.Name
					}
					if specNote.Match(body) {
						keys["annotation"] = vm.Config.Annotation
					}
					var drop []string
					for _, k := range set {
						if v, ok := extraValue(vm, k); ok {
							keys[k] = v
						} else {
							drop = append(drop, k)
						}
					}
					_ = patchVMX(vm, keys, drop)
				})
				announceConfig(vm)
			}
		}
		replay(w, rec)
	})
}

// announceConfig does what a host does after a reconfiguration: a new config.changeVersion,
// and property collectors told of it and of the resource allocations (this simulator tells
// only of extraConfig and devices).
func announceConfig(vm *simulator.VirtualMachine) {
	changes := []types.PropertyChange{{Name: "config.changeVersion", Val: time.Now().UTC().Format(time.RFC3339Nano)}}
	if a := vm.Config.CpuAllocation; a != nil && a.Shares != nil {
		changes = append(changes, types.PropertyChange{Name: "config.cpuAllocation.shares.shares", Val: a.Shares.Shares})
	}
	simulator.Map.Update(vm, changes)
}

// extraKeys lists the extraConfig keys a ReconfigVM_Task body sets.
func extraKeys(body []byte) []string {
	var keys []string
	for _, m := range extraKey.FindAllSubmatch(body, -1) {
		keys = append(keys, string(m[1]))
	}
	return keys
}

// mergedExtraConfig keeps each key's last value, in first-seen order, without empty values.
func mergedExtraConfig(entries []types.BaseOptionValue) []types.BaseOptionValue {
	last := map[string]int{}
	for i, e := range entries {
		last[e.GetOptionValue().Key] = i
	}
	var out []types.BaseOptionValue
	for i, e := range entries {
		o := e.GetOptionValue()
		if last[o.Key] != i {
			continue
		}
		if s, ok := o.Value.(string); ok && s == "" {
			continue
		}
		out = append(out, e)
	}
	return out
}

func extraValue(vm *simulator.VirtualMachine, key string) (string, bool) {
	for _, e := range vm.Config.ExtraConfig {
		if o := e.GetOptionValue(); o.Key == key {
			return fmt.Sprint(o.Value), true
		}
	}
	return "", false
}

// patchVMX sets keys of a VM's .vmx file and removes the keys in drop, keeping its other lines.
func patchVMX(vm *simulator.VirtualMachine, keys map[string]string, drop []string) error {
	if len(keys) == 0 && len(drop) == 0 {
		return nil
	}
	var p object.DatastorePath
	if !p.FromString(vm.Config.Files.VmPathName) {
		return nil
	}
	ds, ok := simulator.Map.FindByName(p.Datastore, vm.Datastore).(*simulator.Datastore)
	if !ok {
		return nil
	}
	file := path.Join(ds.Info.GetDatastoreInfo().Url, p.Path)
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		key := strings.TrimSpace(strings.SplitN(line, "=", 2)[0])
		_, set := keys[key]
		if !set && !contains(drop, key) {
			out = append(out, line)
		}
	}
	f := &vmxFile{lines: out}
	for key, value := range keys {
		f.set(key, value)
	}
	return os.WriteFile(file, []byte(f.String()), 0o600)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
