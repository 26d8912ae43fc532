package main

// This simulator's RelocateVM_Task moves a VM's runtime.host, resourcePool and datastore but
// leaves the VM listed in its old host's, pool's and datastores' `vm` lists and absent from
// the new ones'; MarkAsTemplate and MarkAsVirtualMachine change its resourcePool alone. A
// real vCenter keeps both sides in step (a template is in no pool's list), and inventory
// reads that go from hosts or pools to their VMs depend on it: after each of these calls,
// the lists are mended.

import (
	"net/http"
	"regexp"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

var relocateThis = regexp.MustCompile(`<(?:RelocateVM_Task|MarkAsTemplate|MarkAsVirtualMachine)[\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)

// vmHolders are where a VM is listed: its host, its pool (or vApp) and its datastores.
type vmHolders struct {
	host  *types.ManagedObjectReference
	pool  *types.ManagedObjectReference
	disks []types.ManagedObjectReference
}

func holdersOf(vm *simulator.VirtualMachine) vmHolders {
	var h vmHolders
	simulator.Map.WithLock(vm, func() {
		if vm.Runtime.Host != nil {
			ref := *vm.Runtime.Host
			h.host = &ref
		}
		if vm.ResourcePool != nil {
			ref := *vm.ResourcePool
			h.pool = &ref
		}
		h.disks = append(h.disks, vm.Datastore...)
	})
	return h
}

// vmList is the `vm` field of an object that lists VMs.
func vmList(ref types.ManagedObjectReference) (mo.Reference, *[]types.ManagedObjectReference) {
	switch o := simulator.Map.Get(ref).(type) {
	case *simulator.HostSystem:
		return o, &o.Vm
	case *simulator.ResourcePool:
		return o, &o.Vm
	case *simulator.VirtualApp:
		return o, &o.Vm
	case *simulator.Datastore:
		return o, &o.Vm
	}
	return nil, nil
}

func (h vmHolders) all() []types.ManagedObjectReference {
	var refs []types.ManagedObjectReference
	for _, r := range []*types.ManagedObjectReference{h.host, h.pool} {
		if r != nil {
			refs = append(refs, *r)
		}
	}
	return append(refs, h.disks...)
}

// withRelocateLists wraps the server's handler: calls that move a VM get the lists mended.
func withRelocateLists(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		m := relocateThis.FindSubmatch(body)
		if !ok || m == nil {
			next.ServeHTTP(w, r)
			return
		}
		ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
		vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		before := holdersOf(vm)
		next.ServeHTTP(w, r)
		after := holdersOf(vm)
		for _, old := range before.all() {
			if obj, list := vmList(old); obj != nil {
				simulator.Map.RemoveReference(obj, list, ref)
			}
		}
		for _, now := range after.all() {
			if obj, list := vmList(now); obj != nil {
				simulator.Map.AddReference(obj, list, ref)
			}
		}
	})
}
