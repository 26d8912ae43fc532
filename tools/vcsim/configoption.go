package main

// This simulator's config options (EnvironmentBrowser.QueryConfigOption[Ex]) name the guest
// ids and little else: no hardware limits, and every guest descriptor's limits, firmware,
// disk controllers and NICs empty. A host answers them for its hardware version. The launcher
// fills them in as an ESXi 6.5 host (vmx-13) does: up to 128 vCPUs and 6,128 GB of memory,
// BIOS for every guest and EFI with Secure Boot for 64-bit ones (EFI only for Windows 11),
// the SCSI, SATA, IDE and NVMe controllers, and the NICs a guest of that kind takes.

import (
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

const (
	maxVcpus    = 128
	maxMemoryMB = 6128 * 1024
)

type hostConfigOptions struct {
	simulator.EnvironmentBrowser
}

// replaceEnvironmentBrowsers puts the launcher's browser in place of each of the simulator's.
func replaceEnvironmentBrowsers() {
	for _, kind := range []string{"ComputeResource", "ClusterComputeResource"} {
		for _, e := range simulator.Map.All(kind) {
			var ref *types.ManagedObjectReference
			switch c := e.(type) {
			case *mo.ComputeResource:
				ref = c.EnvironmentBrowser
			case *simulator.ClusterComputeResource:
				ref = c.EnvironmentBrowser
			}
			if ref == nil {
				continue
			}
			if b, ok := simulator.Map.Get(*ref).(*simulator.EnvironmentBrowser); ok {
				simulator.Map.Put(&hostConfigOptions{EnvironmentBrowser: *b})
			}
		}
	}
}

func (b *hostConfigOptions) QueryConfigOption(req *types.QueryConfigOption) soap.HasFault {
	body := b.EnvironmentBrowser.QueryConfigOption(req)
	if res, ok := body.(*methods.QueryConfigOptionBody); ok && res.Res != nil {
		fillConfigOption(res.Res.Returnval)
	}
	return body
}

func (b *hostConfigOptions) QueryConfigOptionEx(req *types.QueryConfigOptionEx) soap.HasFault {
	body := b.EnvironmentBrowser.QueryConfigOptionEx(req)
	if res, ok := body.(*methods.QueryConfigOptionExBody); ok && res.Res != nil {
		fillConfigOption(res.Res.Returnval)
	}
	return body
}

func fillConfigOption(opt *types.VirtualMachineConfigOption) {
	if opt == nil {
		return
	}
	opt.HardwareOptions.HwVersion = 13
	opt.HardwareOptions.NumCPU = nil
	for n := int32(1); n <= maxVcpus; n *= 2 {
		opt.HardwareOptions.NumCPU = append(opt.HardwareOptions.NumCPU, n)
	}
	opt.HardwareOptions.MemoryMB = types.LongOption{Min: 4, Max: maxMemoryMB, DefaultValue: 1024}
	for i := range opt.GuestOSDescriptor {
		describeGuest(&opt.GuestOSDescriptor[i])
	}
}

// describeGuest gives a guest descriptor the limits and devices a host reports for its kind.
func describeGuest(g *types.GuestOsDescriptor) {
	wide := strings.Contains(g.Id, "64")
	g.FullName = g.Id
	g.SupportedMaxCPUs = maxVcpus
	g.SupportedMinMemMB = 4
	g.SupportedMaxMemMB = maxMemoryMB
	g.RecommendedMemMB = 2048
	g.SupportedDiskControllerList = []string{"VirtualLsiLogicController", "VirtualLsiLogicSASController",
		"ParaVirtualSCSIController", "VirtualBusLogicController", "VirtualAHCIController", "VirtualIDEController"}
	g.RecommendedDiskController = "VirtualLsiLogicSASController"
	g.SupportedEthernetCard = []string{"VirtualE1000", "VirtualE1000e", "VirtualVmxnet3"}
	g.RecommendedEthernetCard = "VirtualVmxnet3"
	g.SupportedFirmware = []string{"bios"}
	g.RecommendedFirmware = "bios"
	g.SupportsSecureBoot = types.NewBool(false)
	if wide {
		g.SupportedDiskControllerList = append(g.SupportedDiskControllerList, "VirtualNVMEController")
		g.SupportedFirmware = append(g.SupportedFirmware, "efi")
		g.SupportsSecureBoot = types.NewBool(true)
	} else {
		g.SupportedMaxCPUs = 32
		g.SupportedMaxMemMB = 64 * 1024
		g.SupportedEthernetCard = append(g.SupportedEthernetCard, "VirtualPCNet32")
	}
	if strings.HasPrefix(g.Id, "windows11") {
		g.SupportedFirmware, g.RecommendedFirmware = []string{"efi"}, "efi"
	}
}
