package main

// This simulator's hosts have PCI devices (hardware.pciDevice) but no passthrough: no
// config.pciPassthruInfo, a configManager.pciPassthruSystem that names no object, and no
// pciPassthrough in a config target. A host reports, for each device, whether it can be
// passed through, whether passthrough is enabled and whether it is active (enabling takes
// effect when the host reboots, which summary.rebootRequired then says), and offers a VM
// the active devices with the host's system id. The launcher does the same: bridges cannot
// be passed through, every other device can, and the second Ethernet card (0000:13:00.0)
// starts enabled and active so that VMs can be given one.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// activeDevice is the device passed through from the start.
const activeDevice = "0000:13:00.0"

type pciPassthruSystem struct {
	mo.HostPciPassthruSystem
	host *simulator.HostSystem
}

func addPciPassthru() {
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if h.Hardware == nil || h.Config == nil {
			continue
		}
		var info []types.BaseHostPciPassthruInfo
		for _, d := range h.Hardware.PciDevice {
			capable := uint16(d.ClassId)>>8 != 0x06
			on := d.Id == activeDevice
			info = append(info, &types.HostPciPassthruInfo{
				Id:              d.Id,
				DependentDevice: d.Id,
				PassthruCapable: capable,
				PassthruEnabled: on,
				PassthruActive:  on,
			})
		}
		cfg := *h.Config
		cfg.PciPassthruInfo = info
		h.Config = &cfg
		s := &pciPassthruSystem{host: h}
		s.Self.Type = "HostPciPassthruSystem"
		ref := simulator.Map.Put(s).Reference()
		h.ConfigManager.PciPassthruSystem = &ref
	}
}

func (s *pciPassthruSystem) UpdatePassthruConfig(req *types.UpdatePassthruConfig) soap.HasFault {
	body := &methods.UpdatePassthruConfigBody{}
	var fault types.BaseMethodFault
	var changed []types.BaseHostPciPassthruInfo
	simulator.Map.WithLock(s.host, func() {
		info := make([]types.BaseHostPciPassthruInfo, len(s.host.Config.PciPassthruInfo))
		for i, b := range s.host.Config.PciPassthruInfo {
			copy := *b.GetHostPciPassthruInfo()
			info[i] = &copy
		}
		for _, c := range req.Config {
			want := c.GetHostPciPassthruConfig()
			var dev *types.HostPciPassthruInfo
			for _, b := range info {
				if d := b.GetHostPciPassthruInfo(); d.Id == want.Id {
					dev = d
				}
			}
			if dev == nil {
				fault = &types.InvalidArgument{InvalidProperty: "config.id"}
				return
			}
			if want.PassthruEnabled && !dev.PassthruCapable {
				fault = &types.HostConfigFault{}
				return
			}
			dev.PassthruEnabled = want.PassthruEnabled
		}
		cfg := *s.host.Config
		cfg.PciPassthruInfo = info
		s.host.Config = &cfg
		reboot := false
		for _, b := range info {
			d := b.GetHostPciPassthruInfo()
			reboot = reboot || d.PassthruEnabled != d.PassthruActive
		}
		s.host.Summary.RebootRequired = reboot
		changed = info
	})
	if fault != nil {
		body.Fault_ = simulator.Fault("", fault)
		return body
	}
	simulator.Map.Update(s.host, []types.PropertyChange{
		{Name: "config.pciPassthruInfo", Val: changed},
		{Name: "summary.rebootRequired", Val: s.host.Summary.RebootRequired},
	})
	body.Res = &types.UpdatePassthruConfigResponse{}
	return body
}

// QueryConfigTarget adds, for each host asked about, the devices whose passthrough is active.
func (b *hostConfigOptions) QueryConfigTarget(ctx *simulator.Context, req *types.QueryConfigTarget) soap.HasFault {
	body := b.EnvironmentBrowser.QueryConfigTarget(ctx, req)
	res, ok := body.(*methods.QueryConfigTargetBody)
	if !ok || res.Res == nil || res.Res.Returnval == nil || req.Host == nil {
		return body
	}
	h, ok := simulator.Map.Get(*req.Host).(*simulator.HostSystem)
	if !ok || h.Config == nil || h.Hardware == nil {
		return body
	}
	for _, p := range h.Config.PciPassthruInfo {
		info := p.GetHostPciPassthruInfo()
		if !info.PassthruActive {
			continue
		}
		for _, d := range h.Hardware.PciDevice {
			if d.Id == info.Id {
				res.Res.Returnval.PciPassthrough = append(res.Res.Returnval.PciPassthrough,
					&types.VirtualMachinePciPassthroughInfo{
						VirtualMachineTargetInfo: types.VirtualMachineTargetInfo{Name: d.DeviceName},
						PciDevice:                d,
						SystemId:                 h.Hardware.SystemInfo.Uuid,
					})
			}
		}
	}
	return body
}
