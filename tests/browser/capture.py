"""Screenshots of key pages in zh and en, for a person to look at.

    python tests/browser/capture.py http://127.0.0.1:5000 admin PASSWORD OUTDIR /documentview/list/ ...
    python tests/browser/capture.py --widths 1366,390 http://127.0.0.1:5000 admin PASSWORD OUTDIR / ...

Drives Debian's chromium (no browser download is possible here): signs in through the login
form, switches the language through the top bar's language menu, and saves OUTDIR/NN-zh.png
and OUTDIR/NN-en.png for each path — with `--widths`, OUTDIR/NN-zh-1366px.png and so on for
each screen width (a laptop's 1366, a phone's 390). Prints every console error, uncaught page
error, server error and request to any host other than the app's (exit status 1 if there was any).
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

#: The window of the plain run, and the height of a screen of each width given with --widths.
DEFAULT = (1440, 900)
HEIGHTS = {1366: 768, 390: 844}


def capture(base: str, user: str, password: str, outdir: Path, paths: list[str],
            widths: list[int] | None = None) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.support import Watcher, current_language, launch, login, switch_language

    base = base.rstrip("/")
    outdir.mkdir(parents=True, exist_ok=True)
    watcher = Watcher(urlparse(base).netloc)
    screens = [(w, HEIGHTS.get(w, 900)) for w in widths] if widths else [DEFAULT]
    with sync_playwright() as p:
        browser = launch(p)
        for lang in ("zh", "en"):
            context = browser.new_context(viewport={"width": DEFAULT[0], "height": DEFAULT[1]}, locale="zh-CN")
            watcher.attach(context)
            page = context.new_page()
            login(page, base, user, password)
            if current_language(page) != lang:
                switch_language(page, lang)
            for width, height in screens:
                page.set_viewport_size({"width": width, "height": height})
                suffix = f"-{width}px" if widths else ""
                for i, path in enumerate(paths):
                    page.goto(base + path)
                    page.screenshot(path=str(outdir / f"{i:02d}-{lang}{suffix}.png"), full_page=True)
            context.close()
        browser.close()
    return watcher.problems


def main(argv: list[str]) -> int:
    widths = None
    if argv and argv[0].startswith("--widths"):
        value = argv[0].partition("=")[2] or (argv[1] if len(argv) > 1 else "")
        argv = argv[1:] if "=" in argv[0] else argv[2:]
        widths = [int(w) for w in value.split(",") if w.strip()]
    if len(argv) < 4 or widths == []:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, username, pw, out, *pages = argv
    problems = capture(base_url, username, pw, Path(out), pages or ["/"], widths)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))     # run as a script: the repository's packages
    sys.exit(main(sys.argv[1:]))
