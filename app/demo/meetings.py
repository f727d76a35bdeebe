"""(being written)"""


def seed(ctx):
    return {}
