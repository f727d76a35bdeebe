"""The base REST API class of every registered entity."""
from __future__ import annotations

import re
import threading

from flask import g, request
from flask_appbuilder import ModelRestApi
from flask_babel import gettext
from sqlalchemy import Float, Numeric, inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app import custom_fields as cf
from app.audit import coded, record_read
from app.masking import can_see_sensitive, keep_masked_values, mask_value, sensitive_columns
from app.registry import need_to_know
from app.registry.checks import RuleViolation
from app.registry.introspect import label_of
from app.registry.need_to_know import left_out_message
from app.registry.refusals import Duplicate
from app.registry.saving import judge, log_start
from app.screens import form_tokens
from app.screens.import_api import ImportApi
from app.screens.interface import LEAVE_OUT_INTERNAL
from app.screens.locking import (
    VERSION_REQUIRED,
    conflict_message,
    is_save_conflict,
    is_stale,
    lost_race_message,
    submitted_version,
)
from app.screens.need_to_know_screens import NeedToKnowApi
from app.screens.openapi import correct_spec
from app.seams import ModelApiSeams
from app.workflow.screens import WorkflowApi

API_PERMISSIONS = {
    "get_list": "read", "get": "read", "info": "read",
    "post": "add", "put": "edit", "delete": "delete",
    "transitions": "read", "fire_transition": "read",   # the engine checks the transition's own right
    "import_rows": "read",                               # checks `import`, `add`, `edit` itself (import_api.py)
    "need_to_know": "read", "put_need_to_know": "edit",  # a record's need-to-know list (need_to_know_screens.py)
}


#: marshmallow-sqlalchemy keeps the record being loaded on the schema (`schema.instance`),
#: and FAB has one schema per API: two threads loading at once (the threaded dev server,
#: gthread workers) wrote one request's values into the other's record.
_SCHEMA_LOAD = threading.Lock()


def _one_at_a_time(load):
    def load_alone(*args, **kwargs):
        with _SCHEMA_LOAD:
            return load(*args, **kwargs)
    return load_alone


class EntityApi(WorkflowApi, ImportApi, NeedToKnowApi, ModelApiSeams, ModelRestApi):
    """CRUD over /api/v1/<entity>/ with OpenAPI docs; same permissions as the screens."""

    entity = None
    method_permission_name = API_PERMISSIONS
    allow_browser_login = True

    #: the `step_only` fields as the API names them: written by the steps' POST only
    step_columns: list = []
    step_model_schema = None

    def init_model_schemas(self) -> None:
        super().init_model_schemas()
        if self.step_columns:        # what a step's POST loads: the edit columns and its own
            self.step_model_schema = self.model2schemaconverter.convert(
                list(self.edit_columns) + list(self.step_columns), nested=False)
        for name in ("add_model_schema", "edit_model_schema", "step_model_schema"):
            schema = getattr(self, name, None)
            if schema is not None:
                schema.load = _one_at_a_time(schema.load)

    # Nothing of the submitted record reaches the database before its rules have run: a
    # flush on the way (a query for custom fields, a masked value) would let the flush's
    # listeners move a parent along and the rules judge the moved state.
    def pre_add(self, item):
        with self.datamodel.session.no_autoflush:
            self._check_custom(item)
            judge(self.entity, item, self.datamodel.session, new=True)   # a duplicate: 409

    def post_add(self, item):
        log_start(self.entity, item, self.datamodel.session)

    def pre_update(self, item):
        with self.datamodel.session.no_autoflush:
            keep_masked_values(item)
            self._check_custom(item)
            judge(self.entity, item, self.datamodel.session, new=False)

    # --- admin-defined fields: one JSON object, checked against the current definitions ----
    def _check_custom(self, item) -> None:
        """`custom_fields` holds the entity's active custom fields (app/custom_fields.py);
        a key no definition names, a value of the wrong kind or a missing required field is
        refused with 422. Keys of removed fields already stored stay untouched."""
        if not self.entity.is_business:
            return
        values = dict(item.custom_fields or {})
        defs = {d.key: d for d in cf.definitions(self.entity.name)}
        stored = set(self._stored_custom_keys(item))
        found = [gettext("Unknown custom field: %(key)s", key=key) for key in values
                 if key not in defs and key not in stored]
        for key, defn in defs.items():
            problem = cf.problems(defn, values.get(key))
            if problem:
                found.append(problem)
            elif values.get(key) is not None:
                values[key] = cf.to_json(defn, values[key])
        if found:
            raise RuleViolation(found)
        item.custom_fields = {k: v for k, v in values.items() if v is not None}

    def _stored_custom_keys(self, item) -> list[str]:
        history = inspect(item).attrs.custom_fields.history
        before = (history.deleted or history.unchanged or [None])[0] or {}
        return list(before)

    def add_api_spec(self, api_spec) -> None:
        """FAB's generated paths, corrected where they differ from what the API answers."""
        super().add_api_spec(api_spec)
        decimals = {c.key for c in self.entity.model.__table__.columns
                    if isinstance(c.type, Numeric) and not isinstance(c.type, Float)}
        correct_spec(api_spec, f"/api/{self.version}/{self.resource_name}/", f"{self.__class__.__name__}.", decimals)

    def field_info(self, field, filter_rel_field, page=None, page_size=None):
        """FAB translates a missing description as gettext(""): the catalog's header
        ("Project-Id-Version: …") appeared as every undescribed field's description."""
        info = super().field_info(field, filter_rel_field, page=page, page_size=page_size)
        if not self.description_columns.get(field.name):
            info["description"] = ""
        return info

    def add_apispec_components(self, api_spec) -> None:
        """The OpenAPI schema names each custom field inside `custom_fields`, as defined now."""
        super().add_apispec_components(api_spec)
        if not self.entity.is_business:
            return
        kinds = {"NUMBER": {"type": "number"}, "DATE": {"type": "string", "format": "date"},
                 "BOOL": {"type": "boolean"}}
        properties = {}
        for defn in cf.definitions(self.entity.name):
            spec = dict(kinds.get(defn.kind, {"type": "string"}))
            spec["description"] = f"{defn.label_zh} / {defn.label_en}"
            if defn.kind == "CHOICE":
                spec["description"] += " — " + gettext("Code from the lookup '%(category)s'",
                                                        category=defn.lookup_category)
            properties[defn.key] = spec
        required = [d.key for d in cf.definitions(self.entity.name) if d.required]
        for name in (self.add_model_schema_name, self.edit_model_schema_name, self.show_model_schema_name):
            schema = api_spec.components.schemas.get(name)
            if schema and "custom_fields" in schema.get("properties", {}):
                field = {"type": "object", "properties": properties,
                         "description": gettext("Fields added by an administrator")}
                if required and name == self.add_model_schema_name:
                    field["required"] = required
                schema["properties"]["custom_fields"] = field

    # --- sensitive personal data: masked unless the role may see it, and audited if it does
    def pre_get(self, data):
        self._mask(data, [data.get("result") or {}], data.get("id"))

    def pre_get_list(self, data):
        self._mask(data, data.get("result") or [], None)
        left_out = g.pop("office_internal_left_out", None)
        if left_out is not None:        # the 内部 rows a bulk listing leaves out (get_list_headless)
            data["internal_left_out"] = left_out
            if left_out:
                data["message"] = left_out_message(left_out)

    def _mask(self, data, rows, record_id) -> None:
        sensitive = sensitive_columns(self.entity.model)
        shown = {key for row in rows for key in row} & set(sensitive)
        if not shown:
            return
        if can_see_sensitive():
            record_read(self.datamodel.session, self.entity.name, record_id=record_id,
                        detail=coded("unmask_api", fields=sorted(shown)))
            return
        for row in rows:
            for key in shown & set(row):
                row[key] = mask_value(row[key], sensitive[key])

    def merge_update_item(self, model_item, data):
        """PUT acts as PATCH: fields not sent keep their stored value. FAB copies every
        unsent field back from the record, empty ones included, and its schema then
        refuses the empty optional links ("may not be null"); an unsent empty field is
        simply left out."""
        stored = self.edit_model_schema.dump(model_item, many=False)
        for column in self.edit_columns:
            if column not in data and stored.get(column) is not None:
                data[column] = stored[column]
        if isinstance(data.get("custom_fields"), dict):       # custom values sent merge into the stored ones
            data["custom_fields"] = {**(model_item.custom_fields or {}), **data["custom_fields"]}
        return data

    def get_list_headless(self, **kwargs):
        """A role that may not see sensitive data may not filter or sort by it either: a
        "starts with" filter on an ID number gave it away digit by digit."""
        if not can_see_sensitive():
            args = kwargs.get("rison") or {}
            asked = {f.get("col") for f in args.get("filters") or [] if isinstance(f, dict)}
            asked.add(args.get("order_column"))
            refused = sorted(asked & set(sensitive_columns(self.entity.model)))
            if refused:
                return self.response_400(message=gettext(
                    "You may not filter or sort by %(fields)s.", fields=", ".join(refused)))
        args = kwargs.get("rison")
        if isinstance(args, dict) and args.get("order_column") not in (None, *self.order_columns):
            args.pop("order_column")            # an unknown sort column is ignored, as on the screens
            args.pop("order_direction", None)
        if need_to_know.internal_rows(self.entity) is None or need_to_know.may_export_internal():
            return super().get_list_headless(**kwargs)
        # a list is a bulk export: its 内部 rows stay out (docs/domain.md §9), its answer says how
        # many (`internal_left_out`); each one is still read by id, within the need-to-know lists
        g.setdefault(LEAVE_OUT_INTERNAL, self.entity)
        try:
            return super().get_list_headless(**kwargs)
        finally:
            g.pop(LEAVE_OUT_INTERNAL, None)
            g.pop("office_internal_left_out", None)

    def _masked(self, response):
        """What a save answers carries the record: masked like every read of it."""
        if response.status_code not in (200, 201) or not response.is_json:
            return response
        body = response.get_json()
        if isinstance(body, dict) and isinstance(body.get("result"), dict):
            self._mask(body, [body["result"]], body.get("id"))
            response.set_data(self.response(response.status_code, **body).get_data())
        return response

    def post_headless(self):
        """POST, once per `Idempotency-Key`: a client that retries a POST with the key it
        sent (same user, same entity, within a day) gets the first answer's record, and
        no second record is made (app/screens/form_tokens.py). Without the header every
        POST creates, as before."""
        key = form_tokens.usable(request.headers.get(form_tokens.HEADER))
        if form_tokens.too_long(key):
            return self.response_422(message={form_tokens.HEADER: [gettext(
                "At most %(count)d characters.", count=form_tokens.MAX_LENGTH)]})
        replay = self._replay(key)
        if replay is not None:
            return replay
        refused = self._step_only_refusal(request.get_json(silent=True))
        if refused:
            return self.response_422(message=refused)

        def save():
            response = self._refusing(super(EntityApi, self).post_headless)
            if response.status_code == 201:
                form_tokens.spend(self.datamodel.session, self.entity.name, key, response.get_json()["id"])
            return response

        response = self._masked(self._one_transaction(save))
        if key is not None and response.status_code == 409:
            return self._replay(key) or response      # a twin request with the key committed first
        return response

    def _replay(self, key):
        """The answer to a repeated Idempotency-Key: the record the first request made, as
        POST answered it (201), marked `Idempotent-Replayed: true`; None for a new key."""
        record_id = form_tokens.earlier_record(self.datamodel.session, self.entity.name, key)
        if record_id is None:
            return None
        item = self.datamodel.get(record_id, self._base_filters)
        result = self.add_model_schema.dump(item, many=False) if item is not None else {}
        response = self._masked(self.response(201, id=record_id, result=result))
        response.headers["Idempotent-Replayed"] = "true"
        return response

    def _integrity_answer(self, error: IntegrityError):
        """The database's refusal in the user's words: 409 for a value already used, 422
        for a required one missing; the field named where the database names it."""
        text = str(error.orig)
        found = re.search(r'constraint failed: \w+\.(\w+)|column "(\w+)"|Key \((\w+)', text)
        column = next((c for c in found.groups() if c), None) if found else None
        field = str(label_of(self.entity.model, column)) if column else gettext("a field")
        if "unique" in text.lower() or "duplicate" in text.lower():
            return self.response(409, message={column or "record": [gettext(
                "%(field)s: this value is already used by another record.", field=field)]})
        return self.response_422(message={column or "record": [gettext(
            "%(field)s: a value is required.", field=field)]})

    def _one_transaction(self, save):
        """Everything a POST or PUT writes — the record, its status log, its audit trail —
        commits at the end or not at all: a failure after the row was written (a 500 in a
        later step) used to leave a half-written record behind."""
        session = self.datamodel.session
        g._office_one_transaction = True
        try:
            response = save()
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
            return response
        except IntegrityError as error:
            session.rollback()
            return self._integrity_answer(error)
        except Exception:
            session.rollback()
            raise
        finally:
            g.pop("_office_one_transaction", None)

    def put_headless(self, pk):
        """PUT of a business record must send the `row_version` it read (GET gives it):
        missing or not a whole number is 422; an old one is 409 with what changed since
        (the client edited an old copy); and of two PUTs racing from the same version the
        database lets one win, the other gets the same 409 (locking.py). The answer
        carries the new `row_version` for the next PUT."""
        body = request.get_json(silent=True)
        refused = self._step_only_refusal(body)
        if refused:
            return self.response_422(message=refused)
        submitted = None
        if self.entity.is_business and isinstance(body, dict):
            item = self.datamodel.get(pk, self._base_filters)
            if item is None:
                return self.response_404()
            submitted = submitted_version(body.pop("row_version", None))
            if submitted is None:
                return self.response_422(message={"row_version": [gettext(VERSION_REQUIRED)]})
            if is_stale(item, submitted):
                return self.response(409, message=conflict_message(self.entity, item, submitted,
                                                                   self.datamodel.session))
        try:
            response = self._one_transaction(lambda: self._refusing(lambda: super(EntityApi, self).put_headless(pk)))
        except SQLAlchemyError as error:
            if submitted is None or not is_save_conflict(error):
                raise
            item = self.datamodel.get(pk, self._base_filters)     # rolled back: as it is now
            return self.response(409, message=lost_race_message(self.entity, item, submitted,
                                                                self.datamodel.session))
        return self._masked(self._with_version(response, pk))

    def _step_only_refusal(self, body) -> dict:
        """{field: why} for the fields of a POST or PUT body that only a workflow step writes
        (`step_only`): the step to take instead, by its name in the user's language."""
        if not isinstance(body, dict) or not self.step_columns:
            return {}
        steps = self.entity.workflow.transitions if self.entity.workflow is not None else []
        out = {}
        for name in self.entity.step_only:
            rel = self.datamodel.obj.__mapper__.relationships.get(name)
            key = next(iter(rel.local_columns)).key if rel is not None else name
            if key in body:
                labels = " / ".join(f"“{t.label}” ({t.name})" for t in steps if name in t.inputs)
                out[key] = [gettext("Written only by the action %(actions)s: POST …/transition/<name>.",
                                    actions=labels)]
        return out

    def _with_version(self, response, pk):
        """A saved PUT's answer, with the record's new `row_version` in its result."""
        if response.status_code != 200 or not self.entity.is_business or not response.is_json:
            return response
        body = response.get_json()
        item = self.datamodel.get(pk, self._base_filters)
        if isinstance(body, dict) and isinstance(body.get("result"), dict) and item is not None:
            body["result"]["row_version"] = item.row_version
            response.set_data(self.response(200, **body).get_data())
        return response

    def _refusing(self, save):
        """A broken rule answers 422 with its reasons, and nothing is written."""
        try:
            return save()
        except Duplicate as error:
            self.datamodel.session.rollback()
            return self.response(409, message={name: error.messages for name in error.columns})
        except RuleViolation as error:
            self.datamodel.session.rollback()
            return self.response_422(message={"rules": error.messages})
