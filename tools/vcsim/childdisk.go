package main

// This simulator has no CreateChildDisk_Task, the virtual disk manager's method (in the
// internal namespace, urn:internalvim25) that makes a linked clone: a child disk whose
// descriptor names its parent and whose own extent holds only what is written to it. A host
// writes a vmfsSparse descriptor (parentCID, parentFileNameHint: the parent's name when it is
// in the same folder, else its /vmfs/volumes path) and a -delta.vmdk extent, and answers with
// a task, and deletes the delta extent with the descriptor. The launcher does the same, the
// extent a sparse file; a missing parent is FileNotFound, an existing child FileAlreadyExists.

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	childDiskCall = regexp.MustCompile(`<CreateChildDisk_Task[\s>]`)
	childField    = func(name string) *regexp.Regexp {
		return regexp.MustCompile(`<` + name + `(?:\s[^>]*)?>([^<]*)</` + name + `>`)
	}
	childNameField  = childField("childName")
	childDCField    = childField("childDatacenter")
	parentNameField = childField("parentName")
	parentDCField   = childField("parentDatacenter")
)

func fieldOf(re *regexp.Regexp, body []byte) string {
	if m := re.FindSubmatch(body); m != nil {
		return xmlUnescape(string(m[1]))
	}
	return ""
}

func datacenterOf(re *regexp.Regexp, body []byte) *types.ManagedObjectReference {
	if v := fieldOf(re, body); v != "" {
		return &types.ManagedObjectReference{Type: "Datacenter", Value: v}
	}
	return nil
}

// createChildDisk writes the child's descriptor and extent.
func createChildDisk(child string, childDC *types.ManagedObjectReference, parent string, parentDC *types.ManagedObjectReference) types.BaseMethodFault {
	parentFile, ok := localFile(parentDC, parent)
	if !ok {
		return &types.FileNotFound{FileFault: types.FileFault{File: parent}}
	}
	d, ok := readDescriptor(parentFile)
	if !ok {
		return &types.FileNotFound{FileFault: types.FileFault{File: parent}}
	}
	childFile, ok := localFile(childDC, child)
	if !ok || !strings.HasSuffix(child, ".vmdk") {
		return &types.InvalidArgument{InvalidProperty: "childName"}
	}
	if _, err := os.Stat(childFile); err == nil {
		return &types.FileAlreadyExists{FileFault: types.FileFault{File: child}}
	}
	var pp, cp object.DatastorePath
	pp.FromString(parent)
	cp.FromString(child)
	hint := "/vmfs/volumes/" + pp.Datastore + "/" + pp.Path
	if pp.Datastore == cp.Datastore && path.Dir(pp.Path) == path.Dir(cp.Path) {
		hint = path.Base(pp.Path)
	}
	delta := strings.TrimSuffix(childFile, ".vmdk") + "-delta.vmdk"
	text := fmt.Sprintf("# Disk DescriptorFile\nversion=1\nencoding=\"UTF-8\"\nCID=fffffffe\n"+
		"parentCID=fffffffe\ncreateType=\"vmfsSparse\"\nparentFileNameHint=\"%s\"\n\n"+
		"# Extent description\nRW %d VMFSSPARSE \"%s\"\n\n# The Disk Data Base\n#DDB\n\n"+
		"ddb.adapterType = \"%s\"\nddb.thinProvisioned = \"1\"\nddb.uuid = \"%s\"\n"+
		"ddb.virtualHWVersion = \"13\"\n",
		hint, d.sectors, filepath.Base(delta), d.adapter, esxDiskUUID())
	if err := os.MkdirAll(filepath.Dir(childFile), 0o700); err != nil {
		return &types.FileFault{File: child}
	}
	if err := os.WriteFile(childFile, []byte(text), 0o600); err != nil {
		return &types.FileFault{File: child}
	}
	if err := os.WriteFile(delta, nil, 0o600); err != nil {
		return &types.FileFault{File: child}
	}
	return nil
}

// withChildDisks answers CreateChildDisk_Task with a task of its own, in the namespace the
// request came in.
func withChildDisks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok || !childDiskCall.Match(body) {
			next.ServeHTTP(w, r)
			return
		}
		si := simulator.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance)
		manager := simulator.Map.Get(*si.Content.VirtualDiskManager)
		child, parent := fieldOf(childNameField, body), fieldOf(parentNameField, body)
		childDC, parentDC := datacenterOf(childDCField, body), datacenterOf(parentDCField, body)
		task := simulator.CreateTask(manager, "createChildDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
			return nil, createChildDisk(child, childDC, parent, parentDC)
		})
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprintf(w, soapEnvelope, `<CreateChildDisk_TaskResponse xmlns="urn:internalvim25">`+
			`<returnval type="Task">`+task.Run().Value+`</returnval></CreateChildDisk_TaskResponse>`)
	})
}

// DeleteVirtualDiskTask removes a child disk as a host does, its descriptor and its delta
// extent (this simulator removes a descriptor and a flat extent only); other disks as before.
func (m *diskManager) DeleteVirtualDiskTask(ctx *simulator.Context, req *types.DeleteVirtualDisk_Task) soap.HasFault {
	file, ok := localFile(req.Datacenter, req.Name)
	text, err := os.ReadFile(file)
	if !ok || err != nil || !strings.Contains(string(text), `createType="vmfsSparse"`) {
		return m.VirtualDiskManager.DeleteVirtualDiskTask(ctx, req)
	}
	task := simulator.CreateTask(m, "deleteVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		for _, f := range []string{file, strings.TrimSuffix(file, ".vmdk") + "-delta.vmdk"} {
			if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
				return nil, &types.FileFault{File: req.Name}
			}
		}
		return nil, nil
	})
	return &methods.DeleteVirtualDisk_TaskBody{
		Res: &types.DeleteVirtualDisk_TaskResponse{Returnval: task.Run()},
	}
}
