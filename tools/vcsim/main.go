// Command vcsim-launcher starts govmomi's vSphere simulator (ESX or vCenter mode) on a free
// loopback port for libvirt_esx's tests and demo, patching the gaps a real host does not have.
//
// It prints one line "URL=<sdk url> CA=<ca.pem or ->" and serves until stdin closes (or, with
// -daemon, until it is signalled). Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	mode := flag.String("mode", "esx", "esx or vpx")
	plain := flag.Bool("http", false, "serve plain HTTP instead of HTTPS")
	certDir := flag.String("cert-dir", "", "directory for the generated CA (ca.pem); default a temp dir")
	user := flag.String("user", "", "accept only this user (with -pass); default any non-empty user and password")
	pass := flag.String("pass", "", "password for -user")
	vms := flag.Int("vms", -1, "VMs per host / resource pool (default: the model's)")
	hosts := flag.Int("hosts", -1, "vpx: hosts per cluster (default: the model's)")
	standalone := flag.Int("standalone", -1, "vpx: standalone hosts per datacenter (default: the model's)")
	folder := flag.Int("folder", 0, "vpx: put the datacenter inside this many folders")
	dcs := flag.Int("dc", -1, "vpx: datacenters (default: the model's)")
	clusters := flag.Int("cluster", -1, "vpx: clusters per datacenter (default: the model's)")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (any loopback address)")
	managedBy := flag.String("managed-by", "", "esx: report this IP as the host's managing vCenter")
	hostIP := flag.String("host-ip", "", "vpx: give standalone host DC0_H0 this management IP (found by FindByIp)")
	daemon := flag.Bool("daemon", false, "ignore stdin; serve until signalled (for shell scripts)")
	tools := flag.Bool("tools", false, "VMware Tools run in every powered-on guest and report it (guest.go)")
	sessionTimeout := flag.Duration("session-timeout", 0, "expire sessions idle this long, as a host does after ~30 min (default: never)")
	flag.Parse()

	var model *simulator.Model
	switch *mode {
	case "esx":
		model = simulator.ESX()
	case "vpx":
		model = simulator.VPX()
		if *hosts >= 0 {
			model.ClusterHost = *hosts
		}
		if *standalone >= 0 {
			model.Host = *standalone
		}
		model.Folder = *folder
		if *dcs >= 0 {
			model.Datacenter = *dcs
		}
		if *clusters >= 0 {
			model.Cluster = *clusters
		}
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
	if *vms >= 0 {
		model.Machine = *vms
	}
	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	defer model.Remove()
	defer removeNasDirs()
	patchGaps()
	if *tools {
		runGuestTools()
	}
	addAutoStartManagers(*mode == "esx")
	writeModelVMXs()
	replaceBrowsers()
	replaceEnvironmentBrowsers()
	addEVCModes()
	replaceDiskManager()
	replaceDatastoreSystems()
	if *managedBy != "" {
		for _, e := range simulator.Map.All("HostSystem") {
			e.(*simulator.HostSystem).Summary.ManagementServerIp = *managedBy
		}
	}
	if *hostIP != "" {
		for _, e := range simulator.Map.All("HostSystem") {
			if h := e.(*simulator.HostSystem); h.Name == "DC0_H0" {
				setHostIP(h, *hostIP)
			}
		}
	}
	// After setHostIP, which gives a host a config of its own that this must share.
	replaceNetworkSystems()
	addPciPassthru()

	model.Service.Listen = &url.URL{Host: *listen}
	if *user != "" {
		model.Service.Listen.User = url.UserPassword(*user, *pass)
	}
	caPath := "-"
	if !*plain {
		dir := *certDir
		if dir == "" {
			d, err := os.MkdirTemp("", "vcsim-ca-")
			if err != nil {
				log.Fatal(err)
			}
			defer os.RemoveAll(d)
			dir = d
		}
		cfg, path, err := tlsConfig(dir)
		if err != nil {
			log.Fatal(err)
		}
		model.Service.TLS = cfg
		caPath = path
	}
	simulator.SessionIdleTimeout = *sessionTimeout
	server := model.Service.NewServer()
	defer server.Close()
	// No request has been served yet: the URL is printed below.
	server.Config.Handler = withEventLockOrder(withChildDisks(withHostXsiType(withGuestEvents(withScanCodes(withScreenshots(withVMXRewrite(withNetworkVMs(withRefreshAnswer(withSnapshotRules(withRelocateLists(withRegisterFromVMX(withVMXCompanions(server.Config.Handler)))))))))))))

	u := *server.URL
	u.User = nil
	fmt.Printf("URL=%s CA=%s\n", u.String(), caPath)
	os.Stdout.Sync()

	done := make(chan struct{})
	if !*daemon {
		go func() {
			io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			close(done)
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-done:
	case <-sig:
	}
}

// patchGaps fills in what this simulator version leaves empty but a real host reports.
func patchGaps() {
	// Every simulator has the same instance UUID; real vCenters each have their own.
	si := simulator.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance)
	id := make([]byte, 16)
	if _, err := rand.Read(id); err == nil {
		si.Content.About.InstanceUuid = fmt.Sprintf("%x-%x-%x-%x-%x", id[0:4], id[4:6], id[6:8], id[8:10], id[10:])
	}
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if h.Capability == nil {
			h.Capability = &types.HostCapability{}
		}
		h.Capability.MaxSupportedVcpus = 128
		h.Capability.MaxRunningVMs = 1024
		h.Capability.MaxSupportedVMs = 1024
	}
	for _, e := range simulator.Map.All("Datastore") {
		mountOnAllHosts(e.(*simulator.Datastore))
	}
}

// mountOnAllHosts lists every host that has the datastore in its `host` property, each with a
// mount path. In vCenter mode each host creates its own copy of a shared local datastore and
// the last copy, naming only the last host, is the one the inventory keeps.
func mountOnAllHosts(ds *simulator.Datastore) {
	var mounts []types.DatastoreHostMount
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		if !hasRef(h.Datastore, ds.Self) {
			continue
		}
		mounts = append(mounts, types.DatastoreHostMount{
			Key: h.Self,
			MountInfo: types.HostMountInfo{
				Path:       "/vmfs/volumes/" + ds.Name,
				AccessMode: string(types.HostMountModeReadWrite),
				Mounted:    types.NewBool(true),
				Accessible: types.NewBool(true),
			},
		})
	}
	sort.Slice(mounts, func(i, j int) bool { return mounts[i].Key.Value < mounts[j].Key.Value })
	ds.Host = mounts
}

// setHostIP gives a host its own copy of the network config with a new management address;
// the model's hosts share one template, so it must not be changed in place.
func setHostIP(h *simulator.HostSystem, ip string) {
	if h.Config == nil || h.Config.Network == nil {
		return
	}
	cfg := *h.Config
	network := *cfg.Network
	network.Vnic = append([]types.HostVirtualNic(nil), network.Vnic...)
	for i := range network.Vnic {
		spec := network.Vnic[i].Spec
		if spec.Ip != nil {
			ipCfg := *spec.Ip
			ipCfg.IpAddress = ip
			spec.Ip = &ipCfg
		}
		network.Vnic[i].Spec = spec
	}
	cfg.Network = &network
	h.Config = &cfg
}

// tlsConfig makes a CA and a leaf certificate for 127.0.0.1/localhost signed by it, and writes
// the CA to dir/ca.pem: rustls refuses a self-signed CA certificate used as the server's own.
func tlsConfig(dir string) (*tls.Config, string, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "libvirt_esx test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, "", err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(2),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		return nil, "", err
	}
	cert := tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}
	return &tls.Config{Certificates: []tls.Certificate{cert}}, path, nil
}
