"""The base REST API class of every registered entity."""
from __future__ import annotations

from flask import request
from flask_appbuilder import ModelRestApi

from app.audit import record_act
from app.masking import can_see_sensitive, keep_masked_values, mask_value, sensitive_columns
from app.registry.checks import RuleViolation, enforce
from app.registry.locking import conflict_message, is_stale, submitted_version
from app.registry.views import log_start, start_workflow
from app.workflow.screens import WorkflowApi

API_PERMISSIONS = {
    "get_list": "read", "get": "read", "info": "read",
    "post": "add", "put": "edit", "delete": "delete",
    "transitions": "read", "fire_transition": "read",   # the engine checks the transition's own right
}


class EntityApi(WorkflowApi, ModelRestApi):
    """CRUD over /api/v1/<entity>/ with OpenAPI docs; same permissions as the screens."""

    entity = None
    method_permission_name = API_PERMISSIONS
    allow_browser_login = True

    def pre_add(self, item):
        start_workflow(self.entity, item)
        enforce(self.entity.rules, item, self.datamodel.session)

    def post_add(self, item):
        log_start(self.entity, item, self.datamodel.session)

    def pre_update(self, item):
        keep_masked_values(item)
        enforce(self.entity.rules, item, self.datamodel.session)

    # --- sensitive personal data: masked unless the role may see it, and audited if it does
    def pre_get(self, data):
        self._mask(data, [data.get("result") or {}], data.get("id"))

    def pre_get_list(self, data):
        self._mask(data, data.get("result") or [], None)

    def _mask(self, data, rows, record_id) -> None:
        sensitive = sensitive_columns(self.entity.model)
        shown = {key for row in rows for key in row} & set(sensitive)
        if not shown:
            return
        if can_see_sensitive():
            record_act(self.datamodel.session, "UNMASK", self.entity.name, record_id=record_id,
                       detail="API: " + ", ".join(sorted(shown)))
            self.datamodel.session.commit()
            return
        for row in rows:
            for key in shown & set(row):
                row[key] = mask_value(row[key], sensitive[key])

    def _merge_update_item(self, model_item, data):
        """PUT acts as PATCH: fields not sent keep their stored value. FAB copies every
        unsent field back from the record, empty ones included, and its schema then
        refuses the empty optional links ("may not be null"); an unsent empty field is
        simply left out."""
        stored = self.edit_model_schema.dump(model_item, many=False)
        for column in self.edit_columns:
            if column not in data and stored.get(column) is not None:
                data[column] = stored[column]
        return data

    def post_headless(self):
        return self._refusing(super().post_headless)

    def put_headless(self, pk):
        """PUT refuses, with 409 and what changed, a body whose `row_version` is not the
        stored one: the client edited an old copy (optimistic locking)."""
        body = request.get_json(silent=True)
        if isinstance(body, dict) and "row_version" in body:
            submitted = submitted_version(body.pop("row_version"))
            item = self.datamodel.get(pk, self._base_filters)
            if item is not None and is_stale(item, submitted):
                return self.response(409, message=conflict_message(self.entity, item, submitted,
                                                                   self.datamodel.session))
        return self._refusing(lambda: super(EntityApi, self).put_headless(pk))

    def _refusing(self, save):
        """A broken rule answers 422 with its reasons, and nothing is written."""
        try:
            return save()
        except RuleViolation as error:
            self.datamodel.session.rollback()
            return self.response_422(message={"rules": error.messages})
