"""Domain statistics: STATE, BALLOON and VCPU for every domain in one round trip, checked
against the domains' own info read by a second connection; CPU time cumulative; unserved
groups refused with ENFORCE_STATS."""
import pytest

import libvirt_esx as libvirt


def test_all_domain_stats_in_one_round_trip(conn, other):
    groups = (libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_BALLOON
              | libvirt.VIR_DOMAIN_STATS_VCPU)
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
        assert stats["vcpu.current"] == stats["vcpu.maximum"] == info[3]
    running = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE,
                                     libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING)
    assert all(s == {"state.state": libvirt.VIR_DOMAIN_RUNNING, "state.reason": s["state.reason"]}
               for _, s in running)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_BLOCK,
                               libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    # Without ENFORCE_STATS an unserved group is left out.
    assert all(s == {} for _, s in conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_BLOCK))


def test_stats_of_listed_domains(conn):
    doms = conn.listAllDomains(0)[:2]
    records = conn.domainListGetStats(doms, libvirt.VIR_DOMAIN_STATS_BALLOON)
    assert [d.name() for d, _ in records] == [d.name() for d in doms]
    assert all(set(s) == {"balloon.current", "balloon.maximum"} for _, s in records)


def test_cpu_time_is_cumulative(conn):
    dom = conn.lookupByName("ha-host_VM0")
    first = dom.getCPUStats(True)[0]["cpu_time"]
    records = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_CPU_TOTAL)
    assert all(set(s) == {"cpu.time"} for _, s in records)
    assert dict((d.name(), s["cpu.time"]) for d, s in records)["ha-host_VM0"] >= first > 0
    with pytest.raises(libvirt.libvirtError) as e:
        dom.getCPUStats(False)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
