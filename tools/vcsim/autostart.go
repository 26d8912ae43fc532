package main

// Each host's configManager.autoStartManager names an object this simulator never creates;
// virDomainGetAutostart/SetAutostart read its `config` and call ReconfigureAutostart on it.

import (
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// autoStartManager is one host's HostAutoStartManager. The embedded mo type comes first:
// the simulator's property collector reads properties from it.
type autoStartManager struct {
	mo.HostAutoStartManager

	host *simulator.HostSystem
}

// addAutoStartManagers registers a manager per host. ESX keeps its fixed moref; in vCenter
// mode every host gets its own, as the model's hosts share the ESX template's reference.
func addAutoStartManagers(esxMode bool) {
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		m := &autoStartManager{host: h}
		m.Self = types.ManagedObjectReference{Type: "HostAutoStartManager", Value: "ha-autostart-mgr"}
		if !esxMode {
			m.Self.Value = "autostartmgr-" + h.Self.Value
		}
		if h.Config != nil && h.Config.AutoStart != nil {
			m.Config = *h.Config.AutoStart
		}
		if m.Config.Defaults == nil {
			m.Config.Defaults = &types.AutoStartDefaults{StartDelay: 120, StopDelay: 120, StopAction: "PowerOff"}
		}
		simulator.Map.Put(m)
		ref := m.Self
		h.ConfigManager.AutoStartManager = &ref
		m.publish()
	}
}

// ReconfigureAutostart applies an incremental change, as vSphere does: default settings
// that are given replace the current ones, power info entries replace the entry of the same
// VM, and an entry with startAction "none" and startOrder -1 drops the VM from the list.
func (m *autoStartManager) ReconfigureAutostart(ctx *simulator.Context, req *types.ReconfigureAutostart) soap.HasFault {
	body := &methods.ReconfigureAutostartBody{}
	if fault := m.validate(req.Spec.PowerInfo); fault != nil {
		body.Fault_ = simulator.Fault("", fault)
		return body
	}
	if d := req.Spec.Defaults; d != nil {
		m.mergeDefaults(d)
	}
	for _, info := range req.Spec.PowerInfo {
		m.mergePowerInfo(info)
	}
	m.publish()
	body.Res = &types.ReconfigureAutostartResponse{}
	return body
}

// validate refuses entries for VMs that are not on this host and unknown actions.
func (m *autoStartManager) validate(infos []types.AutoStartPowerInfo) types.BaseMethodFault {
	for _, info := range infos {
		if !hasRef(m.host.Vm, info.Key) {
			return &types.InvalidArgument{InvalidProperty: "powerInfo.key"}
		}
		if !oneOf(info.StartAction, "none", "powerOn", "") {
			return &types.InvalidArgument{InvalidProperty: "powerInfo.startAction"}
		}
		if !oneOf(info.StopAction, "none", "systemDefault", "powerOff", "suspend", "guestShutdown", "") {
			return &types.InvalidArgument{InvalidProperty: "powerInfo.stopAction"}
		}
	}
	return nil
}

// mergeDefaults takes every default the request sets; absent ones stay as they are.
func (m *autoStartManager) mergeDefaults(d *types.AutoStartDefaults) {
	cur := *m.Config.Defaults
	if d.Enabled != nil {
		cur.Enabled = d.Enabled
	}
	if d.StartDelay != 0 {
		cur.StartDelay = d.StartDelay
	}
	if d.StopDelay != 0 {
		cur.StopDelay = d.StopDelay
	}
	if d.WaitForHeartbeat != nil {
		cur.WaitForHeartbeat = d.WaitForHeartbeat
	}
	if d.StopAction != "" {
		cur.StopAction = d.StopAction
	}
	m.Config.Defaults = &cur
}

func (m *autoStartManager) mergePowerInfo(info types.AutoStartPowerInfo) {
	kept := m.Config.PowerInfo[:0:0]
	for _, p := range m.Config.PowerInfo {
		if p.Key != info.Key {
			kept = append(kept, p)
		}
	}
	if !(strings.EqualFold(info.StartAction, "none") && info.StartOrder == -1) {
		kept = append(kept, info)
	}
	m.Config.PowerInfo = kept
}

// publish mirrors the configuration into the host's config.autoStart, which reports the same.
func (m *autoStartManager) publish() {
	if m.host.Config == nil {
		return
	}
	cfg := m.Config
	m.host.Config.AutoStart = &cfg
}

func hasRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) bool {
	for _, r := range refs {
		if r == ref {
			return true
		}
	}
	return false
}

// oneOf compares case-insensitively: ESX answers "PowerOn" and accepts "powerOn".
func oneOf(s string, allowed ...string) bool {
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			return true
		}
	}
	return false
}
