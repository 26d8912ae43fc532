package main

// This simulator's guests have no VMware Tools: toolsRunningStatus stays guestToolsNotRunning
// and guest.disk, guest.hostName and the addresses stay empty. A host shows what Tools in the
// guest report a moment after the VM is powered on, and drops it when the VM stops. With
// -tools the launcher stands in for Tools in every guest: each running VM reports a Debian 12
// guest named after the VM, one ext4 file system per virtual disk (mapped to that disk's key)
// and an IPv4 and an IPv6 address per NIC; the report goes when the VM is off or suspended.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// What the stand-in Tools report about their guest.
const (
	toolsGuestID       = "debian12_64Guest"
	toolsGuestFullName = "Debian GNU/Linux 12 (64-bit)"
	toolsVersion       = "12352"
)

// runGuestTools keeps every VM's guest report in step with its power state, as Tools starting
// and stopping in the guest would, until the process ends.
func runGuestTools() {
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			for _, e := range simulator.Map.All("VirtualMachine") {
				vm := e.(*simulator.VirtualMachine)
				simulator.Map.WithLock(vm, func() { syncGuest(vm) })
			}
		}
	}()
}

func syncGuest(vm *simulator.VirtualMachine) {
	if vm.Guest == nil || vm.Config == nil {
		return
	}
	running := vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn
	if running == (vm.Guest.ToolsRunningStatus == string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)) {
		return
	}
	g := *vm.Guest
	if running {
		reportGuest(vm, &g)
	} else {
		g.ToolsRunningStatus = string(types.VirtualMachineToolsRunningStatusGuestToolsNotRunning)
		g.ToolsStatus = types.VirtualMachineToolsStatusToolsNotRunning
		g.GuestState = "notRunning"
		g.IpAddress, g.HostName, g.Disk = "", "", nil
		g.Net = append([]types.GuestNicInfo(nil), g.Net...)
		for i := range g.Net {
			g.Net[i].IpAddress, g.Net[i].IpConfig = nil, nil
		}
	}
	summary := []types.PropertyChange{
		{Name: "guest", Val: &g},
		{Name: "summary.guest.toolsRunningStatus", Val: g.ToolsRunningStatus},
		{Name: "summary.guest.toolsStatus", Val: g.ToolsStatus},
		{Name: "summary.guest.hostName", Val: g.HostName},
		{Name: "summary.guest.ipAddress", Val: g.IpAddress},
	}
	simulator.Map.Update(vm, summary)
}

// reportGuest fills g as running Tools would: the guest, its file systems and its addresses.
func reportGuest(vm *simulator.VirtualMachine, g *types.GuestInfo) {
	g.ToolsRunningStatus = string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)
	g.ToolsStatus = types.VirtualMachineToolsStatusToolsOk
	g.ToolsVersion = toolsVersion
	g.ToolsVersionStatus2 = string(types.VirtualMachineToolsVersionStatusGuestToolsCurrent)
	g.GuestState = "running"
	g.GuestId, g.GuestFullName, g.GuestFamily = toolsGuestID, toolsGuestFullName, string(types.VirtualMachineGuestOsFamilyLinuxGuest)
	g.HostName = guestHostName(vm.Name)
	g.Net, g.Disk, g.IpAddress = nil, nil, ""
	nics, disks := 0, 0
	for _, d := range vm.Config.Hardware.Device {
		switch x := d.(type) {
		case types.BaseVirtualEthernetCard:
			card := x.GetVirtualEthernetCard()
			nics++
			v4 := fmt.Sprintf("10.%d.%d.%d", nics, (card.Key/256)%256, card.Key%256)
			v6 := fmt.Sprintf("fe80::%x", card.Key)
			if g.IpAddress == "" {
				g.IpAddress = v4
			}
			network := ""
			if b, ok := card.Backing.(*types.VirtualEthernetCardNetworkBackingInfo); ok {
				network = b.DeviceName
			}
			g.Net = append(g.Net, types.GuestNicInfo{
				Network:        network,
				MacAddress:     card.MacAddress,
				Connected:      true,
				DeviceConfigId: card.Key,
				IpAddress:      []string{v4, v6},
				IpConfig: &types.NetIpConfigInfo{IpAddress: []types.NetIpConfigInfoIpAddress{
					{IpAddress: v4, PrefixLength: 24, State: "preferred"},
					{IpAddress: v6, PrefixLength: 64, State: "preferred"},
				}},
			})
		case *types.VirtualDisk:
			capacity := x.CapacityInBytes
			if capacity == 0 {
				capacity = x.CapacityInKB * 1024
			}
			mount := "/"
			if disks > 0 {
				mount = fmt.Sprintf("/srv/disk%d", disks)
			}
			disks++
			g.Disk = append(g.Disk, types.GuestDiskInfo{
				DiskPath:       mount,
				Capacity:       capacity,
				FreeSpace:      capacity / 4 * 3,
				FilesystemType: "ext4",
				Mappings:       []types.GuestInfoVirtualDiskMapping{{Key: x.Key}},
			})
		}
	}
}

// guestHostName is the VM's name as a host name: lower case, other characters as '-'.
func guestHostName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name)
}
