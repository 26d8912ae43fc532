package main

// The model's VMs get empty .vmx files; a real host keeps the VM's configuration there, and
// virDomainGetXMLDesc reads it. This writes what ESX would for the model's devices.

import (
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vmxFile collects `key = "value"` lines in the order they are set.
type vmxFile struct {
	lines []string
}

func (f *vmxFile) set(key string, value interface{}) {
	f.lines = append(f.lines, fmt.Sprintf("%s = \"%s\"", key, vmxEscape(fmt.Sprint(value))))
}

func (f *vmxFile) String() string {
	return strings.Join(f.lines, "\n") + "\n"
}

// vmxEscape writes what a VMX value cannot hold as a host does, VMware's |XX escapes in
// upper-case hex: the escape character itself, the quote that ends the value and control
// characters, so a multi-line annotation stays on one line (|0A) and no value starts a line
// of its own.
func vmxEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '|' || c == '"' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "|%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writeModelVMXs gives every VM of the model a VMX file describing its configuration.
func writeModelVMXs() {
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		modelVMs.Store(vm.Self, true)
		if err := writeVMX(vm); err != nil {
			log.Printf("writing the VMX of %s: %s", vm.Name, err)
		}
		describeDisks(vm)
	}
}

// describeDisks gives the model's disks, which this simulator makes as empty files, the
// descriptor and extent a host keeps for a disk of their capacity, with their UUID.
func describeDisks(vm *simulator.VirtualMachine) {
	for _, d := range object.VirtualDeviceList(vm.Config.Hardware.Device).SelectByType((*types.VirtualDisk)(nil)) {
		disk := d.(*types.VirtualDisk)
		b, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
		if !ok {
			continue
		}
		var p object.DatastorePath
		if !p.FromString(b.FileName) {
			continue
		}
		ds, ok := simulator.Map.FindByName(p.Datastore, vm.Datastore).(*simulator.Datastore)
		if !ok {
			continue
		}
		file := path.Join(ds.Info.GetDatastoreInfo().Url, p.Path)
		if _, err := os.Stat(file); err != nil {
			continue
		}
		if _, described := readDescriptor(file); described {
			continue
		}
		uuid := esxDiskUUID()
		if raw, err := hex.DecodeString(strings.ReplaceAll(b.Uuid, "-", "")); err == nil && len(raw) == 16 {
			uuid = descriptorUUID(raw)
		}
		thin := b.ThinProvisioned != nil && *b.ThinProvisioned
		if err := (descriptor{sectors: disk.CapacityInKB * 2, thin: thin, adapter: "lsilogic", uuid: uuid}).write(file); err != nil {
			log.Printf("describing %s: %s", b.FileName, err)
		}
	}
}

// writeVMX replaces the VM's .vmx file on its datastore with its configuration.
func writeVMX(vm *simulator.VirtualMachine) error {
	var vmxPath object.DatastorePath
	if !vmxPath.FromString(vm.Config.Files.VmPathName) || path.Ext(vmxPath.Path) != ".vmx" {
		return fmt.Errorf("unexpected vmPathName %q", vm.Config.Files.VmPathName)
	}
	ds, ok := simulator.Map.FindByName(vmxPath.Datastore, vm.Datastore).(*simulator.Datastore)
	if !ok {
		return fmt.Errorf("datastore %q not found", vmxPath.Datastore)
	}
	file := path.Join(ds.Info.GetDatastoreInfo().Url, vmxPath.Path)
	return os.WriteFile(file, []byte(vmxOf(vm, vmxPath).String()), 0o600)
}

// vmxOf is the VMX text of a VM whose .vmx lives at vmxPath.
func vmxOf(vm *simulator.VirtualMachine, vmxPath object.DatastorePath) *vmxFile {
	cfg := vm.Config
	f := &vmxFile{}
	f.set(".encoding", "UTF-8")
	f.set("config.version", "8")
	f.set("virtualHW.version", hardwareVersion(cfg.Version))
	f.set("displayName", vm.Name)
	if cfg.Annotation != "" {
		f.set("annotation", cfg.Annotation)
	}
	for _, e := range cfg.ExtraConfig {
		if o := e.GetOptionValue(); o.Key != "govcsim" {
			f.set(o.Key, o.Value)
		}
	}
	f.set("guestOS", vmxGuestOS(cfg.GuestId))
	if uuid, ok := vmxUUID(cfg.Uuid); ok {
		f.set("uuid.bios", uuid)
	}
	f.set("memsize", cfg.Hardware.MemoryMB)
	f.set("numvcpus", cfg.Hardware.NumCPU)
	if cfg.Hardware.NumCoresPerSocket > 1 {
		f.set("cpuid.coresPerSocket", cfg.Hardware.NumCoresPerSocket)
	}
	devices := object.VirtualDeviceList(cfg.Hardware.Device)
	writeControllers(f, devices)
	writeDisks(f, devices, vmxPath)
	writeNICs(f, devices)
	writePassthru(f, devices)
	return f
}

// hardwareVersion turns "vmx-13" into 13; VMs created without a version are version 13.
func hardwareVersion(version string) int {
	if n, err := strconv.Atoi(strings.TrimPrefix(version, "vmx-")); err == nil {
		return n
	}
	return 13
}

// vmxGuestOS spells a vSphere guest id the way VMX files do: "otherGuest64" → "other-64".
func vmxGuestOS(id string) string {
	s := strings.TrimSuffix(strings.Replace(id, "Guest64", "64", 1), "Guest")
	if strings.HasSuffix(s, "64") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "64"), "_") + "-64"
	}
	if s == "" {
		return "other"
	}
	return strings.ToLower(s)
}

// vmxUUID spells a UUID as uuid.bios does: "56 4d … 8a-3f … 01", eight bytes on each side.
func vmxUUID(uuid string) (string, bool) {
	raw, err := hex.DecodeString(strings.ReplaceAll(uuid, "-", ""))
	if err != nil || len(raw) != 16 {
		return "", false
	}
	half := func(b []byte) string {
		parts := make([]string, len(b))
		for i, x := range b {
			parts[i] = fmt.Sprintf("%02x", x)
		}
		return strings.Join(parts, " ")
	}
	return half(raw[:8]) + "-" + half(raw[8:]), true
}

// scsiModels are the VMX names of the SCSI controller device types.
var scsiModels = map[string]string{
	"VirtualLsiLogicController":    "lsilogic",
	"VirtualLsiLogicSASController": "lsisas1068",
	"VirtualBusLogicController":    "buslogic",
	"ParaVirtualSCSIController":    "pvscsi",
}

func writeControllers(f *vmxFile, devices object.VirtualDeviceList) {
	for _, d := range devices.SelectByType((*types.VirtualSCSIController)(nil)) {
		c := d.(types.BaseVirtualSCSIController).GetVirtualSCSIController()
		prefix := fmt.Sprintf("scsi%d", c.BusNumber)
		f.set(prefix+".present", "TRUE")
		if model, ok := scsiModels[typeName(d)]; ok {
			f.set(prefix+".virtualDev", model)
		}
	}
}

// slot is a device's VMX key prefix ("scsi0:1", "ide1:0") from its controller and unit.
func slot(devices object.VirtualDeviceList, d types.BaseVirtualDevice) (string, bool) {
	dev := d.GetVirtualDevice()
	c, ok := devices.FindByKey(dev.ControllerKey).(types.BaseVirtualController)
	if !ok || dev.UnitNumber == nil {
		return "", false
	}
	bus := c.GetVirtualController().BusNumber
	var kind string
	switch c.(type) {
	case types.BaseVirtualSCSIController:
		kind = "scsi"
	case *types.VirtualIDEController:
		kind = "ide"
	case types.BaseVirtualSATAController:
		kind = "sata"
	default:
		return "", false
	}
	return fmt.Sprintf("%s%d:%d", kind, bus, *dev.UnitNumber), true
}

// writeDisks writes hard disks, then CD-ROMs. The model attaches its CD-ROM to the slot
// of the disk, which a real host would refuse, so a slot's first device wins.
func writeDisks(f *vmxFile, devices object.VirtualDeviceList, vmxPath object.DatastorePath) {
	used := map[string]bool{}
	for _, d := range devices.SelectByType((*types.VirtualDisk)(nil)) {
		prefix, ok := slot(devices, d)
		backing, isFile := d.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo)
		if !ok || !isFile || used[prefix] {
			continue
		}
		used[prefix] = true
		f.set(prefix+".present", "TRUE")
		kind := "scsi-hardDisk"
		if !strings.HasPrefix(prefix, "scsi") {
			kind = "ata-hardDisk"
		}
		f.set(prefix+".deviceType", kind)
		f.set(prefix+".fileName", vmxFileName(backing.GetVirtualDeviceFileBackingInfo().FileName, vmxPath))
	}
	for _, d := range devices.SelectByType((*types.VirtualCdrom)(nil)) {
		prefix, ok := slot(devices, d)
		if !ok || used[prefix] {
			continue
		}
		used[prefix] = true
		f.set(prefix+".present", "TRUE")
		if iso, ok := d.GetVirtualDevice().Backing.(*types.VirtualCdromIsoBackingInfo); ok {
			f.set(prefix+".deviceType", "cdrom-image")
			f.set(prefix+".fileName", vmxFileName(iso.FileName, vmxPath))
		} else {
			// The drive of the vSphere client's machine: ESX writes it this way.
			f.set(prefix+".clientDevice", "TRUE")
			f.set(prefix+".deviceType", "cdrom-raw")
			f.set(prefix+".startConnected", "FALSE")
		}
	}
}

// vmxFileName is how ESX names a VM's file: bare when it sits beside the .vmx, else by
// the volume path of its datastore.
func vmxFileName(dsPath string, vmxPath object.DatastorePath) string {
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return dsPath
	}
	if p.Datastore == vmxPath.Datastore && path.Dir(p.Path) == path.Dir(vmxPath.Path) {
		return path.Base(p.Path)
	}
	return path.Join("/vmfs/volumes", p.Datastore, p.Path)
}

// nicModels are the VMX names of the NIC device types.
var nicModels = map[string]string{
	"VirtualE1000":   "e1000",
	"VirtualE1000e":  "e1000e",
	"VirtualVmxnet3": "vmxnet3",
	"VirtualVmxnet2": "vmxnet",
	"VirtualPCNet32": "vlance",
}

func writeNICs(f *vmxFile, devices object.VirtualDeviceList) {
	for i, d := range devices.SelectByType((*types.VirtualEthernetCard)(nil)) {
		nic := d.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
		prefix := fmt.Sprintf("ethernet%d", i)
		f.set(prefix+".present", "TRUE")
		if model, ok := nicModels[typeName(d)]; ok {
			f.set(prefix+".virtualDev", model)
		}
		switch b := nic.Backing.(type) {
		case *types.VirtualEthernetCardNetworkBackingInfo:
			f.set(prefix+".networkName", b.DeviceName)
		case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
			writeDVPort(f, prefix, b.Port)
		}
		writeMAC(f, prefix, nic)
	}
}

// writePassthru writes PCI passthrough devices as ESXi 6.7 and later do: the host address in
// decimal (%05d:%03d:%02d.%d), the ids in hexadecimal and the host's system id.
func writePassthru(f *vmxFile, devices object.VirtualDeviceList) {
	for i, d := range devices.SelectByType((*types.VirtualPCIPassthrough)(nil)) {
		b, ok := d.GetVirtualDevice().Backing.(*types.VirtualPCIPassthroughDeviceBackingInfo)
		if !ok {
			continue
		}
		var domain, bus, slot, function int
		if _, err := fmt.Sscanf(b.Id, "%x:%x:%x.%x", &domain, &bus, &slot, &function); err != nil {
			continue
		}
		prefix := fmt.Sprintf("pciPassthru%d", i)
		f.set(prefix+".present", "TRUE")
		f.set(prefix+".id", fmt.Sprintf("%05d:%03d:%02d.%d", domain, bus, slot, function))
		f.set(prefix+".deviceId", "0x"+b.DeviceId)
		f.set(prefix+".vendorId", fmt.Sprintf("0x%04x", uint16(b.VendorId)))
		f.set(prefix+".systemId", b.SystemId)
	}
}

// writeDVPort writes a distributed port connection. ESX always records all four keys; the
// model connects NICs to a portgroup without a port, which is written as port 0.
func writeDVPort(f *vmxFile, prefix string, port types.DistributedVirtualSwitchPortConnection) {
	if uuid, ok := vmxUUID(port.SwitchUuid); ok {
		f.set(prefix+".dvs.switchId", uuid)
	}
	f.set(prefix+".dvs.portgroupId", port.PortgroupKey)
	portID := "0"
	if _, err := strconv.Atoi(port.PortKey); err == nil {
		portID = port.PortKey
	}
	f.set(prefix+".dvs.portId", portID)
	f.set(prefix+".dvs.connectionId", port.ConnectionCookie)
}

// writeMAC writes the address the way ESX records it: generated by the host (00:0c:29),
// assigned by vCenter ("vpx", 00:50:56:80-bf) or set by the user ("static").
func writeMAC(f *vmxFile, prefix string, nic *types.VirtualEthernetCard) {
	mac := strings.ToLower(nic.MacAddress)
	switch {
	case mac == "":
	case nic.AddressType == string(types.VirtualEthernetCardMacTypeManual):
		f.set(prefix+".addressType", "static")
		f.set(prefix+".address", mac)
	case isVpxMAC(mac):
		f.set(prefix+".addressType", "vpx")
		f.set(prefix+".generatedAddress", mac)
	default:
		f.set(prefix+".addressType", "generated")
		f.set(prefix+".generatedAddress", mac)
	}
}

func isVpxMAC(mac string) bool {
	if !strings.HasPrefix(mac, "00:50:56:") || len(mac) < 11 {
		return false
	}
	b, err := strconv.ParseUint(mac[9:11], 16, 8)
	return err == nil && b >= 0x80 && b <= 0xbf
}

// typeName is a device's vSphere type name ("VirtualE1000").
func typeName(d types.BaseVirtualDevice) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", d), "*types.")
}
