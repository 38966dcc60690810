"""Looking at the database file without changing it, before SQLite replays its WAL.

SQLite replays the write-ahead log (`-wal`) when the first connection
opens a database after a crash, and stops at the first frame whose
checksum is wrong: every frame after it is dropped, committed or not,
and the log is deleted when that connection closes. A few damaged bytes
in the middle of the log would so silently lose signatures that were
thanked for. `check_wal` reads the log itself (the format is in
https://www.sqlite.org/fileformat2.html#walformat) and says whether
committed work lies beyond a damaged frame; the kiosk then refuses to
open the file and leaves every byte as it was.

A torn last write (a crash in the middle of writing a transaction that
never committed) is normal: it has no commit frame after the damage,
and SQLite's replay is exactly right for it.

This module uses plain sqlite3, no SQLAlchemy: the app reads its
settings through `read_only` before Qt starts.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WAL_HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
WAL_VERSION = 3007000
# The magic number's lowest bit says in which byte order checksums are computed.
CHECKSUM_ORDER = {0x377F0682: "<", 0x377F0683: ">"}
_MASK = 0xFFFFFFFF


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum (fileformat2 §4.1), continued from (s0, s1)."""
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    pairs = iter(words)
    for first, second in zip(pairs, pairs, strict=True):
        s0 = (s0 + first + s1) & _MASK
        s1 = (s1 + second + s0) & _MASK
    return s0, s1


@dataclass(frozen=True)
class WalReport:
    """What SQLite will make of a `-wal` file."""

    replayed_commits: int = 0  # transactions SQLite will replay
    lost_commits: int = 0  # committed transactions after a damaged frame: dropped on replay

    @property
    def damaged(self) -> bool:
        return self.lost_commits > 0


@dataclass(frozen=True)
class _Header:
    order: str
    page_size: int
    salts: bytes
    checksum: tuple[int, int]
    valid: bool


def _header(data: bytes) -> _Header | None:
    if len(data) < WAL_HEADER_SIZE:
        return None
    magic, version, page_size = struct.unpack(">III", data[:12])
    order = CHECKSUM_ORDER.get(magic)
    if page_size == 1:  # fileformat2: 1 means 65536
        page_size = 65536
    sane_size = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    if order is None or not sane_size:
        return None
    stored = struct.unpack(">II", data[24:32])
    valid = version == WAL_VERSION and _checksum(data[:24], order, 0, 0) == stored
    return _Header(order, page_size, data[16:24], stored, valid)


def analyse_wal(data: bytes) -> WalReport:
    """Replay `data` (a whole `-wal` file) as SQLite would, and look past where it stops.

    Past the first bad frame each frame is checked against the checksum
    stored in the frame before it: a frame that fits is one SQLite really
    wrote. When such a frame has the log's salts (written since the log
    last restarted, not left over from before) and ends a transaction,
    a committed transaction will be dropped.
    """
    header = _header(data)
    if header is None:
        return WalReport()
    frame_size = FRAME_HEADER_SIZE + header.page_size
    count = (len(data) - WAL_HEADER_SIZE) // frame_size
    starts = range(WAL_HEADER_SIZE, WAL_HEADER_SIZE + count * frame_size, frame_size)
    frames = [data[start : start + frame_size] for start in starts]
    replayed = 0
    first_bad = 0 if not header.valid else None
    running = header.checksum
    for index, frame in enumerate(frames if header.valid else ()):
        page, commit = struct.unpack(">II", frame[:8])
        running = _checksum(frame[:8] + frame[FRAME_HEADER_SIZE:], header.order, *running)
        stored = struct.unpack(">II", frame[16:24])
        if page == 0 or frame[8:16] != header.salts or running != stored:
            first_bad = index
            break
        replayed += commit != 0
    if first_bad is None:
        return WalReport(replayed_commits=replayed)
    lost = 0
    for index in range(first_bad + 1, count):
        frame, before = frames[index], frames[index - 1]
        page, commit = struct.unpack(">II", frame[:8])
        if commit == 0 or page == 0 or (header.valid and frame[8:16] != header.salts):
            continue
        seed = struct.unpack(">II", before[16:24])
        expected = _checksum(frame[:8] + frame[FRAME_HEADER_SIZE:], header.order, *seed)
        lost += expected == struct.unpack(">II", frame[16:24])
    return WalReport(replayed_commits=replayed, lost_commits=lost)


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def shm_path(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def check_wal(path: Path) -> WalReport:
    """What opening the database at `path` would do with its `-wal` file.

    Damage is reported only when two reads of the log agree: a log that
    changed in between is being written by a running kiosk, which keeps
    its own index of the frames and never replays the file from scratch.
    """
    try:
        first = wal_path(path).read_bytes()
    except FileNotFoundError:
        return WalReport()
    report = analyse_wal(first)
    if report.damaged and wal_path(path).read_bytes() != first:
        return WalReport(replayed_commits=report.replayed_commits)
    return report


def _uri(path: Path, flag: str) -> str:
    return f"file:{urllib.parse.quote(str(path))}?{flag}"


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that changes nothing on disk and creates no side file.

    `mode=ro` alone is not enough: reading a WAL-mode file creates `-wal`
    and `-shm` files and leaves them behind. Without committed frames in
    a `-wal`, `immutable=1` reads the main file and creates nothing. With
    them and a `-shm` (a running kiosk, or a crash), SQLite must read the
    log through the existing side files (`mode=ro`). With a log but no
    `-shm`, nothing has the file open: a copy in a temporary folder is
    read instead, so not even a `-shm` appears beside the original.
    Call `check_wal` first: a damaged log must not be opened at all.
    """
    if check_wal(path).replayed_commits == 0:
        connection = sqlite3.connect(_uri(path, "immutable=1"), uri=True)
    elif shm_path(path).exists():
        connection = sqlite3.connect(_uri(path, "mode=ro"), uri=True)
    else:
        with tempfile.TemporaryDirectory(prefix="klimatavtal-peek-") as folder:
            copy = Path(folder) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal_path(path), wal_path(copy))
            connection = sqlite3.connect(copy)
            try:
                yield connection
            finally:
                connection.close()
        return
    try:
        yield connection
    finally:
        connection.close()
