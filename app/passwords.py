"""The password policy, and passwords the system makes itself.

One rule for every place a password is set — the user screens (FAB calls
`check_password` through FAB_PASSWORD_COMPLEXITY_VALIDATOR), the user API, and
`flask create-admin` — so that no path accepts what another refuses. The rule is the
usual one for government systems (等保): a minimum length and three of the four kinds
of character, and not the user name itself.
"""
from __future__ import annotations

import secrets
import string

from flask import current_app, has_app_context
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

KINDS = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
SYMBOLS = "!#$%&*+-=?@^_~"
DEFAULT_MIN_LENGTH = 10


def min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))
    return DEFAULT_MIN_LENGTH


def kinds_in(password: str) -> int:
    found = sum(any(ch in kind for ch in password) for kind in KINDS)
    return found + any(not ch.isalnum() for ch in password)


def problems(password: str, username: str | None = None) -> list[str]:
    """What is wrong with `password`, in the user's language (empty: it is acceptable)."""
    found = []
    if len(password or "") < min_length():
        found.append(_("A password needs at least %(n)d characters.", n=min_length()))
    if kinds_in(password or "") < 3:
        found.append(_("A password needs three of these four: lower-case letters, upper-case letters, "
                       "digits, symbols."))
    if username and password and username.lower() in password.lower():
        found.append(_("A password may not contain the user name."))
    return found


def check_password(password: str) -> None:
    """FAB's hook: raise with every reason at once, so the user fixes it in one go."""
    found = problems(password)
    if found:
        raise PasswordComplexityValidationError(" ".join(found))


def generate_password(length: int = 16) -> str:
    """A random password that passes the policy (for the first admin, printed once)."""
    alphabet = "".join(KINDS) + SYMBOLS
    length = max(length, min_length())
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if kinds_in(password) == 4:
            return password
