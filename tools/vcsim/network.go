package main

// This simulator's host network system keeps a switch list of its own, apart from the host's
// config.network that clients read; its AddPortGroup refuses names a network of the
// datacenter already has, and it has no UpdatePortGroup. Its hosts share one network
// template, its Networks never list their VMs (`vm`), and its distributed switches name no
// uplink port group. A host edits the config.network it reports, keyed as it keys switches
// and port groups, and refuses removing a port group VMs use; a vCenter lists a network's VMs
// and a switch's uplink port group. All that is done here: every host gets its own network
// config (with two more NICs, one with its link down), shared with its network system, whose
// switch and port group methods edit it.

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type networkSystem struct {
	simulator.HostNetworkSystem
	host *simulator.HostSystem
}

const (
	switchKeyPrefix = "key-vim.host.VirtualSwitch-"
	groupKeyPrefix  = "key-vim.host.PortGroup-"
)

// replaceNetworkSystems gives every host its own network config, with spare NICs, and puts a
// networkSystem that edits it under the host's network system.
func replaceNetworkSystems() {
	for i, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if h.Config == nil || h.Config.Network == nil || h.ConfigManager.NetworkSystem == nil {
			continue
		}
		ns, ok := simulator.Map.Get(*h.ConfigManager.NetworkSystem).(*simulator.HostNetworkSystem)
		if !ok {
			continue
		}
		cfg := *h.Config
		network := *cfg.Network
		network.Vswitch = append([]types.HostVirtualSwitch(nil), network.Vswitch...)
		network.Portgroup = append([]types.HostPortGroup(nil), network.Portgroup...)
		network.Pnic = append([]types.PhysicalNic(nil), network.Pnic...)
		base := len(network.Pnic)
		for n, up := range []bool{false, true} {
			device := fmt.Sprintf("vmnic%d", base+n)
			nic := types.PhysicalNic{
				Key:    "key-vim.host.PhysicalNic-" + device,
				Device: device,
				Pci:    fmt.Sprintf("0000:0c:%02x.0", n),
				Driver: "nvmxnet3",
				Mac:    fmt.Sprintf("00:50:56:%02x:%02x:%02x", 0x10+n, i/256, i%256),
				Spec:   types.PhysicalNicSpec{Ip: &types.HostIpConfig{}},
			}
			if up {
				nic.LinkSpeed = &types.PhysicalNicLinkInfo{SpeedMb: 10000, Duplex: true}
			}
			network.Pnic = append(network.Pnic, nic)
		}
		cfg.Network = &network
		h.Config = &cfg
		copy := *ns
		copy.NetworkInfo = &network
		simulator.Map.Put(&networkSystem{HostNetworkSystem: copy, host: h})
	}
	for _, e := range simulator.Map.All("DistributedVirtualSwitch") {
		nameUplinkPortgroup(e.(*simulator.DistributedVirtualSwitch))
	}
}

// nameUplinkPortgroup records the port group the simulator made for a switch's uplinks
// (named "<switch>-DVUplinks-<n>") as the switch's uplink port group.
func nameUplinkPortgroup(s *simulator.DistributedVirtualSwitch) {
	cfg := s.Config.GetDVSConfigInfo()
	uplinks := s.Name + "-DVUplinks" + strings.TrimPrefix(s.Self.Value, "dvs")
	for _, ref := range s.Portgroup {
		if pg, ok := simulator.Map.Get(ref).(*simulator.DistributedVirtualPortgroup); ok && pg.Name == uplinks {
			cfg.UplinkPortgroup = []types.ManagedObjectReference{pg.Self}
			pg.Config.Uplink = types.NewBool(true)
		}
	}
}

// edit runs f on a copy of the host's network config and, if f succeeds, makes the copy the
// config (so a reader never sees a half-made change).
func (s *networkSystem) edit(f func(n *types.HostNetworkInfo) types.BaseMethodFault) types.BaseMethodFault {
	var fault types.BaseMethodFault
	var changed *types.HostNetworkInfo
	simulator.Map.WithLock(s.host, func() {
		n := *s.NetworkInfo
		n.Vswitch = append([]types.HostVirtualSwitch(nil), n.Vswitch...)
		n.Portgroup = append([]types.HostPortGroup(nil), n.Portgroup...)
		if fault = f(&n); fault == nil {
			cfg := *s.host.Config
			cfg.Network = &n
			s.host.Config = &cfg
			s.NetworkInfo = &n
			changed = &n
		}
	})
	if changed != nil {
		// As a host does, property collectors watching the host's network config hear of it.
		simulator.Map.Update(s.host, []types.PropertyChange{
			{Name: "config.network.vswitch", Val: changed.Vswitch},
			{Name: "config.network.portgroup", Val: changed.Portgroup},
		})
	}
	return fault
}

func findSwitch(n *types.HostNetworkInfo, name string) int {
	for i, sw := range n.Vswitch {
		if sw.Name == name {
			return i
		}
	}
	return -1
}

func findGroup(n *types.HostNetworkInfo, name string) int {
	for i, pg := range n.Portgroup {
		if pg.Spec.Name == name {
			return i
		}
	}
	return -1
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func (s *networkSystem) AddVirtualSwitch(req *types.AddVirtualSwitch) soap.HasFault {
	fault := s.edit(func(n *types.HostNetworkInfo) types.BaseMethodFault {
		if findSwitch(n, req.VswitchName) >= 0 {
			return &types.AlreadyExists{Name: req.VswitchName}
		}
		sw := types.HostVirtualSwitch{
			Name:     req.VswitchName,
			Key:      switchKeyPrefix + req.VswitchName,
			NumPorts: 128,
			Mtu:      1500,
		}
		if req.Spec != nil {
			sw.Spec = *req.Spec
			if req.Spec.NumPorts > 0 {
				sw.NumPorts = req.Spec.NumPorts
			}
			if bond, ok := req.Spec.Bridge.(*types.HostVirtualSwitchBondBridge); ok {
				for _, dev := range bond.NicDevice {
					key, fault := freeNic(n, dev)
					if fault != nil {
						return fault
					}
					sw.Pnic = append(sw.Pnic, key)
				}
			}
		}
		sw.NumPortsAvailable = sw.NumPorts
		n.Vswitch = append(n.Vswitch, sw)
		return nil
	})
	return &methods.AddVirtualSwitchBody{Res: &types.AddVirtualSwitchResponse{}, Fault_: faultOf(fault)}
}

// freeNic is the key of the NIC named dev (by device or key), if no switch has it yet.
func freeNic(n *types.HostNetworkInfo, dev string) (string, types.BaseMethodFault) {
	for _, nic := range n.Pnic {
		if nic.Device != dev && nic.Key != dev {
			continue
		}
		for _, sw := range n.Vswitch {
			for _, used := range sw.Pnic {
				if used == nic.Key {
					return "", &types.ResourceInUse{Type: "PhysicalNic", Name: nic.Device}
				}
			}
		}
		return nic.Key, nil
	}
	return "", &types.NotFound{}
}

func (s *networkSystem) RemoveVirtualSwitch(ctx *simulator.Context, req *types.RemoveVirtualSwitch) soap.HasFault {
	var groups []string
	for _, pg := range s.NetworkInfo.Portgroup {
		if pg.Spec.VswitchName == req.VswitchName {
			groups = append(groups, pg.Spec.Name)
		}
	}
	fault := notInUse(groups...)
	if fault == nil {
		fault = s.edit(func(n *types.HostNetworkInfo) types.BaseMethodFault {
			i := findSwitch(n, req.VswitchName)
			if i < 0 {
				return &types.NotFound{}
			}
			var kept []types.HostPortGroup
			for _, pg := range n.Portgroup {
				if pg.Spec.VswitchName != req.VswitchName {
					kept = append(kept, pg)
				}
			}
			n.Portgroup = kept
			n.Vswitch = append(n.Vswitch[:i], n.Vswitch[i+1:]...)
			return nil
		})
	}
	if fault == nil {
		for _, name := range groups {
			s.dropNetwork(ctx, name)
		}
	}
	return &methods.RemoveVirtualSwitchBody{Res: &types.RemoveVirtualSwitchResponse{}, Fault_: faultOf(fault)}
}

func (s *networkSystem) AddPortGroup(ctx *simulator.Context, req *types.AddPortGroup) soap.HasFault {
	spec := req.Portgrp
	fault := s.edit(func(n *types.HostNetworkInfo) types.BaseMethodFault {
		if spec.Name == "" {
			return &types.InvalidArgument{InvalidProperty: "portgrp.name"}
		}
		if spec.VlanId < 0 || spec.VlanId > 4095 {
			return &types.InvalidArgument{InvalidProperty: "portgrp.vlanId"}
		}
		if findGroup(n, spec.Name) >= 0 {
			return &types.AlreadyExists{Name: spec.Name}
		}
		i := findSwitch(n, spec.VswitchName)
		if i < 0 {
			return &types.NotFound{}
		}
		key := groupKeyPrefix + spec.Name
		sw := n.Vswitch[i]
		sw.Portgroup = append(append([]string(nil), sw.Portgroup...), key)
		n.Vswitch[i] = sw
		n.Portgroup = append(n.Portgroup, types.HostPortGroup{Key: key, Spec: spec, Vswitch: sw.Key})
		return nil
	})
	if fault == nil {
		s.addNetwork(ctx, spec)
	}
	return &methods.AddPortGroupBody{Res: &types.AddPortGroupResponse{}, Fault_: faultOf(fault)}
}

func (s *networkSystem) RemovePortGroup(ctx *simulator.Context, req *types.RemovePortGroup) soap.HasFault {
	fault := notInUse(req.PgName)
	if fault == nil {
		fault = s.edit(func(n *types.HostNetworkInfo) types.BaseMethodFault {
			i := findGroup(n, req.PgName)
			if i < 0 {
				return &types.NotFound{}
			}
			key := n.Portgroup[i].Key
			for j := range n.Vswitch {
				sw := n.Vswitch[j]
				sw.Portgroup = without(sw.Portgroup, key)
				n.Vswitch[j] = sw
			}
			n.Portgroup = append(n.Portgroup[:i], n.Portgroup[i+1:]...)
			return nil
		})
	}
	if fault == nil {
		s.dropNetwork(ctx, req.PgName)
	}
	return &methods.RemovePortGroupBody{Res: &types.RemovePortGroupResponse{}, Fault_: faultOf(fault)}
}

// UpdatePortGroup changes a port group's VLAN and policy; moving it to another switch or
// renaming it, which a host also does, is not needed by the tests and refused.
func (s *networkSystem) UpdatePortGroup(req *types.UpdatePortGroup) soap.HasFault {
	fault := s.edit(func(n *types.HostNetworkInfo) types.BaseMethodFault {
		i := findGroup(n, req.PgName)
		if i < 0 {
			return &types.NotFound{}
		}
		if req.Portgrp.VlanId < 0 || req.Portgrp.VlanId > 4095 {
			return &types.InvalidArgument{InvalidProperty: "portgrp.vlanId"}
		}
		if req.Portgrp.Name != req.PgName || req.Portgrp.VswitchName != n.Portgroup[i].Spec.VswitchName {
			return &types.NotSupported{}
		}
		n.Portgroup[i].Spec = req.Portgrp
		return nil
	})
	return &methods.UpdatePortGroupBody{Res: &types.UpdatePortGroupResponse{}, Fault_: faultOf(fault)}
}

func faultOf(f types.BaseMethodFault) *soap.Fault {
	if f == nil {
		return nil
	}
	return simulator.Fault("", f)
}

func (s *networkSystem) networkFolder() *simulator.Folder {
	dc := simulator.Map.Get(*s.host.Parent)
	for dc != nil {
		if d, ok := dc.(*simulator.Datacenter); ok {
			return simulator.Map.Get(d.NetworkFolder).(*simulator.Folder)
		}
		parent := dc.(mo.Entity).Entity().Parent
		if parent == nil {
			return nil
		}
		dc = simulator.Map.Get(*parent)
	}
	return nil
}

// addNetwork gives a new port group the datacenter network of its name, unless there is one
// (another host's port group of that name): the simulator's own AddPortGroup makes it, run
// against a scratch switch list.
func (s *networkSystem) addNetwork(ctx *simulator.Context, spec types.HostPortGroupSpec) {
	f := s.networkFolder()
	if f == nil || simulator.Map.FindByName(spec.Name, f.ChildEntity) != nil {
		return
	}
	s.scratch(spec.VswitchName, func() {
		s.HostNetworkSystem.AddPortGroup(ctx, &types.AddPortGroup{Portgrp: spec})
	})
}

// dropNetwork removes the datacenter network of a removed port group unless another host
// still has a port group of that name.
func (s *networkSystem) dropNetwork(ctx *simulator.Context, name string) {
	f := s.networkFolder()
	if f == nil || simulator.Map.FindByName(name, f.ChildEntity) == nil {
		return
	}
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if h != s.host && h.Config != nil && h.Config.Network != nil && findGroup(h.Config.Network, name) >= 0 {
			return
		}
	}
	s.scratch("", func() {
		s.NetworkInfo.Vswitch[0].Portgroup = []string{name}
		s.HostNetworkSystem.RemovePortGroup(ctx, &types.RemovePortGroup{PgName: name})
	})
}

// scratch runs one of the simulator's own port group methods with a throwaway switch list.
func (s *networkSystem) scratch(vswitch string, f func()) {
	saved := s.NetworkInfo
	s.NetworkInfo = &types.HostNetworkInfo{Vswitch: []types.HostVirtualSwitch{{Name: vswitch}}}
	defer func() { s.NetworkInfo = saved }()
	f()
}

// notInUse refuses port groups whose network a VM's NIC is on, as a host does. It is called
// before the host is locked: a VM is locked when a host's is held elsewhere.
func notInUse(names ...string) types.BaseMethodFault {
	var fault types.BaseMethodFault
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			for _, ref := range vm.Network {
				n, ok := simulator.Map.Get(ref).(mo.Entity)
				for _, name := range names {
					if ok && fault == nil && n.Entity().Name == name {
						fault = &types.ResourceInUse{Type: "Network", Name: name}
					}
				}
			}
		})
	}
	return fault
}

// withNetworkVMs fills in every network's `vm` list before a read that asks for networks.
func withNetworkVMs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, ok := soapBody(w, r); ok && bytes.Contains(body, []byte("RetrieveProperties")) &&
			(bytes.Contains(body, []byte("<type>Network</type>")) || bytes.Contains(body, []byte("<type>DistributedVirtualPortgroup</type>"))) {
			syncNetworkVMs()
		}
		next.ServeHTTP(w, r)
	})
}

func syncNetworkVMs() {
	users := map[types.ManagedObjectReference][]types.ManagedObjectReference{}
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			for _, ref := range vm.Network {
				users[ref] = append(users[ref], vm.Self)
			}
		})
	}
	for _, kind := range []string{"Network", "DistributedVirtualPortgroup"} {
		for _, e := range simulator.Map.All(kind) {
			vms := users[e.Reference()]
			sort.Slice(vms, func(i, j int) bool { return vms[i].Value < vms[j].Value })
			simulator.Map.WithLock(e, func() {
				switch n := e.(type) {
				case *simulator.DistributedVirtualPortgroup:
					n.Vm = vms
				case *mo.Network:
					n.Vm = vms
				}
			})
		}
	}
}
