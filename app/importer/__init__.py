"""Excel import: a template per entity, every row checked before anything is written,
a report of what is wrong (row, column, reason), then all rows in one transaction."""
from app.importer.run import ImportResult, import_file
from app.importer.template import build_template

__all__ = ["ImportResult", "build_template", "import_file"]
