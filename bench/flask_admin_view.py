"""The comparison for the export: flask-admin's own xlsx export of the same model.

A separate flask-admin `Admin` at /bench-admin/ with a plain `ModelView` of Personnel,
`can_export=True, export_types=["xlsx"]`: flask-admin collects every row into a tablib
Dataset and tablib writes it with openpyxl. Its columns are the ones our export writes;
its values are flask-admin's defaults (codes and `str()` of each value, all text).
"""
from __future__ import annotations

URL = "/bench-admin/personnel/export/xlsx/"


def export_columns() -> list[str]:
    """The columns of our Personnel export, in its order."""
    from app.registry import deadlines
    from app.registry.spec import REGISTRY
    from models.org import Personnel

    entity = REGISTRY[Personnel]
    return deadlines.shown_columns(entity, entity.export or entity.fields)


def install(app) -> None:
    from flask_admin import Admin, AdminIndexView
    from flask_admin.contrib.sqla import ModelView

    from app.extensions import db
    from models.org import Personnel

    columns = export_columns()

    class PersonnelExport(ModelView):
        can_export = True
        export_types = ["xlsx"]
        column_list = columns
        column_export_list = columns
        form_columns = ["name"]          # the form is not what is measured

    admin = Admin(app, name="bench", url="/bench-admin",
                  index_view=AdminIndexView(endpoint="bench_admin", url="/bench-admin"))
    admin.add_view(PersonnelExport(Personnel, db.session, endpoint="bench_personnel", url="/bench-admin/personnel"))
