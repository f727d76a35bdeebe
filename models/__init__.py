"""All models, one module per domain. Importing this package registers every table
on FAB's `Model.metadata` (Alembic's target) and every lookup category."""
from app import security  # noqa: F401  (the User table carries our columns)
from models import (  # noqa: F401
    attachments,
    audit,
    custom_fields,
    disputes,
    districts,
    documents,
    duty,
    gazette,
    hotline,
    info,
    it,
    leaders,
    lookups,
    meetings,
    numbering,
    org,
    ownership,
    party,
    people,
    proposals,
    services,
    settings,
    supervision,
    workflow,
)
