"""Screenshots of key pages in zh and en, for a person to look at.

    python tests/browser/capture.py http://127.0.0.1:5000 admin PASSWORD OUTDIR /documentview/list/ ...

Drives Debian's chromium (no browser download is possible here). Reports console
errors and requests to any host other than the app's.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def capture(base: str, user: str, password: str, outdir: Path, paths: list[str]) -> list[str]:
    outdir.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    host = urlparse(base).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for lang in ("zh_Hans_CN", "en"):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("request", lambda r: problems.append(f"foreign request: {r.url}")
                    if urlparse(r.url).netloc not in (host, "") and not r.url.startswith("data:") else None)
            page.goto(f"{base}/login/")
            page.fill("#username", user)
            page.fill("#password", password)
            page.click("input[type=submit], button[type=submit]")
            page.goto(f"{base}/lang/{lang}")
            for i, path in enumerate(paths):
                page.goto(base + path)
                page.screenshot(path=str(outdir / f"{i:02d}-{lang[:2]}.png"), full_page=True)
            context.close()
        browser.close()
    return problems


if __name__ == "__main__":
    base_url, username, pw, out, *pages = sys.argv[1:]
    for problem in capture(base_url, username, pw, Path(out), pages):
        print(problem)
