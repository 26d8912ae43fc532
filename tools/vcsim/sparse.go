package main

// Hosted VMDKs: one file holding a sparse extent and its descriptor (monolithicSparse, what
// `qemu-img convert -O vmdk` and VMware Workstation write). A host's datastore browser lists
// one as a disk with its capacity and backing type VirtualDiskSparseVer2BackingInfo, and
// CopyVirtualDisk_Task converts it into a host disk of the kind its destSpec asks for, thin
// or preallocated; a stream-optimized (compressed) one it does not convert. This simulator
// knows none of it; the launcher reads the sparse header and grain tables as a host does.

import (
	"encoding/binary"
	"io"
	"os"
	"path"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// sparseHeader is the sparse extent's header (the fields the conversion needs).
type sparseHeader struct {
	capacity, grainSize uint64 // sectors
	gtesPerGT           uint32
	gdOffset            uint64 // sectors
	compressed          bool
}

const sparseMagic = 0x564d444b // "KDMV"

// readSparseHeader reads the header of a hosted sparse VMDK; false for any other file.
func readSparseHeader(f io.ReaderAt) (sparseHeader, bool) {
	b := make([]byte, 80)
	if _, err := f.ReadAt(b, 0); err != nil || binary.LittleEndian.Uint32(b) != sparseMagic {
		return sparseHeader{}, false
	}
	h := sparseHeader{
		capacity:   binary.LittleEndian.Uint64(b[12:]),
		grainSize:  binary.LittleEndian.Uint64(b[20:]),
		gtesPerGT:  binary.LittleEndian.Uint32(b[44:]),
		gdOffset:   binary.LittleEndian.Uint64(b[56:]),
		compressed: binary.LittleEndian.Uint32(b[8:])&(1<<16) != 0,
	}
	ok := h.grainSize > 0 && h.grainSize <= 1<<16 && h.gtesPerGT > 0 && h.gtesPerGT <= 1<<16 && h.capacity < 1<<40
	return h, ok
}

func sparseFileHeader(file string) (sparseHeader, bool) {
	f, err := os.Open(file)
	if err != nil {
		return sparseHeader{}, false
	}
	defer f.Close()
	return readSparseHeader(f)
}

// unpackSparse writes the sparse extent's data into a flat extent of its capacity.
func unpackSparse(src *os.File, h sparseHeader, flat string) error {
	out, err := os.OpenFile(flat, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	size := int64(h.capacity) * 512
	if err := out.Truncate(size); err != nil {
		return err
	}
	grainBytes := int64(h.grainSize) * 512
	perGT := uint64(h.gtesPerGT)
	grains := (h.capacity + h.grainSize - 1) / h.grainSize
	tables := (grains + perGT - 1) / perGT
	gd := make([]byte, tables*4)
	if _, err := src.ReadAt(gd, int64(h.gdOffset)*512); err != nil {
		return err
	}
	gt := make([]byte, perGT*4)
	grain := make([]byte, grainBytes)
	for t := uint64(0); t < tables; t++ {
		at := binary.LittleEndian.Uint32(gd[t*4:])
		if at == 0 {
			continue
		}
		if _, err := src.ReadAt(gt, int64(at)*512); err != nil {
			return err
		}
		for e := uint64(0); e < perGT && t*perGT+e < grains; e++ {
			sector := binary.LittleEndian.Uint32(gt[e*4:])
			if sector <= 1 { // unallocated, or a zeroed grain
				continue
			}
			if _, err := src.ReadAt(grain, int64(sector)*512); err != nil && err != io.EOF {
				return err
			}
			offset := int64(t*perGT+e) * grainBytes
			n := grainBytes
			if offset+n > size {
				n = size - offset
			}
			if _, err := out.WriteAt(grain[:n], offset); err != nil {
				return err
			}
		}
	}
	return nil
}

// convertSparse makes the disk dest (a host descriptor and flat extent) of the hosted sparse
// VMDK source.
func convertSparse(source, dest string, spec types.BaseVirtualDiskSpec) types.BaseMethodFault {
	src, err := os.Open(source)
	if err != nil {
		return &types.FileNotFound{FileFault: types.FileFault{File: source}}
	}
	defer src.Close()
	h, _ := readSparseHeader(src)
	if h.compressed {
		return &types.InvalidArgument{InvalidProperty: "sourceName"}
	}
	if _, err := os.Stat(dest); err == nil {
		return &types.FileAlreadyExists{FileFault: types.FileFault{File: path.Base(dest)}}
	}
	thin, adapter := false, "lsilogic"
	if spec != nil {
		s := spec.GetVirtualDiskSpec()
		thin = s.DiskType == "thin"
		if s.AdapterType != "" && s.AdapterType != "lsiLogic" {
			adapter = s.AdapterType
		}
	}
	if err := unpackSparse(src, h, flatOf(dest)); err != nil {
		return &types.FileFault{File: path.Base(dest)}
	}
	d := descriptor{sectors: int64(h.capacity), thin: thin, adapter: adapter, uuid: esxDiskUUID()}
	if err := d.write(dest); err != nil {
		return &types.FileFault{File: path.Base(dest)}
	}
	return nil
}

// CopyVirtualDiskTask converts a hosted sparse VMDK, and otherwise copies as the simulator
// does; the copy gets a UUID of its own and the provisioning its destSpec asks for.
func (m *diskManager) CopyVirtualDiskTask(ctx *simulator.Context, req *types.CopyVirtualDisk_Task) soap.HasFault {
	source, okSource := localFile(req.SourceDatacenter, req.SourceName)
	dest, okDest := localFile(req.DestDatacenter, req.DestName)
	if _, sparse := sparseFileHeader(source); okSource && okDest && sparse {
		task := simulator.CreateTask(m, "copyVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
			return nil, convertSparse(source, dest, req.DestSpec)
		})
		return &methods.CopyVirtualDisk_TaskBody{Res: &types.CopyVirtualDisk_TaskResponse{Returnval: task.Run()}}
	}
	body := m.VirtualDiskManager.CopyVirtualDiskTask(ctx, req)
	if okDest && succeeded(body) {
		if d, ok := readDescriptor(dest); ok {
			d.uuid = esxDiskUUID()
			if req.DestSpec != nil {
				d.thin = req.DestSpec.GetVirtualDiskSpec().DiskType == "thin"
			}
			_ = d.write(dest)
		}
	}
	return body
}

// describeSparse completes a browser's entry for a hosted sparse VMDK as a host lists it.
func describeSparse(disk *types.VmDiskFileInfo, file string) bool {
	h, ok := sparseFileHeader(file)
	if !ok {
		return false
	}
	disk.CapacityKb = int64(h.capacity) / 2
	disk.DiskType = "VirtualDiskSparseVer2BackingInfo"
	disk.Thin = types.NewBool(true)
	if info, err := os.Stat(file); err == nil {
		disk.FileSize = info.Size()
	}
	return true
}
