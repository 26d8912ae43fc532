package main

// A host applies a cpuAllocation or memoryAllocation of a ReconfigVM_Task spec field by
// field: what the spec leaves out keeps its value. This simulator replaces the whole
// allocation, so a spec setting the shares alone lost the reservation and the limit (libvirt's
// own driver then showed the shares alone). The launcher puts back what the spec left out.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// allocations are a VM's resource allocations as they were before a reconfiguration.
type allocations struct{ cpu, mem *types.ResourceAllocationInfo }

func allocationsOf(vm *simulator.VirtualMachine) allocations {
	copyOf := func(a *types.ResourceAllocationInfo) *types.ResourceAllocationInfo {
		if a == nil {
			return nil
		}
		c := *a
		return &c
	}
	return allocations{copyOf(vm.Config.CpuAllocation), copyOf(vm.Config.MemoryAllocation)}
}

// restoreOmitted gives the fields a reconfiguration did not set their earlier values.
func (old allocations) restoreOmitted(vm *simulator.VirtualMachine) {
	mergeAllocation(vm.Config.CpuAllocation, old.cpu)
	mergeAllocation(vm.Config.MemoryAllocation, old.mem)
}

func mergeAllocation(now, old *types.ResourceAllocationInfo) {
	if now == nil || old == nil {
		return
	}
	if now.Reservation == nil {
		now.Reservation = old.Reservation
	}
	if now.ExpandableReservation == nil {
		now.ExpandableReservation = old.ExpandableReservation
	}
	if now.Limit == nil {
		now.Limit = old.Limit
	}
	if now.Shares == nil {
		now.Shares = old.Shares
	}
	if now.OverheadLimit == nil {
		now.OverheadLimit = old.OverheadLimit
	}
}
