"""The error every build step raises when the sources do not make a consistent store."""


class BuildError(ValueError):
    """The documents and the curated file do not make a consistent store; names the entry."""
