"""The one exception type of the calculator package."""

from __future__ import annotations


class CalculatorError(ValueError):
    """A problem a person can act on.

    ``code`` names the kind of problem (``"usage.letters"``, ``"data"`` …) so
    that a user interface can show its own wording for it; ``str(error)``
    is a plain sentence for developers and writers (German for the data
    file's problems, which the writer reads in the build). ``problems``
    holds one ``(path, message)`` pair per problem when a data file is
    refused, with paths such as ``plans[1].price.bands[2].rate``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "error",
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.problems = problems
