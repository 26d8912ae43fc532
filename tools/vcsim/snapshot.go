package main

// This simulator's snapshot methods differ from an ESX host's where the snapshot API's tests
// look, so each call is mended around the server's own handling:
//   - RevertToSnapshot_Task leaves the VM's power state alone; a host puts the VM in the state
//     the snapshot holds (powered off instead of on when suppressPowerOn asks).
//   - CreateSnapshot_Task without memory records a running VM as powered on; a host records
//     such a snapshot as powered off, since reverting to it powers the VM off.
//   - RemoveSnapshot_Task of the current snapshot when it has no parent but other snapshots
//     remain crashes the server; a host leaves the VM without a current snapshot. With
//     removeChildren it leaves the current snapshot inside the removed subtree (the next
//     create then crashes) and the descendants registered; a host makes the removed
//     snapshot's parent current and forgets the descendants.

import (
	"net/http"
	"regexp"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	snapshotCall = regexp.MustCompile(`<(RevertToSnapshot_Task|RemoveSnapshot_Task)[\s\S]*?<_this[^>]*\stype="VirtualMachineSnapshot"[^>]*>([^<]*)</_this>`)
	createCall   = regexp.MustCompile(`<CreateSnapshot_Task[\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>[\s\S]*?<memory[^>]*>([^<]*)</memory>`)
	suppressOn   = regexp.MustCompile(`<suppressPowerOn[^>]*>true</suppressPowerOn>`)
	withChildren = regexp.MustCompile(`<removeChildren[^>]*>true</removeChildren>`)
)

// snapshotNode finds ref in a snapshot tree, with its parent (nil for a root).
func snapshotNode(tree []types.VirtualMachineSnapshotTree, ref types.ManagedObjectReference, parent *types.ManagedObjectReference) (*types.VirtualMachineSnapshotTree, *types.ManagedObjectReference) {
	for i := range tree {
		if tree[i].Snapshot == ref {
			return &tree[i], parent
		}
		if n, p := snapshotNode(tree[i].ChildSnapshotList, ref, &tree[i].Snapshot); n != nil {
			return n, p
		}
	}
	return nil, nil
}

// subtree lists a node and all its descendants.
func subtree(n types.VirtualMachineSnapshotTree) []types.ManagedObjectReference {
	refs := []types.ManagedObjectReference{n.Snapshot}
	for _, c := range n.ChildSnapshotList {
		refs = append(refs, subtree(c)...)
	}
	return refs
}

func setPowerState(vm *simulator.VirtualMachine, state types.VirtualMachinePowerState) {
	simulator.Map.Update(vm, []types.PropertyChange{
		{Name: "runtime.powerState", Val: state},
		{Name: "summary.runtime.powerState", Val: state},
	})
}

// withSnapshotRules wraps the server's handler: snapshot calls behave as on a host.
func withSnapshotRules(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if m := createCall.FindSubmatch(body); m != nil {
			next.ServeHTTP(w, r)
			ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
			if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok && string(m[2]) == "false" {
				simulator.Map.WithLock(vm, func() {
					if vm.Snapshot == nil || vm.Snapshot.CurrentSnapshot == nil {
						return
					}
					n, _ := snapshotNode(vm.Snapshot.RootSnapshotList, *vm.Snapshot.CurrentSnapshot, nil)
					if n != nil && n.State == types.VirtualMachinePowerStatePoweredOn {
						n.State = types.VirtualMachinePowerStatePoweredOff
					}
				})
			}
			return
		}
		m := snapshotCall.FindSubmatch(body)
		if m == nil {
			next.ServeHTTP(w, r)
			return
		}
		ref := types.ManagedObjectReference{Type: "VirtualMachineSnapshot", Value: string(m[2])}
		snap, ok := simulator.Map.Get(ref).(*simulator.VirtualMachineSnapshot)
		if !ok {
			next.ServeHTTP(w, r) // the server answers ManagedObjectNotFound
			return
		}
		vm, ok := simulator.Map.Get(snap.Vm).(*simulator.VirtualMachine)
		if !ok || vm.Snapshot == nil {
			next.ServeHTTP(w, r)
			return
		}
		if string(m[1]) == "RevertToSnapshot_Task" {
			next.ServeHTTP(w, r)
			simulator.Map.WithLock(vm, func() {
				n, _ := snapshotNode(vm.Snapshot.RootSnapshotList, ref, nil)
				if n == nil {
					return
				}
				state := n.State
				if state == types.VirtualMachinePowerStatePoweredOn && suppressOn.Match(body) {
					state = types.VirtualMachinePowerStatePoweredOff
				}
				setPowerState(vm, state)
			})
			return
		}
		var gone []types.ManagedObjectReference
		simulator.Map.WithLock(vm, func() {
			n, parent := snapshotNode(vm.Snapshot.RootSnapshotList, ref, nil)
			if n == nil {
				return
			}
			gone = []types.ManagedObjectReference{ref}
			if withChildren.Match(body) {
				gone = subtree(*n)
			}
			cur := vm.Snapshot.CurrentSnapshot
			for _, g := range gone {
				if cur != nil && *cur == g {
					// Moved before the server looks, so that it leaves the current one alone.
					if parent == nil {
						vm.Snapshot.CurrentSnapshot = nil
					} else {
						p := *parent
						vm.Snapshot.CurrentSnapshot = &p
					}
				}
			}
		})
		next.ServeHTTP(w, r)
		for i, g := range gone {
			if i > 0 { // the server removes the snapshot itself, not its descendants
				simulator.Map.Remove(g)
			}
		}
	})
}
