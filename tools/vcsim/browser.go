package main

// This simulator's datastore browser leaves VmDiskFileInfo.controllerType empty; libvirt's
// SCSI controller autodetection reads it. The browsers are replaced by one that fills it in
// from the VM whose disk the file is.

import (
	"path"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// diskAwareBrowser embeds the simulator's browser by value: the property collector finds
// the mo type through the first field.
type diskAwareBrowser struct {
	simulator.HostDatastoreBrowser
}

// replaceBrowsers puts a diskAwareBrowser under every datastore's browser reference.
func replaceBrowsers() {
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		if b, ok := simulator.Map.Get(ds.Browser).(*simulator.HostDatastoreBrowser); ok {
			simulator.Map.Put(&diskAwareBrowser{HostDatastoreBrowser: *b})
		}
	}
}

// SearchDatastoreTask searches as the simulator does (the task ends before it returns),
// then completes the disk entries of the result.
func (b *diskAwareBrowser) SearchDatastoreTask(req *types.SearchDatastore_Task) soap.HasFault {
	body := b.HostDatastoreBrowser.SearchDatastoreTask(req)
	if res, ok := body.(*methods.SearchDatastore_TaskBody); ok && res.Res != nil {
		completeSearch(res.Res.Returnval)
	}
	if res, ok := body.(*methods.SearchDatastore_TaskBody); ok && res.Res != nil && wantsControllerType(req.SearchSpec) {
		if task, ok := simulator.Map.Get(res.Res.Returnval).(*simulator.Task); ok {
			if found, ok := task.Info.Result.(types.HostDatastoreBrowserSearchResults); ok {
				addControllerTypes(found)
			}
		}
	}
	return body
}

// wantsControllerType tells whether a search asks for disk details with the controller type.
func wantsControllerType(spec *types.HostDatastoreBrowserSearchSpec) bool {
	if spec == nil {
		return false
	}
	for _, q := range spec.Query {
		if d, ok := q.(*types.VmDiskFileQuery); ok && d.Details != nil && isTrue(d.Details.ControllerType) {
			return true
		}
	}
	return false
}

func isTrue(b *bool) bool {
	return b != nil && *b
}

// addControllerTypes sets the controller type of every disk file some VM uses.
func addControllerTypes(found types.HostDatastoreBrowserSearchResults) {
	for _, f := range found.File {
		disk, ok := f.(*types.VmDiskFileInfo)
		if !ok {
			continue
		}
		var file object.DatastorePath
		if file.FromString(found.FolderPath) {
			file.Path = path.Join(file.Path, disk.Path)
			disk.ControllerType = controllerTypeOf(file)
		}
	}
}

// controllerTypeOf is the type name of the controller of the VM disk backed by the file,
// or "" when no VM uses it.
func controllerTypeOf(want object.DatastorePath) string {
	for _, e := range simulator.Map.All("VirtualMachine") {
		devices := object.VirtualDeviceList(e.(*simulator.VirtualMachine).Config.Hardware.Device)
		for _, d := range devices.SelectByType((*types.VirtualDisk)(nil)) {
			backing, ok := d.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo)
			var have object.DatastorePath
			if !ok || !have.FromString(backing.GetVirtualDeviceFileBackingInfo().FileName) || have != want {
				continue
			}
			if c := devices.FindByKey(d.GetVirtualDevice().ControllerKey); c != nil {
				return typeName(c)
			}
		}
	}
	return ""
}
