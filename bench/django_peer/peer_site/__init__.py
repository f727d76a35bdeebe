"""A one-app Django site: the models over the project's tables, their ModelAdmins, settings, urls."""
