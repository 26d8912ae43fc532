"""The examples, and a script written for libvirt-python that runs with only its import line
changed, each as its own process against the simulator."""
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(script, uri, *args):
    out = subprocess.run([sys.executable, str(EXAMPLES / script), uri, *args],
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, ESX_USER="root", ESX_PASSWORD="secret"))
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_libvirt_python_script_runs_unchanged(uri):
    out = run("libvirt_python_script.py", uri)
    assert "ha-host_VM0" in out and "<domain type='vmware'" in out


def test_list_vms(uri):
    assert "ha-host_VM1" in run("list_vms.py", uri)


def test_power_and_dumpxml(uri):
    assert "ha-host_VM0: running" in run("power.py", uri, "ha-host_VM0", "on")
    assert "<name>ha-host_VM0</name>" in run("dumpxml.py", uri, "ha-host_VM0")
