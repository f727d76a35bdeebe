"""Extension singletons shared by every app instance.

AppBuilder itself is built per app in `create_app()` (tests run several apps in one
process); it is reached through `current_app.appbuilder`.
"""
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from models.base import Model

db = SQLA(model_class=Model)
migrate = Migrate()
csrf = CSRFProtect()
