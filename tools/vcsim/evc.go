package main

// This simulator reports no EVC modes: the service's capability.supportedEVCMode is empty and
// every host's summary.maxEVCModeKey too. A vCenter (and an ESXi host) lists the modes it
// knows, each vendor's in rising tiers, and each host names the highest its CPU supports. The
// launcher does the same: the Intel and AMD modes of vSphere 8, and for every host the Ivy
// Bridge mode of its Core i7-3615QM.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// hostEVCMode is the highest mode the simulator's hosts' CPU supports.
const hostEVCMode = "intel-ivybridge"

var evcModes = map[string][]string{
	"intel": {"intel-merom", "intel-penryn", "intel-nehalem", "intel-westmere", "intel-sandybridge",
		"intel-ivybridge", "intel-haswell", "intel-broadwell", "intel-skylake", "intel-cascadelake",
		"intel-icelake", "intel-sapphirerapids"},
	"amd": {"amd-rev-e", "amd-rev-f", "amd-greyhound-no3dnow", "amd-greyhound", "amd-bulldozer",
		"amd-piledriver", "amd-steamroller", "amd-zen", "amd-zen2", "amd-zen3", "amd-zen4"},
}

func addEVCModes() {
	si := simulator.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance)
	si.Capability.SupportedEVCMode = nil
	for _, vendor := range []string{"intel", "amd"} {
		for i, key := range evcModes[vendor] {
			si.Capability.SupportedEVCMode = append(si.Capability.SupportedEVCMode, types.EVCMode{
				ElementDescription: types.ElementDescription{
					Description: types.Description{Label: key, Summary: key},
					Key:         key,
				},
				Vendor:     vendor,
				VendorTier: int32(i + 1),
			})
		}
	}
	for _, e := range simulator.Map.All("HostSystem") {
		e.(*simulator.HostSystem).Summary.MaxEVCModeKey = hostEVCMode
	}
}
