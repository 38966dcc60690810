"""A TCP proxy that misbehaves like market wifi, for the sync fault tests.

Between kiosk and store it drops connections (at connect and mid-request),
resets connections in the middle of a response, stalls answers past the
client's timeout, and loses answers after the store has committed. Each
connection draws its faults from its own seeded generator, so a run is
repeatable whatever the thread scheduling; `script` forces the first faults
in order, so a short run is sure to meet each kind.
"""

from __future__ import annotations

import random
import select
import socket
import struct
import threading
import time
from collections import Counter, deque

DROP_AT_CONNECT = "dropped at connect"
DROP_MID_REQUEST = "dropped mid-request"
RESET = "reset mid-response"
LOSE = "answer lost after commit"
STALL = "stalled"
FAULTS = (DROP_AT_CONNECT, DROP_MID_REQUEST, RESET, LOSE, STALL)


class FaultyProxy:
    def __init__(
        self,
        upstream_port: int,
        *,
        seed: int = 2030,
        drop_at_connect: float = 0.08,
        drop_mid_request: float = 0.02,
        reset_mid_response: float = 0.10,
        lose_answer: float = 0.12,
        stall: float = 0.05,
        stall_seconds: float = 1.0,
        script: tuple[str, ...] = (),
    ):
        self.upstream = ("127.0.0.1", upstream_port)
        self.seed = seed
        self.drop_at_connect = drop_at_connect
        self.drop_mid_request = drop_mid_request
        self.reset_mid_response = reset_mid_response
        self.lose_answer = lose_answer
        self.stall = stall
        self.stall_seconds = stall_seconds
        self.faults: Counter[str] = Counter()
        self._script = deque(script)
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultyProxy:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _count(self, fault: str) -> None:
        with self._lock:
            self.faults[fault] += 1

    def _scripted(self, *kinds: str) -> str | None:
        """The next scripted fault, when it is one of `kinds` (taken off the script)."""
        with self._lock:
            if self._script and self._script[0] in kinds:
                return self._script.popleft()
        return None

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._connections += 1
            rng = random.Random(self.seed * 100_003 + self._connections)
            thread = threading.Thread(target=self._relay, args=(client, rng), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _relay(self, client: socket.socket, rng: random.Random) -> None:
        upstream: socket.socket | None = None
        try:
            if self._scripted(DROP_AT_CONNECT) or rng.random() < self.drop_at_connect:
                self._count(DROP_AT_CONNECT)
                return
            upstream = socket.create_connection(self.upstream)
            awaiting_answer = False
            while not self._stop.is_set():
                ready, _, _ = select.select([client, upstream], [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        if self._scripted(DROP_MID_REQUEST) or rng.random() < self.drop_mid_request:
                            self._count(DROP_MID_REQUEST)
                            return
                        upstream.sendall(data)
                        awaiting_answer = True
                        continue
                    if awaiting_answer:  # the first bytes of an answer: the store committed
                        awaiting_answer = False
                        forced = self._scripted(RESET, LOSE, STALL)
                        roll = rng.random()
                        if forced:  # map the scripted fault onto its slice of the roll
                            roll = {
                                RESET: 0.0,
                                LOSE: self.reset_mid_response,
                                STALL: self.reset_mid_response + self.lose_answer,
                            }[forced]
                        if roll < self.reset_mid_response:
                            self._count(RESET)
                            client.sendall(data[: max(1, len(data) // 2)])
                            _reset(client)
                            return
                        roll -= self.reset_mid_response
                        if roll < self.lose_answer:
                            self._count(LOSE)
                            return
                        roll -= self.lose_answer
                        if roll < self.stall:
                            self._count(STALL)
                            time.sleep(self.stall_seconds)
                    client.sendall(data)
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()


def _reset(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN, as a dying access point does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
