"""Domain statistics: STATE and BALLOON for every domain in one round trip, checked against
the domains' own info read by a second connection; CPU, disk and NIC counters cumulative and
named as the domain XML names the devices; memory and host statistics; unserved groups
refused with ENFORCE_STATS."""
import re
import time

import pytest

import libvirt_esx as libvirt


def test_all_domain_stats_in_one_round_trip(conn, other):
    groups = libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_BALLOON
    before = conn.esxRoundTrips()
    records = conn.getAllDomainStats(groups)
    assert conn.esxRoundTrips() - before == 1
    assert len(records) == len(other.listAllDomains(0)) > 0
    for dom, stats in records:
        theirs = other.lookupByName(dom.name())
        state, reason = theirs.state()
        info = theirs.info()
        assert (stats["state.state"], stats["state.reason"]) == (state, reason)
        assert stats["balloon.maximum"] == info[1] and stats["balloon.current"] == info[2]
        if state == libvirt.VIR_DOMAIN_RUNNING:
            assert stats["balloon.available"] == info[1]
    running = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE,
                                     libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING)
    assert all(s == {"state.state": libvirt.VIR_DOMAIN_RUNNING, "state.reason": s["state.reason"]}
               for _, s in running)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_PERF,
                               libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    # Without ENFORCE_STATS an unserved group is left out.
    assert all(s == {} for _, s in conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_PERF))


def test_stats_of_listed_domains(conn):
    doms = conn.listAllDomains(0)[:2]
    records = conn.domainListGetStats(doms, libvirt.VIR_DOMAIN_STATS_BALLOON)
    assert [d.name() for d, _ in records] == [d.name() for d in doms]
    assert all({"balloon.current", "balloon.maximum"} <= set(s) for _, s in records)


def test_cpu_time_is_cumulative(conn):
    dom = conn.lookupByName("ha-host_VM0")
    stats = dom.getCPUStats(True)[0]
    first = stats["cpu_time"]
    assert stats["user_time"] == max(first - stats["system_time"], 0)
    records = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_CPU_TOTAL)
    assert all(set(s) == {"cpu.time", "cpu.user", "cpu.system"} for _, s in records)
    assert dict((d.name(), s["cpu.time"]) for d, s in records)["ha-host_VM0"] >= first > 0
    with pytest.raises(libvirt.libvirtError) as e:
        dom.getCPUStats(False)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT


def test_devices_are_named_as_the_xml_names_them(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    xml = other.lookupByName("ha-host_VM0").XMLDesc(0)
    macs = re.findall(r"<mac address='([^']+)'", xml)
    targets = re.findall(r"<target dev='([^']+)' bus='scsi'/>", xml)
    files = re.findall(r"<source file='([^']+)'/>", xml)
    [(_, stats)] = conn.domainListGetStats(
        [dom], libvirt.VIR_DOMAIN_STATS_INTERFACE | libvirt.VIR_DOMAIN_STATS_BLOCK
        | libvirt.VIR_DOMAIN_STATS_VCPU)
    assert stats["net.count"] == len(macs) and stats["net.0.name"] == macs[0]
    assert stats["block.0.name"] == targets[0] and stats["block.0.path"] == files[0]
    assert stats["vcpu.0.time"] % 1_000_000 == 0
    time.sleep(1.1)
    rd_req, rd_bytes, wr_req, wr_bytes, errs = dom.blockStats(targets[0])
    assert rd_bytes >= stats["block.0.rd.bytes"] and wr_req >= stats["block.0.wr.reqs"]
    assert errs == -1 and rd_bytes % (20 * 1024) == 0
    assert dom.blockStats(files[0])[1] >= rd_bytes
    assert dom.blockStats("")[1] >= rd_bytes
    flagged = dom.blockStatsFlags(targets[0])
    assert set(flagged) == {"rd_operations", "rd_bytes", "wr_operations", "wr_bytes"}
    assert flagged["rd_bytes"] >= rd_bytes
    net = dom.interfaceStats(macs[0].upper())
    assert net[0] >= stats["net.0.rx.bytes"] and net[5] >= stats["net.0.tx.pkts"]
    for bad in ("sdz", "vnet0"):
        with pytest.raises(libvirt.libvirtError) as e:
            (dom.blockStats if bad == "sdz" else dom.interfaceStats)(bad)
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_memory_and_cpu_time_of_a_running_domain(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    mem = dom.memoryStats()
    assert set(mem) == {"actual", "available", "unused", "rss"}
    assert mem["available"] == other.lookupByName("ha-host_VM0").info()[1]
    cpu_time = dom.info()[4]
    assert cpu_time > 0 and cpu_time % 1_000_000 == 0
    vcpus, _ = dom.vcpus()
    assert all(v[2] % 1_000_000 == 0 for v in vcpus)


def test_host_statistics(conn, other):
    cpu = conn.getCPUStats(libvirt.VIR_NODE_CPU_STATS_ALL_CPUS)
    assert set(cpu) == {"user", "idle"} and cpu["user"] % 1_000_000 == 0
    time.sleep(1.1)
    again = conn.getCPUStats(libvirt.VIR_NODE_CPU_STATS_ALL_CPUS)
    assert again["user"] >= cpu["user"] and again["idle"] >= cpu["idle"]
    assert set(conn.getCPUStats(0)) == {"user", "idle"}
    mem = conn.getMemoryStats(libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS)
    assert mem["total"] >> 10 == other.getInfo()[1]
    assert mem["free"] == other.getFreeMemory() // 1024
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getMemoryStats(0)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getCPUStats(-2)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
