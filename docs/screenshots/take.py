"""Retake the README's screenshots from a fresh demo, in Debian's Chromium.

    .venv/bin/python docs/screenshots/take.py

Seeds the synthetic demo cohort into a temporary folder, serves it on a free port,
and saves four pictures next to this file: the HJHS entry form with its live totals,
the patient record with the joint map, a parent's emergency bleed report on a phone,
and the alerts inbox where that report arrives.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

HERE = Path(__file__).resolve().parent
HEMOJOINT = Path(sys.executable).with_name("hemojoint")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.db"
        subprocess.run([HEMOJOINT, "demo", "--seed-only", "--db", database], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        port = _free_port()
        server = _serve(database, port)
        try:
            _take_all(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(database: Path, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "HEMOJOINT_MODE": "demo",
        "HEMOJOINT_DATABASE_URL": f"sqlite:///{database}",
        "HEMOJOINT_COOKIE_SECURE": "false",
        "HEMOJOINT_MEDIA_DIR": str(database.with_name("demo-media")),
    }
    server = subprocess.Popen([HEMOJOINT, "serve", "--port", str(port)], env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the demo server did not start")


DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}
KNEE_ITEMS = {"swelling": "2", "swelling_duration": "1", "joint_pain": "1", "flexion_loss": "1"}


def _take_all(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        _clinic(_signed_in(browser.new_page(base_url=base, viewport=DESKTOP), "therapist"))
        _family(_signed_in(browser.new_page(base_url=base, viewport=PHONE), "caregiver"))
        doctor = _signed_in(browser.new_page(base_url=base, viewport=DESKTOP), "hematologist")
        doctor.goto("/alerts")
        doctor.screenshot(path=HERE / "alerts.png")
        browser.close()


def _clinic(therapist: Page) -> None:
    patient = _first_patient(therapist)
    therapist.goto(f"/patients/{patient}/assessments/new/hjhs")
    for item, value in KNEE_ITEMS.items():
        therapist.fill(f"[name='left_knee.{item}']", value)
    therapist.wait_for_selector("#partial-total")
    therapist.screenshot(path=HERE / "hjhs-entry.png")
    therapist.goto(f"/patients/{patient}")
    therapist.screenshot(path=HERE / "patient-record.png", full_page=True)


def _family(parent: Page) -> None:
    parent.goto("/family")  # one child: straight to that child's page
    parent.goto(parent.url.rstrip("/") + "/bleed")
    parent.select_option("#site", "groin")
    parent.check("#bleed_type-spontaneous")
    parent.check("#finding-groin_pain")
    parent.check("#finding-thigh_numbness")
    parent.click("#bleed-submit")
    parent.wait_for_selector("#triage-advice")
    parent.screenshot(path=HERE / "family-emergency.png")


def _signed_in(page: Page, role: str) -> Page:
    page.goto("/login")
    page.fill("#username", f"demo.{role}")
    page.fill("#password", f"demo-{role}-pass")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _first_patient(page: Page) -> str:
    page.goto("/patients")
    href = page.locator("table a[href^='/patients/']").first.get_attribute("href")
    assert href is not None
    return href.rsplit("/", 1)[-1]


if __name__ == "__main__":
    main()
