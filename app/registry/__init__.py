"""The low-code registry: `register(Model, ...)` once per entity, `build()` at start-up."""
from app.registry.spec import REGISTRY, Entity, entity_for, register

__all__ = ["REGISTRY", "Entity", "entity_for", "register"]
