"""The workflow on the record page and in the REST API.

Mixed into every registered entity's view and API: the record page shows the buttons
of the transitions the user may fire and the status history; a button opens a short
form (the transition's fields and a comment); the API offers the same under
`POST /api/v1/<entity>/<id>/transition/<name>`.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from wtforms import TextAreaField
from wtforms.validators import Length
from wtforms.validators import Optional as OptionalValue

from app.registry.status import IMPORTED
from app.workflow import engine
from app.workflow.engine import WorkflowError
from app.workflow.spec import NO_COMMENT, REQUIRED_COMMENT


class WorkflowScreens:
    """View mixin: `/transition/<pk>/<name>` and the record page's workflow context."""

    transition_template = "office/transition.html"

    def workflow_context(self, item) -> dict:
        entity = self.entity
        if entity.workflow is None or item is None:
            return {}
        session = self.datamodel.session
        return {
            "transitions": engine.available(entity, item),
            "status_history": engine.history(entity, item.id, session),
            "state_label": lambda code: engine.state_label(entity, code),
            "transition_label": lambda name: _transition_label(entity, name),
        }

    def _transition_form(self, transition):
        attrs = {name: getattr(form, name) for name in transition.inputs
                 for form in (self.edit_form, self.step_form) if form is not None and hasattr(form, name)}
        if transition.comment != NO_COMMENT:
            attrs["comment"] = TextAreaField(
                _l("Comment"), validators=[OptionalValue(), Length(max=2000)],
                render_kw={"class": "form-control", "rows": 3},
                description=_l("A comment is required.") if transition.comment == REQUIRED_COMMENT else "")
        return type("TransitionForm", (DynamicForm,), attrs)

    @expose("/transition/<pk>/<name>", methods=["GET", "POST"])
    @has_access
    def transition(self, pk, name):
        entity = self.entity
        item = self.datamodel.get(pk, self._base_filters)
        if item is None or entity.workflow is None:
            abort(404)
        show_url = url_for(f"{self.endpoint}.show", pk=pk)
        try:
            transition = engine.check(entity, item, name)
        except WorkflowError as error:
            for message in error.messages:
                flash(message, "danger")
            return redirect(show_url)
        form_class = self._transition_form(transition)
        if request.method == "POST":
            form = _marked(form_class.refresh(request.form), transition)
            if form.validate():
                def apply(t):
                    for field in t.inputs:
                        if field in form:
                            form[field].populate_obj(item, field)
                try:
                    engine.fire(entity, item, name, session=self.datamodel.session,
                                comment=form.comment.data if "comment" in form else None, apply=apply)
                except WorkflowError as error:
                    for message in error.messages:
                        flash(message, "danger")
                    item = self.datamodel.get(pk, self._base_filters)
                else:
                    flash(gettext("Done: %(action)s → %(state)s", action=transition.label,
                                  state=engine.state_label(entity, getattr(item, entity.workflow.field))),
                          "success")
                    return redirect(show_url)
        else:
            form = _marked(form_class.refresh(obj=item), transition)
        return self.render_template(
            self.transition_template, form=form, item=item, pk=pk, transition=transition,
            title=transition.label, show_url=show_url,
            from_label=engine.state_label(entity, getattr(item, entity.workflow.field)),
            to_label=engine.state_label(entity, transition.target or getattr(item, entity.workflow.field)))


def _marked(form, transition):
    """Fields the step requires (and a required comment) carry the red star; the engine
    still checks them on the server."""
    names = list(transition.requires) + (["comment"] if transition.comment == REQUIRED_COMMENT else [])
    for name in names:
        if name in form:
            form[name].flags.required = True
    return form


def _transition_label(entity, name: str) -> str:
    if name == "create":
        return gettext("Created")
    if name == IMPORTED:
        return gettext("Imported in this state (historical record)")
    transition = entity.workflow.get(name) if entity.workflow else None
    return str(transition.label) if transition else name


class WorkflowApi:
    """API mixin: list and fire the transitions of a record."""

    @expose("/<int:pk>/transitions", methods=["GET"])
    @protect()
    @safe
    def transitions(self, pk):
        """---
        get:
          summary: The transitions the current user may fire on this record now
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: Transitions}
            404: {$ref: '#/components/responses/404'}
        """
        entity = self.entity
        item = self.datamodel.get(pk, self._base_filters)
        if item is None or entity.workflow is None:
            return self.response_404()
        return self.response(200, state=getattr(item, entity.workflow.field), transitions=[
            {"name": t.name, "label": str(t.label), "to": t.target or getattr(item, entity.workflow.field),
             "fields": t.inputs,
             "requires": list(t.requires), "comment": t.comment}
            for t in engine.available(entity, item)])

    @expose("/<int:pk>/transition/<name>", methods=["POST"])
    @protect()
    @safe
    def fire_transition(self, pk, name):
        """---
        post:
          summary: "Fire a workflow transition. Body: a JSON object with an optional comment and the
            values of the fields the transition asks for"
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          - in: path
            schema: {type: string}
            name: name
          responses:
            200: {description: The new state}
            403: {description: The user's roles may not fire this transition}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the record's current state}
            422: {description: Missing fields or comment, or a rule is broken}
        """
        entity = self.entity
        item = self.datamodel.get(pk, self._base_filters)
        if item is None or entity.workflow is None:
            return self.response_404()
        data = request.get_json(silent=True) or {}
        if not isinstance(data, dict):
            return self.response_400(message=gettext("The request body must be a JSON object."))

        def apply(t):
            values = {k: v for k, v in data.items() if k in _api_fields(self, t)}
            if values:
                try:
                    (self.step_model_schema or self.edit_model_schema).load(values, instance=item, partial=True)
                except ValidationError as error:
                    raise WorkflowError([f"{k}: {v}" for k, v in error.messages.items()]) from error
        try:
            log = engine.fire(entity, item, name, session=self.datamodel.session,
                              comment=data.get("comment"), apply=apply)
        except WorkflowError as error:
            return self.response(error.status, message=error.messages)
        return self.response(200, id=pk, state=log.to_state, previous=log.from_state, transition=name)


def _api_fields(api, transition) -> set[str]:
    """The transition's fields as the API names them (relations by their FK column)."""
    names = set()
    for field in transition.inputs:
        rel = api.datamodel.obj.__mapper__.relationships.get(field)
        names.add(next(iter(rel.local_columns)).key if rel is not None else field)
    return names & (set(api.edit_columns) | set(api.step_columns))
