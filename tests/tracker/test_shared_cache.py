"""The invalidation checks of test_caching.py again, through Redis: the cache app servers share.

Redis is asked at TEST_REDIS_URL or REDIS_URL, or redis://127.0.0.1:6379/15 when neither is set.
Without one answering the module is skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import cache

from tests.tracker.test_caching import (  # noqa: F401 - collected here again, through Redis
    test_a_rolled_back_write_leaves_what_was_kept_valid,
    test_a_write_leaves_pages_that_do_not_read_its_model_kept,
    test_a_write_outside_django_is_unseen_until_bump_is_called,
    test_a_write_to_any_models_table_moves_its_generation,
    test_every_kind_of_write_makes_cached_pages_recompute_and_none_stale,
    test_four_analysts_after_a_write_render_the_page_once,
    test_four_requests_missing_together_compute_once,
    test_orm_writes_move_generations_once_the_transaction_commits,
    test_waiters_compute_themselves_after_a_bounded_wait,
    test_waiters_go_on_at_once_when_the_computation_keeps_nothing,
)

# TEST_REDIS_URL lets two runs on one machine use Redis databases of their own.
REDIS_URL = (
    os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
)


def _redis_answers() -> str | None:
    """None when Redis answers a PING, else why not."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"no Redis answers at {REDIS_URL} ({error})"
    return None


@pytest.fixture(autouse=True)
def through_redis(settings):
    import redis

    problem = _redis_answers()
    if problem and os.environ.get("CI"):
        pytest.fail(f"{problem}: CI has a Redis server (.ci/run)")
    if problem:
        pytest.skip(problem)
    # A prefix of this test's own: runs sharing the server never read each other's keys.
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(match=f"{prefix}:*", count=1000):
        server.delete(key)


def test_the_cache_is_redis():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    cache.set("answer", 42)
    assert cache.get("answer") == 42
