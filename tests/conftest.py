"""Shared fixtures: hypothesis profiles and a service desk on a fixed clock."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from aftersales import FixedClock, ServiceDesk
from tests.helpers import START

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile(
    "thorough", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def desk(clock: FixedClock) -> ServiceDesk:
    return ServiceDesk(clock=clock)
