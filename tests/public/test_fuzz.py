"""Fuzz the public pages from the store's OpenAPI schema with schemathesis: every
generated request gets an answer below 500, every form post without our browser
cookie is refused with a 4xx, and nothing in the store changes."""

from __future__ import annotations

import itertools

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from sync.server.public.withdraw import WithdrawalLimits, get_withdrawal_limits
from sync.server.ratelimit import Limit

FUZZ = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PUBLIC = ("/aterkalla", "/widget/")
NO_PARAMETERS = ("/widget/counter.js", "/api/v1/stats")


def test_public_pages_answer_every_generated_request_below_500(public_store):
    from tests.public.conftest import a_record

    roomy = Limit("fuzz", 100_000, 3600)
    public_store.app.dependency_overrides[get_withdrawal_limits] = lambda: WithdrawalLimits(
        roomy, roomy, roomy
    )
    public_store.upload(a_record())
    schema = schemathesis.openapi.from_dict(public_store.app.openapi())
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(PUBLIC) or result.ok().path == "/api/v1/stats"
    ]
    assert len(operations) == 7
    for operation, mode in itertools.product(operations, GenerationMode):
        if mode is GenerationMode.NEGATIVE and operation.path in NO_PARAMETERS:
            continue  # nothing to get wrong

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(base_url=public_store.url, timeout=10)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            if case.method.upper() == "POST":
                assert 400 <= response.status_code < 500, (case.body, response.status_code)

        check()
    assert public_store.held() == 1 and public_store.audited() == []
