package main

// This simulator's virtual disk manager writes two empty files for a new disk, remembers no
// capacity, has no ExtendVirtualDisk_Task or ZeroFillVirtualDisk_Task, and answers QueryVirtualDiskUuid with a UUID of
// the file's local path; its datastore browser lists disks without their capacity. An ESX host
// writes a descriptor naming a flat extent of the disk's size, keeps the disk's UUID in the
// descriptor (`60 00 C2 …`), grows and zero-fills disks, and lists each disk with its capacity, thinness and
// the extent's allocated size. The disk manager and the browsers are replaced by ones that do
// so; flat extents are sparse files, so large disks cost no space.

import (
	"crypto/rand"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type diskManager struct {
	simulator.VirtualDiskManager
}

func replaceDiskManager() {
	si := simulator.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance)
	if si.Content.VirtualDiskManager == nil {
		return
	}
	if m, ok := simulator.Map.Get(*si.Content.VirtualDiskManager).(*simulator.VirtualDiskManager); ok {
		simulator.Map.Put(&diskManager{VirtualDiskManager: *m})
	}
}

// localFile is the file behind "[ds] dir/x.vmdk" in datacenter dc (the only one when nil).
func localFile(dc *types.ManagedObjectReference, name string) (string, bool) {
	var p object.DatastorePath
	if !p.FromString(name) {
		return "", false
	}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		if ds.Name != p.Datastore || (dc != nil && !inDatacenter(ds, *dc)) {
			continue
		}
		return filepath.Join(ds.Info.GetDatastoreInfo().Url, p.Path), true
	}
	return "", false
}

// inDatacenter tells whether the datacenter's datastore folder holds ds.
func inDatacenter(ds *simulator.Datastore, dc types.ManagedObjectReference) bool {
	d, ok := simulator.Map.Get(dc).(*simulator.Datacenter)
	if !ok {
		return false
	}
	f, ok := simulator.Map.Get(d.DatastoreFolder).(*simulator.Folder)
	return ok && hasRef(f.ChildEntity, ds.Self)
}

func flatOf(file string) string {
	return strings.Replace(file, ".vmdk", "-flat.vmdk", 1)
}

// esxDiskUUID is a new disk UUID in the descriptor's spelling.
func esxDiskUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[0], b[1], b[2] = 0x60, 0x00, 0xc2
	return descriptorUUID(b)
}

// descriptorUUID spells 16 bytes as a descriptor's ddb.uuid: "60 00 c2 … -… ".
func descriptorUUID(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts[:8], " ") + "-" + strings.Join(parts[8:], " ")
}

type descriptor struct {
	sectors int64
	thin    bool
	adapter string
	uuid    string
}

var (
	extentLine = regexp.MustCompile(`(?m)^RW (\d+) VMFS(?:SPARSE)? "`)
	ddbLine    = regexp.MustCompile(`(?m)^ddb\.(\w+) = "([^"]*)"`)
)

func readDescriptor(file string) (descriptor, bool) {
	text, err := os.ReadFile(file)
	if err != nil {
		return descriptor{}, false
	}
	m := extentLine.FindSubmatch(text)
	if m == nil {
		return descriptor{}, false
	}
	d := descriptor{}
	d.sectors, _ = strconv.ParseInt(string(m[1]), 10, 64)
	for _, kv := range ddbLine.FindAllSubmatch(text, -1) {
		switch string(kv[1]) {
		case "thinProvisioned":
			d.thin = string(kv[2]) == "1"
		case "adapterType":
			d.adapter = string(kv[2])
		case "uuid":
			d.uuid = string(kv[2])
		}
	}
	return d, true
}

func (d descriptor) write(file string) error {
	thin := "0"
	if d.thin {
		thin = "1"
	}
	text := fmt.Sprintf("# Disk DescriptorFile\nversion=1\nencoding=\"UTF-8\"\nCID=fffffffe\n"+
		"parentCID=ffffffff\ncreateType=\"vmfs\"\n\n# Extent description\nRW %d VMFS \"%s\"\n\n"+
		"# The Disk Data Base\n#DDB\n\nddb.adapterType = \"%s\"\nddb.thinProvisioned = \"%s\"\n"+
		"ddb.uuid = \"%s\"\nddb.virtualHWVersion = \"13\"\n",
		d.sectors, path.Base(flatOf(file)), d.adapter, thin, d.uuid)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		return err
	}
	return os.Truncate(flatOf(file), d.sectors*512)
}

// CreateVirtualDiskTask creates the files as the simulator does, then gives them a descriptor
// and an extent of the requested size.
func (m *diskManager) CreateVirtualDiskTask(ctx *simulator.Context, req *types.CreateVirtualDisk_Task) soap.HasFault {
	body := m.VirtualDiskManager.CreateVirtualDiskTask(ctx, req)
	spec, ok := req.Spec.(*types.FileBackedVirtualDiskSpec)
	file, found := localFile(req.Datacenter, req.Name)
	if ok && found && succeeded(body) {
		adapter := spec.AdapterType
		if adapter == "lsiLogic" || adapter == "" {
			adapter = "lsilogic"
		}
		_ = descriptor{sectors: spec.CapacityKb * 2, thin: spec.DiskType == "thin", adapter: adapter, uuid: esxDiskUUID()}.write(file)
	}
	return body
}

// QueryVirtualDiskUuid answers with the descriptor's UUID, as a host does.
func (m *diskManager) QueryVirtualDiskUuid(ctx *simulator.Context, req *types.QueryVirtualDiskUuid) soap.HasFault {
	if file, ok := localFile(req.Datacenter, req.Name); ok {
		if d, ok := readDescriptor(file); ok && d.uuid != "" {
			return &methods.QueryVirtualDiskUuidBody{Res: &types.QueryVirtualDiskUuidResponse{Returnval: d.uuid}}
		}
	}
	return m.VirtualDiskManager.QueryVirtualDiskUuid(ctx, req)
}

// diskAt is the local file and descriptor of the disk "[ds] path" in datacenter dc, or the
// fault a host answers with when there is none.
func diskAt(dc *types.ManagedObjectReference, name string) (string, descriptor, types.BaseMethodFault) {
	file, ok := localFile(dc, name)
	if !ok {
		return "", descriptor{}, &types.InvalidDatastorePath{DatastorePath: name}
	}
	d, ok := readDescriptor(file)
	if !ok {
		return "", descriptor{}, &types.FileNotFound{FileFault: types.FileFault{File: name}}
	}
	return file, d, nil
}

// ExtendVirtualDiskTask grows a disk's extent and descriptor; a smaller size is refused.
func (m *diskManager) ExtendVirtualDiskTask(ctx *simulator.Context, req *types.ExtendVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "extendVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		file, d, fault := diskAt(req.Datacenter, req.Name)
		if fault != nil {
			return nil, fault
		}
		if req.NewCapacityKb*2 < d.sectors {
			return nil, &types.InvalidArgument{InvalidProperty: "newCapacityKb"}
		}
		d.sectors = req.NewCapacityKb * 2
		if err := d.write(file); err != nil {
			return nil, &types.CannotAccessFile{FileFault: types.FileFault{File: req.Name}}
		}
		return nil, nil
	})
	return &methods.ExtendVirtualDisk_TaskBody{Res: &types.ExtendVirtualDisk_TaskResponse{Returnval: task.Run()}}
}

// ZeroFillVirtualDiskTask zeroes a disk's extent (a sparse file of the same size).
func (m *diskManager) ZeroFillVirtualDiskTask(ctx *simulator.Context, req *types.ZeroFillVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "zeroFillVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		file, d, fault := diskAt(req.Datacenter, req.Name)
		if fault != nil {
			return nil, fault
		}
		if os.Truncate(flatOf(file), 0) != nil || os.Truncate(flatOf(file), d.sectors*512) != nil {
			return nil, &types.CannotAccessFile{FileFault: types.FileFault{File: req.Name}}
		}
		return nil, nil
	})
	return &methods.ZeroFillVirtualDisk_TaskBody{Res: &types.ZeroFillVirtualDisk_TaskResponse{Returnval: task.Run()}}
}

func succeeded(body soap.HasFault) bool {
	var ref types.ManagedObjectReference
	switch b := body.(type) {
	case *methods.CreateVirtualDisk_TaskBody:
		ref = b.Res.Returnval
	case *methods.CopyVirtualDisk_TaskBody:
		ref = b.Res.Returnval
	default:
		return false
	}
	t, ok := simulator.Map.Get(ref).(*simulator.Task)
	return ok && t.Info.State == types.TaskInfoStateSuccess
}

// allocated is the space a file takes on disk (its blocks, not its length).
func allocated(file string) int64 {
	var st syscall.Stat_t
	if syscall.Stat(file, &st) != nil {
		return 0
	}
	return st.Blocks * 512
}

// completeDisks gives each disk of a search result its capacity, thinness and the size of its
// extent, and the folder path a host writes (`[ds] dir`, never `[ds]/dir`).
func completeDisks(res *types.HostDatastoreBrowserSearchResults, ds *types.ManagedObjectReference) {
	var folder object.DatastorePath
	if !folder.FromString(res.FolderPath) {
		return
	}
	folder.Path = strings.TrimPrefix(folder.Path, "/")
	res.FolderPath = folder.String()
	dsObj, ok := simulator.Map.Get(*ds).(*simulator.Datastore)
	if !ok {
		return
	}
	for _, f := range res.File {
		disk, ok := f.(*types.VmDiskFileInfo)
		if !ok {
			continue
		}
		file := filepath.Join(dsObj.Info.GetDatastoreInfo().Url, folder.Path, disk.Path)
		if describeSparse(disk, file) {
			continue
		}
		d, ok := readDescriptor(file)
		if !ok {
			continue
		}
		disk.CapacityKb = d.sectors / 2
		disk.Thin = types.NewBool(d.thin)
		if d.thin {
			disk.DiskType = "thin"
			disk.FileSize = allocated(flatOf(file))
		} else {
			disk.DiskType = "preallocated"
			disk.FileSize = d.sectors * 512
		}
	}
}

// completeSearch applies completeDisks to a finished search task's result.
func completeSearch(ref types.ManagedObjectReference) {
	t, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok || t.Info.Entity == nil {
		return
	}
	switch r := t.Info.Result.(type) {
	case types.HostDatastoreBrowserSearchResults:
		completeDisks(&r, t.Info.Entity)
		t.Info.Result = r
	case types.ArrayOfHostDatastoreBrowserSearchResults:
		for i := range r.HostDatastoreBrowserSearchResults {
			completeDisks(&r.HostDatastoreBrowserSearchResults[i], t.Info.Entity)
		}
	}
}

// SearchDatastoreSubFoldersTask searches as the simulator does, then completes the disks.
func (b *diskAwareBrowser) SearchDatastoreSubFoldersTask(req *types.SearchDatastoreSubFolders_Task) soap.HasFault {
	body := b.HostDatastoreBrowser.SearchDatastoreSubFoldersTask(req)
	if res, ok := body.(*methods.SearchDatastoreSubFolders_TaskBody); ok && res.Res != nil {
		completeSearch(res.Res.Returnval)
	}
	return body
}
