"""The screens that set a password, each checking the policy for *whose* password it is.

* *Reset my password* asks for the current password first: a session left open on a
  shared desk, or a stolen cookie, must not be enough to take the account over. The
  check is a sign-in (`auth_user_db`), so wrong guesses count towards the lockout and
  are audited like any failed sign-in. The session that changed its password stays
  signed in; every other session and token of the account ends (app/sessions.py).
* An administrator's *Reset password* for a user, and the add-user form, check the
  policy against that user's name and e-mail (app/passwords.py).

The views keep FAB's class names, which are their permission and endpoint names.
"""
from __future__ import annotations

from flask import current_app, flash, g, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security.views import ResetMyPasswordView as FabResetMyPasswordView
from flask_appbuilder.security.views import ResetPasswordView as FabResetPasswordView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from app.passwords import PasswordPolicy, min_length


class PolicyText:
    """The policy in a sentence, for the password fields' help line (read when shown,
    so that PASSWORD_MIN_LENGTH and the language are the current ones)."""

    def __str__(self) -> str:
        return _("At least %(n)d characters, three of: lower-case letters, upper-case letters, digits, symbols; "
                 "not the user name, the user's name or the name part of the e-mail address.", n=min_length())

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def signed_in_user(_form):
    return g.user


def user_being_reset(_form):
    pk = request.args.get("pk", "")
    return current_app.appbuilder.sm.get_user_by_id(int(pk)) if pk.isdigit() else None


def add_form_account(form) -> dict:
    """The add-user form's own fields: the account does not exist yet."""
    return {key: form[key].data for key in ("username", "first_name", "last_name", "email") if key in form}


def current_password_is_right(_form, field) -> None:
    from app.login_guard import lockout_after

    if current_app.appbuilder.sm.auth_user_db(g.user.username, field.data or "") is None:
        if g.get("login_locked") is not None:
            raise ValidationError(_("This account is locked after %(n)d failed sign-ins in a row.",
                                    n=lockout_after()))
        raise ValidationError(_("The current password is not right."))


def new_password_field(owner, label=_l("New password")) -> PasswordField:
    return PasswordField(label, description=PolicyText(), widget=BS3PasswordFieldWidget(),
                         validators=[DataRequired(), PasswordPolicy(owner)])


def confirm_field(required: bool = False) -> PasswordField:
    return PasswordField(_l("Confirm Password"), description=_l("Please rewrite the password to confirm"),
                         widget=BS3PasswordFieldWidget(),
                         validators=[*([DataRequired()] if required else []),
                                     EqualTo("password", message=_l("Passwords must match"))])


class OwnPasswordForm(DynamicForm):
    current_password = PasswordField(_l("Current password"), widget=BS3PasswordFieldWidget(),
                                     validators=[DataRequired(), current_password_is_right])
    password = new_password_field(signed_in_user)
    conf_password = confirm_field()


class UserPasswordForm(DynamicForm):
    password = new_password_field(user_being_reset)
    conf_password = confirm_field()


#: The add-user form's password fields (app/security.py's OfficeUserView).
ADD_FORM_PASSWORD_FIELDS = {
    "password": new_password_field(add_form_account, _l("Password")),
    "conf_password": confirm_field(required=True),
}


class ResetMyPasswordView(FabResetMyPasswordView):
    form = OwnPasswordForm

    def form_post(self, form) -> None:
        self.appbuilder.sm.reset_password(g.user.id, form.password.data)
        flash(_("Your password has been changed. Your other sessions and API tokens have ended."), "info")


class ResetPasswordView(FabResetPasswordView):
    form = UserPasswordForm

    def form_post(self, form) -> None:
        user = user_being_reset(form)
        if user is None:
            flash(_("There is no such user."), "danger")
            return
        self.appbuilder.sm.reset_password(user.id, form.password.data)
        flash(_("Password changed. %(name)s is signed out everywhere and signs in with the new password.",
                name=user.username), "info")
