// govmomi-list is the scale bench's third party (benches/scale.rs): govmomi's own way to list
// every VM with its state under an inventory path, as one process, for time and peak memory.
//
//	govmomi-list URL [INVENTORY-PATH]    prints the number of VMs listed, then its peak RSS (KiB)
package main

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: govmomi-list URL [INVENTORY-PATH]")
	}
	ctx := context.Background()
	u, err := url.Parse(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		log.Fatal(err)
	}
	container := c.ServiceContent.RootFolder
	if len(os.Args) > 2 && os.Args[2] != "/" {
		ref, err := object.NewSearchIndex(c.Client).FindByInventoryPath(ctx, os.Args[2])
		if err != nil || ref == nil {
			log.Fatalf("%s: not found (%v)", os.Args[2], err)
		}
		container = ref.Reference()
	}
	v, err := view.NewManager(c.Client).CreateContainerView(ctx, container, []string{"VirtualMachine"}, true)
	if err != nil {
		log.Fatal(err)
	}
	var vms []mo.VirtualMachine
	props := []string{"name", "config.uuid", "runtime.powerState"}
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, props, &vms); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(vms))
	fmt.Println(peakRSS())
}

// peakRSS is this process's VmHWM in KiB (the bench's wait cannot tell a child's own peak).
func peakRSS() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "VmHWM:" {
			return f[1]
		}
	}
	log.Fatal("no VmHWM in /proc/self/status")
	return ""
}
