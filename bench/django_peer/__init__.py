"""The Django admin peer of the bench (issue 19): a Django 5.2 admin over the project's own
Personnel and Department tables, run in its own virtualenv by `driver.py`."""
