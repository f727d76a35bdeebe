"""The low-code registry: `register(Model, ...)` once per entity, `build()` at start-up."""
from app.registry.spec import PAGES, REGISTRY, Entity, Page, Section, entity_for, register, register_link, register_page

__all__ = ["PAGES", "REGISTRY", "Entity", "Page", "Section", "entity_for", "register", "register_link", "register_page"]
