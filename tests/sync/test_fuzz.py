"""Fuzz the central store from its own OpenAPI schema with schemathesis.

Every generated request, fitting the schema or deliberately not, with a
valid token or none, must get an answer below 500. Bounded and
derandomised so the suite stays fast and the same on every run.
"""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from sync.server.app import create_app
from sync.server.settings import Settings
from tests.sync.conftest import ServerThread

FUZZ = settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):  # type: ignore[no-untyped-def]
    from sync.server.devices import add_device

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'central-store.sqlite3'}"
    app = create_app(Settings(database_url=url))
    with app.state.store.session() as session:
        _device, token = add_device(session, name="fuzzer")
        session.commit()
    schema = schemathesis.openapi.from_dict(app.openapi())
    with ServerThread(app) as base_url:
        yield schema, base_url, token


def test_no_request_from_the_schema_gets_a_server_error(fuzzed):
    schema, base_url, token = fuzzed
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation, mode in itertools.product(operations, GenerationMode):
        if mode is GenerationMode.NEGATIVE and operation.method.upper() != "POST":
            continue  # nothing to get wrong in a GET without parameters

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode), authorised=st.booleans())
        def check(case, authorised: bool) -> None:  # type: ignore[no-untyped-def]
            headers = {"Authorization": f"Bearer {token}"} if authorised else {}
            response = case.call(base_url=base_url, headers=headers, timeout=10)
            assert response.status_code < 500, (case.method, case.path, response.text)

        check()
