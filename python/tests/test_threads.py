"""Eight threads share one connection: calls release the GIL and the library is thread-safe."""
import threading

import libvirt_esx as libvirt


def test_eight_threads_share_a_connection(conn):
    errors, results = [], []

    def work():
        try:
            for _ in range(5):
                doms = conn.listAllDomains(0)
                results.append(sorted((d.name(), d.info()[0]) for d in doms))
                assert conn.getInfo()[2] > 0
        except Exception as e:  # reported below, with the thread's error
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 40 and all(r == results[0] for r in results)
    assert libvirt.esxLiveHandles() >= 1
