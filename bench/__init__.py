"""Performance measurements (`make bench`): not tests; see bench/run.py."""
