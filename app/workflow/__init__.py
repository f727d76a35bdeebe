"""Workflows: states and transitions declared once per entity, fired through one engine."""
from app.workflow.spec import Transition, Workflow  # noqa: F401
