"""The screens and the REST API built from the registry's declarations.

`build()` (app/screens/build.py) turns every `Entity` into a FAB `ModelView` subclass of
`EntityView` and a `ModelRestApi` subclass of `EntityApi`. The screen mixins of the
features (import, ledgers, Excel export, workflow buttons, attachments, custom fields)
are composed here, above the features: the registry core never imports them.
"""
