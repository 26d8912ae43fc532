"""Fixtures for the package's tests: the simulator at $VCSIM_ADDR (ESX mode, started by
tools/test.sh), connections opened the libvirt-python way, and a leak check on every test."""
import gc
import os

import pytest

import libvirt_esx as libvirt

ADDR = os.environ.get("VCSIM_ADDR", "")


def answer(creds, opaque):
    """libvirt-python's callback shape: fill credential[4], return 0."""
    for cred in creds:
        cred[4] = "root" if cred[0] == libvirt.VIR_CRED_AUTHNAME else "secret"
    return 0


AUTH = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], answer, None]


@pytest.fixture(scope="session")
def uri():
    if not ADDR:
        pytest.skip("VCSIM_ADDR is not set (tools/test.sh starts the simulator)")
    return "esx://%s/?no_verify=1" % ADDR


@pytest.fixture
def conn(uri):
    c = libvirt.openAuth(uri, AUTH, 0)
    yield c
    if c.c_pointer():
        c.close()


@pytest.fixture
def other(uri):
    """A second, independent connection: the server's own view after a change."""
    with libvirt.openAuth(uri, AUTH, 0) as c:
        yield c


@pytest.fixture(autouse=True)
def no_leaked_handles():
    gc.collect()
    before = libvirt.esxLiveHandles()
    yield
    gc.collect()
    assert libvirt.esxLiveHandles() == before, "a test left connection or domain handles alive"
