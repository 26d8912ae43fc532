package main

// This simulator has no CreateScreenshot_Task. A host writes a PNG of the VM's console into
// the VM's directory (<name>-<n>.png) and returns its datastore path; a VM that is not
// powered on gets InvalidPowerState. The launcher does the same with a small generated image.

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path"
	"regexp"
	"sync/atomic"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	screenshotCall = regexp.MustCompile(`<CreateScreenshot_Task[\s\S]*?<_this[^>]*\stype="VirtualMachine"[^>]*>([^<]*)</_this>`)
	screenshots    atomic.Int64
)

// screenshotPNG is a 4×3 image, distinct per call (its first pixel's red is the call's number).
func screenshotPNG(n int64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := 0; x < 4; x++ {
		for y := 0; y < 3; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 60), G: uint8(y * 80), B: 200, A: 255})
		}
	}
	img.Set(0, 0, color.RGBA{R: uint8(n), A: 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func takeScreenshot(vm *simulator.VirtualMachine) (types.AnyType, types.BaseMethodFault) {
	if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
		return nil, &types.InvalidPowerState{
			RequestedState: types.VirtualMachinePowerStatePoweredOn,
			ExistingState:  vm.Runtime.PowerState,
		}
	}
	var p object.DatastorePath
	if !p.FromString(vm.Config.Files.VmPathName) {
		return nil, &types.FileFault{File: vm.Config.Files.VmPathName}
	}
	n := screenshots.Add(1)
	rel := path.Join(path.Dir(p.Path), fmt.Sprintf("%s-%d.png", vm.Name, n))
	file, ok := localFile(nil, fmt.Sprintf("[%s] %s", p.Datastore, rel))
	if !ok {
		return nil, &types.FileFault{File: rel}
	}
	if err := os.WriteFile(file, screenshotPNG(n), 0o600); err != nil {
		return nil, &types.FileFault{File: rel}
	}
	return fmt.Sprintf("[%s] %s", p.Datastore, rel), nil
}

// withScreenshots answers CreateScreenshot_Task with a task of its own.
func withScreenshots(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		m := screenshotCall.FindSubmatch(body)
		if !ok || m == nil {
			next.ServeHTTP(w, r)
			return
		}
		ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(m[1])}
		vm, _ := simulator.Map.Get(ref).(*simulator.VirtualMachine)
		if vm == nil {
			next.ServeHTTP(w, r) // the server's own fault for an unknown object
			return
		}
		task := simulator.CreateTask(vm, "createScreenshot", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
			return takeScreenshot(vm)
		})
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+
			`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`+
			`<soapenv:Body><CreateScreenshot_TaskResponse xmlns="urn:vim25"><returnval type="Task">%s</returnval>`+
			`</CreateScreenshot_TaskResponse></soapenv:Body></soapenv:Envelope>`, task.Run().Value)
	})
}
