"""`styrdok serve`: the register and each document's web page in the browser, built again and
loaded again whenever the source, the template or styrdok.toml is saved.

The recipe: a watcher of the inputs (watch.py: inotify, or a look a second without it), an HTTP
server on a thread of its own (handler.py), one LibreOffice kept warm for the PDFs
(convert/office.py), and the rebuild loop on the main thread (rebuild.py), which is the only one
that writes and which Ctrl-C and SIGTERM interrupt. When it ends, however it ends, the watcher,
the server and its event streams, and LibreOffice are stopped, and the build's own clean-up has
removed its staging folder: nothing is left behind.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator

from styrdok.commands.serve.handler import Site, is_loopback, make_server
from styrdok.commands.serve.live import Live
from styrdok.commands.serve.rebuild import Rebuilder
from styrdok.commands.serve.watch import watch
from styrdok.errors import interruption
from styrdok.project.layout import Project
from styrdok.readers.markdown.source import find_documents


def serve(
    project: Project,
    names: tuple[str, ...],
    host: str,
    port: int,
    say: Callable[[str], None],
    show: Callable[[str], None],
    poll: bool = False,
) -> None:
    """Serve `names` (every document by default) on host:port (0: a free port) until Ctrl-C or
    SIGTERM. `show` gets the address, `say` what is built and what is wrong; `poll` looks for
    changes once a second instead of asking the kernel (inotify)."""
    from styrdok.convert.office import Office

    find_documents(project.source, names)  # an unknown name: the usual message, nothing started
    if not is_loopback(host):
        say(
            f"styrdok: varning: med --host {host} når alla som når den här datorn sidorna, "
            "också utkasten, utan inloggning; utelämna --host för att bara visa dem här"
        )
    live = Live()
    office = Office()
    rebuilder = Rebuilder(project, names, office, live, say)
    server = make_server(host, port, Site(project, names, live, rebuilder.diff))
    watcher = None
    try:
        watcher = watch(project, rebuilder.changed, rebuilder.touched, poll)
        office.start()  # boots while the server starts and the first build loads
        server.start()
        address, port = str(server.server_address[0]), int(server.server_address[1])
        shown = f"[{address}]" if ":" in address else address
        show(f"styrdok serve: http://{shown}:{port}/ (Ctrl-C avslutar)")
        say(
            "styrdok: bygger om och laddar om sidorna när source/, mallen eller styrdok.toml "
            f"sparas ({watcher.kind})"
        )
        watcher.start()
        rebuilder.run()
    except KeyboardInterrupt:  # how serve is ended
        pass
    except Exception as e:  # the interruption turned into another error by a library's clean-up
        found = interruption(e)
        if found is None:
            raise
        if isinstance(found, SystemExit):
            raise found from None
    finally:
        with _signals_ignored():  # a second Ctrl-C does not cut the clean-up short
            if watcher is not None:
                watcher.close()
            live.close()
            server.stop()
            rebuilder.fail_waiting()
            office.close()
        say("styrdok serve: avslutad")


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """Ctrl-C and SIGTERM ignored for a moment. (Holding them back in this thread would not do:
    another thread of serve's can take the signal, and Python then raises it here all the
    same.)"""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
