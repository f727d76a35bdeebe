"""The password policy, and passwords the system makes itself.

One rule for every place a password is set — the add-user form, the administrator's
*Reset password*, the user's own *Reset my password* (app/password_screens.py), and
`flask create-admin` — so that no path accepts what another refuses. The rule is the
usual one for government systems (等保): a minimum length, three of the four kinds of
character, and nothing a colleague could guess from the account: not the user name,
the first or last name, or the name part of the e-mail address.

FAB's own hook (FAB_PASSWORD_COMPLEXITY_VALIDATOR → `check_password`) sees only the
password, not whose it is; our screens therefore use `PasswordPolicy`, which knows the
account, and `check_password` stays as the floor for any FAB path we do not replace.
"""
from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable

from flask import current_app, has_app_context
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _
from wtforms.validators import ValidationError

KINDS = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
SYMBOLS = "!#$%&*+-=?@^_~"
DEFAULT_MIN_LENGTH = 10
#: Shorter names are not checked: "li" or "王伟" inside a password gives nothing away, and
#: refusing every password that contains two common letters would only annoy.
NAME_MIN_LENGTH = 3


def min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))
    return DEFAULT_MIN_LENGTH


def kinds_in(password: str) -> int:
    found = sum(any(ch in kind for ch in password) for kind in KINDS)
    return found + any(not ch.isalnum() for ch in password)


def _guessable(value: str | None) -> str:
    """`value` folded for comparison, or "" when it is too short to matter."""
    folded = "".join((value or "").split()).casefold()
    return folded if len(folded) >= NAME_MIN_LENGTH else ""


def _contains(password: str, values: Iterable[str | None]) -> bool:
    folded = password.casefold()
    return any(part and part in folded for part in map(_guessable, values))


def problems(password: str, username: str | None = None, *, names: Iterable[str | None] = (),
             email: str | None = None) -> list[str]:
    """What is wrong with `password` for the account `username` (whose first and last
    name are `names`), in the user's language; empty: it is acceptable."""
    password = password or ""
    found = []
    if len(password) < min_length():
        found.append(_("A password needs at least %(n)d characters.", n=min_length()))
    if kinds_in(password) < 3:
        found.append(_("A password needs three of these four: lower-case letters, upper-case letters, "
                       "digits, symbols."))
    if _contains(password, [username]):
        found.append(_("A password may not contain the user name."))
    elif _contains(password, [*names, (email or "").partition("@")[0]]):
        found.append(_("A password may not contain the user's name or the name part of the e-mail address."))
    return found


def problems_for(password: str, user) -> list[str]:
    """`problems` for an existing account (a user object, or anything with its fields)."""
    get = (user.get if isinstance(user, dict) else lambda key: getattr(user, key, None))
    return problems(password, get("username"), names=(get("first_name"), get("last_name")), email=get("email"))


class PasswordPolicy:
    """WTForms validator: the policy for the account `owner(form)` names — the form's own
    fields on the add form, the signed-in user or the user being reset elsewhere."""

    def __init__(self, owner: Callable[[object], object]):
        self.owner = owner

    def __call__(self, form, field) -> None:
        found = problems_for(field.data or "", self.owner(form) or {})
        if found:
            raise ValidationError(" ".join(found))


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
