"""Screenshots of key pages in zh and en, for a person to look at.

    python tests/browser/capture.py http://127.0.0.1:5000 admin PASSWORD OUTDIR /documentview/list/ ...

Drives Debian's chromium (no browser download is possible here): signs in through the login
form, switches the language through the top bar's language menu, and saves OUTDIR/NN-zh.png
and OUTDIR/NN-en.png for each path. Prints every console error, uncaught page error, server
error and request to any host other than the app's (exit status 1 if there was any).
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse


def capture(base: str, user: str, password: str, outdir: Path, paths: list[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.support import Watcher, current_language, launch, login, switch_language

    base = base.rstrip("/")
    outdir.mkdir(parents=True, exist_ok=True)
    watcher = Watcher(urlparse(base).netloc)
    with sync_playwright() as p:
        browser = launch(p)
        for lang in ("zh", "en"):
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            watcher.attach(context)
            page = context.new_page()
            login(page, base, user, password)
            if current_language(page) != lang:
                switch_language(page, lang)
            for i, path in enumerate(paths):
                page.goto(base + path)
                page.screenshot(path=str(outdir / f"{i:02d}-{lang}.png"), full_page=True)
            context.close()
        browser.close()
    return watcher.problems


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, username, pw, out, *pages = argv
    problems = capture(base_url, username, pw, Path(out), pages or ["/"])
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))     # run as a script: the repository's packages
    sys.exit(main(sys.argv[1:]))
