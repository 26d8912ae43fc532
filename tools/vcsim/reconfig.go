package main

// A host rewrites a VM's .vmx file when ReconfigVM_Task changes the VM; this simulator keeps
// the change in memory only, so virDomainGetXMLDesc, which reads the file, would not see an
// attached or detached device. The model's VMs, whose files the launcher writes from their
// configuration, get theirs rewritten after each successful reconfiguration (before the
// client has the answer). VMs registered from a .vmx of the client's keep their file: this
// simulator knows none of their devices.

import (
	"net/http"
	"regexp"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	reconfigCall = regexp.MustCompile(`<ReconfigVM_Task[\s\S]*?<_this type="VirtualMachine">([^<]*)</_this>`)
	taskRef      = regexp.MustCompile(`<returnval type="Task">([^<]*)</returnval>`)
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
		rec := recorded(next, r)
		vmRef := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
		if _, model := modelVMs.Load(vmRef); model {
			if t := taskRef.FindSubmatch(rec.Body.Bytes()); t != nil {
				task, _ := simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: string(t[1])}).(*simulator.Task)
				vm, _ := simulator.Map.Get(vmRef).(*simulator.VirtualMachine)
				if task != nil && vm != nil && task.Info.State == types.TaskInfoStateSuccess {
					simulator.Map.WithLock(vm, func() { _ = writeVMX(vm) })
				}
			}
		}
		replay(w, rec)
	})
}
