package main

// This simulator has no RebootGuest, and its ResetVM_Task powers the VM off and on again
// (two power-state changes) and posts no event. A host asks the guest to reboot, or resets
// the VM, without leaving poweredOn (InvalidPowerState unless the VM is on) and logs
// VmGuestRebootEvent or VmResettingEvent. The launcher does the same, posting the events
// through the server's own PostEvent with the caller's session, so that event collectors see
// them as a host's would.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	rebootGuestCall = regexp.MustCompile(`<RebootGuest[\s>][\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)
	resetVMCall     = regexp.MustCompile(`<ResetVM_Task[\s>][\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)
)

const soapEnvelope = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
	`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>`

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func vmOf(m [][]byte) *simulator.VirtualMachine {
	if m == nil {
		return nil
	}
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
	vm, _ := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	return vm
}

// postVMEvent logs an event of `kind` about vm through PostEvent, as the caller of r.
func postVMEvent(next http.Handler, r *http.Request, vm *simulator.VirtualMachine, kind string) {
	em := simulator.Map.EventManager().Reference()
	body := fmt.Sprintf(soapEnvelope, fmt.Sprintf(
		`<PostEvent xmlns="urn:vim25"><_this type="EventManager">%s</_this>`+
			`<eventToPost xsi:type="%s"><key>0</key><chainId>0</chainId><createdTime>%s</createdTime>`+
			`<userName></userName><vm><name>%s</name><vm type="VirtualMachine">%s</vm></vm>`+
			`<template>false</template></eventToPost></PostEvent>`,
		em.Value, kind, time.Now().UTC().Format(time.RFC3339), xmlText(vm.Name), vm.Self.Value))
	post := r.Clone(r.Context())
	post.Body = io.NopCloser(bytes.NewReader([]byte(body)))
	post.ContentLength = int64(len(body))
	_ = recorded(next, post)
}

// notPoweredOn answers with the InvalidPowerState fault a host gives a call that needs the VM
// on.
func notPoweredOn(w http.ResponseWriter, state types.VirtualMachinePowerState) {
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, soapEnvelope, `<soapenv:Fault><faultcode>ServerFaultCode</faultcode>`+
		`<faultstring></faultstring><detail><InvalidPowerStateFault xmlns="urn:vim25" `+
		`xsi:type="InvalidPowerState"><requestedState>poweredOn</requestedState>`+
		`<existingState>`+string(state)+`</existingState>`+
		`</InvalidPowerStateFault></detail></soapenv:Fault>`)
}

func withGuestEvents(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if vm := vmOf(resetVMCall.FindSubmatch(body)); vm != nil {
			if vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
				postVMEvent(next, r, vm, "VmResettingEvent")
			}
			task := simulator.CreateTask(vm, "reset", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
				if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
					return nil, &types.InvalidPowerState{
						RequestedState: types.VirtualMachinePowerStatePoweredOn,
						ExistingState:  vm.Runtime.PowerState,
					}
				}
				return nil, nil
			})
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			fmt.Fprintf(w, soapEnvelope, `<ResetVM_TaskResponse xmlns="urn:vim25"><returnval type="Task">`+
				task.Run().Value+`</returnval></ResetVM_TaskResponse>`)
			return
		}
		vm := vmOf(rebootGuestCall.FindSubmatch(body))
		if vm == nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
			notPoweredOn(w, vm.Runtime.PowerState)
			return
		}
		postVMEvent(next, r, vm, "VmGuestRebootEvent")
		fmt.Fprintf(w, soapEnvelope, `<RebootGuestResponse xmlns="urn:vim25"></RebootGuestResponse>`)
	})
}
