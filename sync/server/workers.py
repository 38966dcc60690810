"""`serve --workers N` on Linux: each worker listens on a socket of its own.

uvicorn's supervisor hands every worker the one listening socket. When a burst
of kiosks connects, the worker whose event loop wakes first accepts the whole
burst, and kiosks keep their connection: bench_sync_scaleout found one worker
serving all 20 kiosks while the other idled, so two workers were no faster
than one. With SO_REUSEPORT each worker has its own socket on the same port
and the kernel spreads new connections across them.
"""

from __future__ import annotations

import socket
import sys

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def spreads_connections() -> bool:
    """Only Linux spreads connections across SO_REUSEPORT sockets."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class SpreadWorkers(Multiprocess):
    """uvicorn's supervisor, but every worker it starts (at first, on a restart,
    after a crash) gets a new socket of its own; the supervisor closes its copy
    once the worker has it, so a dead worker's socket takes no more connections."""

    def __init__(self, config: Config) -> None:
        # A port some other program holds fails here, as without --workers; the
        # probe is closed before the workers' sockets are bound.
        config.bind_socket().close()
        self._handed: list[socket.socket] = []
        super().__init__(config, sockets=[])

    @property
    def sockets(self) -> list[socket.socket]:
        sock = _listening_socket(self.config.host, self.config.port)
        self._handed.append(sock)
        return [sock]

    @sockets.setter
    def sockets(self, _value: list[socket.socket]) -> None:
        """uvicorn's __init__ stores the shared sockets; there are none."""

    def _close_handed(self) -> None:
        while self._handed:
            self._handed.pop().close()

    def init_processes(self) -> None:
        super().init_processes()
        self._close_handed()

    def restart_all(self) -> None:
        super().restart_all()
        self._close_handed()

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        self._close_handed()

    def handle_ttin(self) -> None:
        super().handle_ttin()
        self._close_handed()
