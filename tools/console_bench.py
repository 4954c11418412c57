"""Measure the staff console on the local stack, in Chromium: the time a signed-in page takes to
show the queue and a case, and the actions from the queue to a sent decision."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
RUNS = 10
FACTS = "The profile status message names the claimant and calls her a thief without any proof."


def measure_console() -> dict[str, Any] | None:
    """Return the console's figures, or None when there is no Chromium to measure them in."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    from tests.localstack import running_stack
    from tests.test_browser import CHROMIUM_ARGS as ARGS
    from tests.test_browser import report_over_http
    from tools.provision import GENEROUS_LIMITS

    with running_stack(parameters=GENEROUS_LIMITS) as stack, sync_playwright() as playwright:
        cases = [report_over_http(stack)[0] for _ in range(RUNS + 1)]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(base_url=stack.app_url, viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        user = stack.demo_users["reviewer"]
        page.goto("/console?lang=en")
        page.fill("#username", user["username"])
        page.fill("#password", user["password"])
        page.click("button[type=submit]")
        page.locator("table.queue tbody tr").first.wait_for()

        queue_ms, case_ms = [], []
        for case_id in cases[1:]:
            page.goto("about:blank")
            begun = time.perf_counter()
            page.goto("/console?lang=en#/queue/received")
            page.locator("table.queue tbody tr").first.wait_for()
            queue_ms.append((time.perf_counter() - begun) * 1000)
            page.goto("about:blank")
            begun = time.perf_counter()
            page.goto(f"/console?lang=en#/cases/{case_id}")
            page.locator("#decision-form").wait_for()
            page.locator("img.evidence-image").first.wait_for()
            case_ms.append((time.perf_counter() - begun) * 1000)

        # From the queue to a sent 30-day block, counting each thing the reviewer does.
        actions = 0
        page.goto("/console?lang=en#/queue/received")
        page.locator("table.queue tbody tr").first.wait_for()
        steps: list[tuple[str, Any]] = [
            ("take the oldest case", lambda: page.click("#take-oldest")),
            ("tick the block", lambda: page.check("#measure-block_content")),
            ("pick a template", lambda: page.select_option("#template", index=1)),
            ("preview", lambda: page.click("#preview-button")),
            ("send", lambda: page.click("#send-button")),
        ]
        for _, act in steps:
            act()
            actions += 1
            if actions == 1:
                page.locator("#decision-form").wait_for()
            if actions == 4:
                page.locator("#preview .preview").wait_for()
        page.locator("#decision-result .notice-ok").wait_for()
        browser.close()
    return {
        "queue median ms": statistics.median(queue_ms),
        "case median ms": statistics.median(case_ms),
        "runs": RUNS,
        "actions": actions,
        "steps": [name for name, _ in steps],
    }
