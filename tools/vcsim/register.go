package main

// This simulator's RegisterVM_Task does not read the .vmx it registers: the new VM gets a
// random UUID, 32 MB and one vCPU. A real host takes them from the file. After a successful
// RegisterVM_Task call, the registered VM's identity and sizing are set from its .vmx, and
// the file's libvirt_esx.* entries become the VM's extraConfig, as a host lists them.

import (
	"bufio"
	"bytes"
	"io"
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
	registerPath = regexp.MustCompile(`<RegisterVM_Task[\s\S]*?<path[^>]*>([^<]*)</path>`)
	registerName = regexp.MustCompile(`<RegisterVM_Task[\s\S]*?<name[^>]*>([^<]*)</name>`)
)

// soapBody reads a SOAP call's body and puts it back for the handler; false for other
// requests, and for a body that cannot be read (the handler then answers as it would).
func soapBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/sdk") {
		return nil, false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err == nil
}

// withRegisterFromVMX wraps the server's handler: RegisterVM_Task calls get the VMX applied.
func withRegisterFromVMX(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := soapBody(w, r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		m := registerPath.FindSubmatch(body)
		if n := registerName.FindSubmatch(body); m != nil && n != nil {
			namedNVRAM(xmlUnescape(string(m[1])), xmlUnescape(string(n[1])))
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if m != nil && rec.status == http.StatusOK {
			applyVMX(xmlUnescape(string(m[1])))
		}
	})
}

// namedNVRAM makes the <name>.nvram this simulator's RegisterVM_Task opens for the name it
// is given, beside the .vmx at dsPath (a host makes its own). The upload's companions are
// named after the .vmx file, the name's datastore-item escaping, which differs from the name
// itself for a name with `%` (escaped as vSphere stores names) or non-ASCII characters.
func namedNVRAM(dsPath, name string) {
	var p object.DatastorePath
	dir := ""
	if p.FromString(dsPath) {
		dir = datastoreDir("", p.Datastore)
	}
	if dir == "" || name == "" || strings.ContainsAny(name, "/\\") {
		return
	}
	touch(path.Join(dir, path.Dir(p.Path), name+".nvram"))
}

func xmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace(s)
}

// applyVMX sets uuid, memory, vCPUs and guest of the VM registered at dsPath from its .vmx.
func applyVMX(dsPath string) {
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return
	}
	keys := readVMX(datastoreDir("", p.Datastore), p.Path)
	if keys == nil {
		return
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		if vm.Config == nil || vm.Config.Files.VmPathName != dsPath {
			continue
		}
		simulator.Map.WithLock(vm, func() {
			if u, ok := vmxUUIDToAPI(keys["uuid.bios"]); ok {
				vm.Config.Uuid = u
				vm.Summary.Config.Uuid = u
			}
			if mb, err := strconv.Atoi(keys["memsize"]); err == nil && mb > 0 {
				vm.Config.Hardware.MemoryMB = int32(mb)
				vm.Summary.Config.MemorySizeMB = int32(mb)
			}
			if n, err := strconv.Atoi(keys["numvcpus"]); err == nil && n > 0 {
				vm.Config.Hardware.NumCPU = int32(n)
				vm.Summary.Config.NumCpu = int32(n)
			}
			for k, v := range keys {
				if strings.HasPrefix(k, "libvirt_esx.") {
					vm.Config.ExtraConfig = append(vm.Config.ExtraConfig, &types.OptionValue{Key: k, Value: vmxUnescape(v)})
				}
			}
		})
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "config.uuid", Val: vm.Config.Uuid},
			{Name: "config.hardware.memoryMB", Val: vm.Config.Hardware.MemoryMB},
			{Name: "config.hardware.numCPU", Val: vm.Config.Hardware.NumCPU},
		})
	}
}

// readVMX reads a .vmx file's `key = "value"` lines, keys lower-cased.
func readVMX(dsDir, rel string) map[string]string {
	if dsDir == "" {
		return nil
	}
	f, err := os.Open(path.Join(dsDir, rel))
	if err != nil {
		return nil
	}
	defer f.Close()
	keys := map[string]string{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), "=")
		if !ok {
			continue
		}
		keys[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return keys
}

// vmxUnescape reads VMware's |XX escapes.
func vmxUnescape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '|' && i+2 < len(v) {
			if n, err := strconv.ParseUint(v[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// vmxUUIDToAPI turns VMware's `xx xx … xx-xx … xx` into the API's dashed form.
func vmxUUIDToAPI(v string) (string, bool) {
	hex := strings.NewReplacer(" ", "", "-", "").Replace(v)
	if len(hex) != 32 {
		return "", false
	}
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], true
}
