"""Twenty kiosks, each its own process, syncing into PostgreSQL at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.paths import database_path
from kiosk.store import open_store
from sync.server.app import create_app
from sync.server.models import StoredSignature
from sync.server.settings import Settings
from tests.sync.conftest import LiveStore, ServerThread, enrolled
from tests.sync.fill import fill_pending

KIOSKS = 20
PER_KIOSK = 1_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.postgres
def test_twenty_kiosks_at_once_into_postgresql(fresh_postgres_url, tmp_path):
    app = create_app(Settings(database_url=fresh_postgres_url))
    go = tmp_path / "go"
    with ServerThread(app) as url:
        live = LiveStore(url=url, database_url=fresh_postgres_url, central=app.state.store)
        template = tmp_path / "template"
        open_store(template).close()  # migrated once, copied for every kiosk
        # Processes start first: their imports overlap with filling their folders.
        kiosks = []
        for index in range(KIOSKS):
            data_dir = tmp_path / f"kiosk-{index}"
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.sync.kiosk_process", str(data_dir), str(go)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            kiosks.append((data_dir, process))
        for index, (data_dir, _process) in enumerate(kiosks):
            data_dir.mkdir()
            shutil.copy(database_path(template), database_path(data_dir))
            store = open_store(data_dir)
            fill_pending(store, count=PER_KIOSK, seed=index)
            enrolled(store, live, f"kiosk-{index}")
            store.close()
            (data_dir / "prepared").touch()
        started = time.monotonic()
        while not all((d / "ready").exists() for d, _ in kiosks):
            assert all(p.poll() is None for _, p in kiosks), [p.communicate() for _, p in kiosks]
            assert time.monotonic() < started + 90, "kiosks did not get ready"
            time.sleep(0.05)
        go.touch()  # all twenty start syncing at the same moment
        results = [(process.wait(timeout=120), process.communicate()[0]) for _, process in kiosks]
        assert [code for code, _ in results] == [0] * KIOSKS, results
        with live.central.session() as session:
            rows = session.scalar(select(func.count()).select_from(StoredSignature))
            distinct = session.scalar(select(func.count(func.distinct(StoredSignature.id))))
            per_device = set(
                session.scalars(
                    select(func.count())
                    .select_from(StoredSignature)
                    .group_by(StoredSignature.device_id)
                )
            )
    assert rows == distinct == KIOSKS * PER_KIOSK
    assert per_device == {PER_KIOSK}
