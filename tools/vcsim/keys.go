package main

// This simulator has no PutUsbScanCodes. A host types the key events into the running VM's
// console (each event a USB HID usage, page 7, with the modifier keys held for it) and answers
// how many it typed; a VM that is not powered on gets InvalidPowerState. The launcher does the
// same and, standing in for the guest that would see them, appends each event to the file
// <name>.keys in the VM's directory ("0x0004 leftControl,leftAlt" per line), readable over
// /folder as any datastore file.

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	scanCodesCall = regexp.MustCompile(`<PutUsbScanCodes[\s>][\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)
	keyEvent      = regexp.MustCompile(`<keyEvents[^>]*>([\s\S]*?)</keyEvents>`)
	hidCode       = regexp.MustCompile(`<usbHidCode[^>]*>([^<]*)</usbHidCode>`)
	modifierOn    = regexp.MustCompile(`<(left|right)(Control|Shift|Alt|Gui)[^>]*>(?:true|1)</`)
)

// typeKeys appends the events of a PutUsbScanCodes body to the VM's key file; how many.
func typeKeys(vm *simulator.VirtualMachine, body []byte) (int, error) {
	var lines []string
	for _, ev := range keyEvent.FindAllSubmatch(body, -1) {
		m := hidCode.FindSubmatch(ev[1])
		if m == nil {
			return 0, fmt.Errorf("a key event without usbHidCode")
		}
		code, err := strconv.ParseInt(strings.TrimSpace(string(m[1])), 10, 64)
		if err != nil || code&0xffff != 7 {
			return 0, fmt.Errorf("usbHidCode %q is not a keyboard usage (usage << 16 | 7)", m[1])
		}
		var mods []string
		for _, mod := range modifierOn.FindAllSubmatch(ev[1], -1) {
			mods = append(mods, string(mod[1])+string(mod[2]))
		}
		lines = append(lines, fmt.Sprintf("0x%04x %s", code>>16, strings.Join(mods, ",")))
	}
	var p object.DatastorePath
	if !p.FromString(vm.Config.Files.VmPathName) {
		return 0, fmt.Errorf("no VM directory")
	}
	file, ok := localFile(nil, fmt.Sprintf("[%s] %s", p.Datastore, path.Join(path.Dir(p.Path), vm.Name+".keys")))
	if !ok {
		return 0, fmt.Errorf("no datastore for %s", p.Datastore)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return 0, err
		}
	}
	return len(lines), nil
}

// withScanCodes answers PutUsbScanCodes.
func withScanCodes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		vm := vmOf(scanCodesCall.FindSubmatch(body))
		if vm == nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fault := func(detail string) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, soapEnvelope, `<soapenv:Fault><faultcode>ServerFaultCode</faultcode>`+
				`<faultstring>`+xmlText(detail)+`</faultstring><detail>`+
				`<InvalidArgumentFault xmlns="urn:vim25" xsi:type="InvalidArgument">`+
				`<invalidProperty>spec</invalidProperty></InvalidArgumentFault></detail></soapenv:Fault>`)
		}
		var n int
		var err error
		state := types.VirtualMachinePowerStatePoweredOn
		simulator.Map.WithLock(vm, func() {
			if state = vm.Runtime.PowerState; state == types.VirtualMachinePowerStatePoweredOn {
				n, err = typeKeys(vm, body)
			}
		})
		switch {
		case state != types.VirtualMachinePowerStatePoweredOn:
			notPoweredOn(w, state)
		case err != nil:
			fault(err.Error())
		default:
			fmt.Fprintf(w, soapEnvelope, fmt.Sprintf(`<PutUsbScanCodesResponse xmlns="urn:vim25">`+
				`<returnval>%d</returnval></PutUsbScanCodesResponse>`, n))
		}
	})
}
