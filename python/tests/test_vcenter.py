"""A vCenter (simulator with two datacenters at $VCSIM_VPX_ADDR): scopes from the URI path and
migration between them, each checked through a second connection."""
import os

import pytest

import libvirt_esx as libvirt
from conftest import AUTH

ADDR = os.environ.get("VCSIM_VPX_ADDR", "")


def vpx(path):
    if not ADDR:
        pytest.skip("VCSIM_VPX_ADDR is not set (tools/test.sh starts the simulator)")
    return libvirt.openAuth("vpx://%s%s?no_verify=1" % (ADDR, path), AUTH, 0)


def names(conn):
    return sorted(d.name() for d in conn.listAllDomains(0))


def test_a_datacenter_scope_lists_its_vms_only():
    with vpx("/DC1") as dc1, vpx("/") as whole:
        before = dc1.esxRoundTrips()
        listed = names(dc1)
        assert dc1.esxRoundTrips() - before == 1
        assert listed and all(n.startswith("DC1_") for n in listed)
        assert set(listed) < set(names(whole))
        info = dc1.getInfo()
        assert info[1] > 0 and info[2] > 0
        with pytest.raises(libvirt.libvirtError) as e:
            dc1.getSysinfo(0)
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT


def test_migrate_to_a_cluster_and_back_peer_to_peer():
    with vpx("/") as src, vpx("/DC0/DC0_C0") as cluster, vpx("/DC0/DC0_H0") as host:
        dom = src.lookupByName("DC0_H0_VM0")
        moved = dom.migrate(cluster, libvirt.VIR_MIGRATE_LIVE)
        assert moved.name() == "DC0_H0_VM0" and moved.connect() is cluster
        assert "DC0_H0_VM0" in names(cluster) and "DC0_H0_VM0" not in names(host)
        uri = "vpx://%s/DC0/DC0_H0?no_verify=1" % ADDR
        assert dom.migrateToURI(uri, libvirt.VIR_MIGRATE_PEER2PEER) == 0
        assert "DC0_H0_VM0" in names(host)
        with pytest.raises(libvirt.libvirtError) as e:
            dom.migrate3(cluster, {libvirt.VIR_MIGRATE_PARAM_DEST_NAME: "renamed"}, 0)
        assert "Renaming" in e.value.get_error_message()
        with pytest.raises(libvirt.libvirtError) as e:
            dom.migrate(cluster, libvirt.VIR_MIGRATE_TUNNELLED)
        assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
        assert "VIR_MIGRATE_TUNNELLED" in e.value.get_error_message()
        with pytest.raises(libvirt.libvirtError) as e:
            dom.migrateToURI(uri, 0)
        assert "PEER2PEER" in e.value.get_error_message()
        del moved, dom


def test_no_job_runs_on_an_idle_domain():
    with vpx("/DC1") as dc1:
        dom = dc1.lookupByName("DC1_H0_VM1")
        info = dom.jobInfo()
        assert len(info) == 12 and info[0] == libvirt.VIR_DOMAIN_JOB_NONE
        assert dom.jobStats() == {"type": libvirt.VIR_DOMAIN_JOB_NONE}
        with pytest.raises(libvirt.libvirtError) as e:
            dom.abortJob()
        assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
        with pytest.raises(libvirt.libvirtError) as e:
            dom.abortJobFlags()
        assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
        with pytest.raises(libvirt.libvirtError) as e:
            dom.abortJobFlags(libvirt.VIR_DOMAIN_ABORT_JOB_POSTCOPY)
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
        del dom


def test_cpu_models_are_evc_modes():
    with vpx("/DC0/DC0_C0") as cluster:
        check_evc(cluster)


def check_evc(vpx):
    models = vpx.getCPUModelNames("x86_64")
    assert "intel-ivybridge" in models and "amd-zen" in models
    cpu = "<cpu><model>%s</model></cpu>"
    assert vpx.compareHypervisorCPU(None, None, None, None, cpu % "intel-penryn") == \
        libvirt.VIR_CPU_COMPARE_SUPERSET
    assert vpx.compareHypervisorCPU(None, None, None, None, cpu % "intel-skylake") == \
        libvirt.VIR_CPU_COMPARE_INCOMPATIBLE
    with pytest.raises(libvirt.libvirtError) as e:
        vpx.compareHypervisorCPU(None, None, None, None, cpu % "intel-skylake",
                                 libvirt.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_CPU_INCOMPATIBLE
    base = vpx.baselineHypervisorCPU(None, "x86_64", None, "vmware",
                                     [cpu % "intel-haswell", cpu % "intel-nehalem"])
    assert "<model fallback='forbid'>intel-nehalem</model>" in base
