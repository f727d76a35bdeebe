"""The refusal of a whole file, shared by the reader and the checks it runs first."""


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in the user's language."""
