"""The browser tests' shared parts: Debian's Chromium, the seeded live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracker.seeding import load_seed_folder

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
APT = "apt-get install chromium chromium-driver"


def require(*needed: tuple[Path, str]) -> None:
    """Skip the module when a tool is missing; fail instead in CI (REQUIRE_BROWSER=1)."""
    for path, how in ((CHROMIUM, APT), (CHROMEDRIVER, APT), *needed):
        if not path.exists():
            if os.environ.get("REQUIRE_BROWSER") == "1":
                raise RuntimeError(f"REQUIRE_BROWSER=1 but {path} is missing ({how})")
            pytest.skip(f"needs {path} ({how})", allow_module_level=True)


def chromium(tmp_path: Path, size: tuple[int, int]):
    """Headless Chromium that reaches nothing but the test server."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={size[0]},{size[1]}",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(15)
    return driver


@pytest.fixture
def seeded_server(live_server, transactional_db, django_db_serialized_rollback):
    """The live server with the project's seeds; the serialized rollback restores what the
    migrations put in the database (the Editors group) for the tests that run after this one."""
    load_seed_folder(SEEDS)
    return live_server
