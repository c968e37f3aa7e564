"""The one domain error type: a refusal with a stable code (for callers and tests) and a message for people."""


class DomainError(Exception):
    """A rule of the domain does not hold. Callers branch on `code`, never on the message text.

    `message` is already in the reader's language (translated where it is raised); `field` names the form input
    at fault, where there is one.
    """

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message
