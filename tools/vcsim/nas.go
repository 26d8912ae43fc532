package main

// This simulator's CreateNasDatastore takes `localPath` for a directory of the local disk that
// must already exist (a host takes it for the new datastore's name and mounts the share under
// /vmfs/volumes/<name>), gives the new datastore no host mount and the plain datastore
// browser, and it has no RemoveDatastore. The datastore systems are replaced by ones that
// back a new NAS datastore with a fresh temporary directory named as asked, mount it on their
// host, and remove datastores: refused while VMs live on one (ResourceInUse), as a host does.

import (
	"os"
	"path/filepath"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type nasDatastoreSystem struct {
	simulator.HostDatastoreSystem
}

// replaceDatastoreSystems puts a nasDatastoreSystem under every host's datastore system.
func replaceDatastoreSystems() {
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if h.ConfigManager.DatastoreSystem == nil {
			continue
		}
		if dss, ok := simulator.Map.Get(*h.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem); ok {
			simulator.Map.Put(&nasDatastoreSystem{HostDatastoreSystem: *dss})
		}
	}
}

// nasDirs are the directories backing NAS datastores, removed when the launcher ends.
var nasDirs []string

func removeNasDirs() {
	for _, d := range nasDirs {
		_ = os.RemoveAll(filepath.Dir(d))
	}
}

func (dss *nasDatastoreSystem) CreateNasDatastore(ctx *simulator.Context, req *types.CreateNasDatastore) soap.HasFault {
	parent, err := os.MkdirTemp("", "vcsim-nas-")
	if err != nil {
		return &methods.CreateNasDatastoreBody{Fault_: simulator.Fault(err.Error(), &types.HostConfigFault{})}
	}
	dir := filepath.Join(parent, filepath.Base(req.Spec.LocalPath))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return &methods.CreateNasDatastoreBody{Fault_: simulator.Fault(err.Error(), &types.HostConfigFault{})}
	}
	nasDirs = append(nasDirs, dir)
	spec := *req
	spec.Spec.LocalPath = dir
	body := dss.HostDatastoreSystem.CreateNasDatastore(ctx, &spec)
	if res, ok := body.(*methods.CreateNasDatastoreBody); ok && res.Res != nil {
		if ds, ok := simulator.Map.Get(res.Res.Returnval).(*simulator.Datastore); ok {
			mountOnAllHosts(ds)
			for _, e := range simulator.Map.All("HostSystem") {
				if h := e.(*simulator.HostSystem); hasRef(h.Datastore, ds.Self) {
					announceDatastores(h)
				}
			}
			if b, ok := simulator.Map.Get(ds.Browser).(*simulator.HostDatastoreBrowser); ok {
				simulator.Map.Put(&diskAwareBrowser{HostDatastoreBrowser: *b})
			}
		}
	}
	return body
}

// RemoveDatastore unmounts a datastore from every host that has it and forgets it.
func (dss *nasDatastoreSystem) RemoveDatastore(ctx *simulator.Context, req *types.RemoveDatastore) soap.HasFault {
	body := &methods.RemoveDatastoreBody{}
	ds, ok := simulator.Map.Get(req.Datastore).(*simulator.Datastore)
	if !ok {
		body.Fault_ = simulator.Fault("", &types.ManagedObjectNotFound{Obj: req.Datastore})
		return body
	}
	if len(ds.Vm) > 0 {
		body.Fault_ = simulator.Fault("The datastore '"+ds.Name+"' is in use by virtual machines.",
			&types.ResourceInUse{Type: "Datastore", Name: ds.Name})
		return body
	}
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if hasRef(h.Datastore, ds.Self) {
			simulator.Map.RemoveReference(h, &h.Datastore, ds.Self)
			announceDatastores(h)
		}
		if h.ConfigManager.DatastoreSystem == nil {
			continue
		}
		s, ok := simulator.Map.Get(*h.ConfigManager.DatastoreSystem).(*nasDatastoreSystem)
		switch {
		case !ok || !hasRef(s.Datastore, ds.Self):
		case s == dss:
			// The server holds this object's lock during the call: edited in place.
			dss.Datastore = withoutRef(dss.Datastore, ds.Self)
		default:
			simulator.Map.RemoveReference(s, &s.Datastore, ds.Self)
		}
	}
	for _, e := range simulator.Map.All("Folder") {
		f := e.(*simulator.Folder)
		if hasRef(f.ChildEntity, ds.Self) {
			simulator.Map.RemoveReference(f, &f.ChildEntity, ds.Self)
		}
	}
	simulator.Map.Remove(ds.Self)
	body.Res = &types.RemoveDatastoreResponse{}
	return body
}

// announceDatastores tells property collectors of a host's new datastore list, as a host does
// (the server's own reference edits tell none).
func announceDatastores(h *simulator.HostSystem) {
	list := append([]types.ManagedObjectReference(nil), h.Datastore...)
	simulator.Map.Update(h, []types.PropertyChange{{Name: "datastore", Val: list}})
}

func withoutRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	var out []types.ManagedObjectReference
	for _, r := range refs {
		if r != ref {
			out = append(out, r)
		}
	}
	return out
}
