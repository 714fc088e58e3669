"""The one exception hierarchy of Löfte.

Library code raises only these; the CLI and the web layer turn them into exit codes and HTTP
responses at their edge.

    LofteError
    ├── ConfigError                 a setting is missing or malformed
    ├── InputError                  an input cannot be turned into documents (names the input)
    │   ├── ReadError               the file, folder or URL cannot be read
    │   │   └── FetchError          a URL fetch failed (status, robots.txt, time-outs)
    │   │       └── RefusedURLError a URL or redirect Löfte will not follow (SSRF guard)
    │   ├── TooLargeError           the input is over the size cap
    │   ├── BudgetError             parsing the input ran over its time or memory budget
    │   ├── EmptyInputError         the input holds no bytes or no text
    │   ├── UnsupportedFormatError  no reader accepts the input (binary, unknown type)
    │   ├── DecodingError           the bytes are not text in any encoding we accept
    │   └── ParseError              a reader accepted the input but its content is broken
    ├── StoreError                  the database refused or is in the wrong state
    │   ├── UnavailableError        the database cannot be reached (server down, file unopenable)
    │   ├── BusyError               another process held the lock longer than the wait (SQLite)
    │   ├── NotFoundError           a record asked for does not exist
    │   ├── ConflictError           a concurrent or duplicate change was refused
    │   │   └── AlreadySavedError   the change is what is already saved: nothing new to add
    │   ├── MigrationError          the schema is not at the expected revision
    │   ├── BackupError             a backup cannot be made or restored
    │   └── AuditError              the audit chain or the state it vouches for was tampered with
    ├── ValidationError             a value given by a user breaks a rule (bad date, bad name)
    └── NotifyError                 a digest could not be delivered (SMTP, webhook)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class LofteError(Exception):
    """Base of every error Löfte raises on purpose."""


class ConfigError(LofteError):
    """A setting is missing or malformed."""


class InputError(LofteError):
    """An input could not be turned into documents. `origin` names the input."""

    def __init__(self, origin: str, message: str) -> None:
        self.origin = origin
        self.message = message
        super().__init__(f"{origin}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Picklable, so a parse worker process can hand the error to its parent.
        return (type(self), (self.origin, self.message))


class ReadError(InputError):
    """The file, folder or URL cannot be read."""


class FetchError(ReadError):
    """A URL could not be fetched (HTTP status, robots.txt, time-out, network)."""


class RefusedURLError(FetchError):
    """A URL, or a redirect on the way, points where Löfte does not fetch from: another scheme
    than http(s), credentials in the URL, or an address that is not public (loopback, private,
    link-local, ...) on a host not named in LOFTE_FETCH_ALLOW_HOSTS."""


class TooLargeError(InputError):
    """The input is larger than the configured cap."""


class BudgetError(InputError):
    """Parsing the input took more time or memory than its budget allows."""


class EmptyInputError(InputError):
    """The input holds no bytes, or no text after decoding."""


class UnsupportedFormatError(InputError):
    """No reader accepts the input."""


class DecodingError(InputError):
    """The bytes are not text in an accepted encoding."""


class ParseError(InputError):
    """A reader accepted the input, but its content is broken."""


class StoreError(LofteError):
    """The database refused an operation or is in the wrong state."""


class UnavailableError(StoreError):
    """The database cannot be reached: the server refuses or dropped the connection, or the
    SQLite file cannot be opened. Nothing was changed; the same operation may work once the
    database is back (the web answers 503, the CLI exits 1 with one line)."""


class BusyError(StoreError):
    """Another process held the database's lock longer than Löfte waits for it (SQLite's
    "database is locked" after LOFTE_SQLITE_BUSY_WAIT): nothing was changed; the same operation
    may work once that process is done (the web answers 503 with Retry-After)."""


class NotFoundError(StoreError):
    """A record that was asked for does not exist."""


class TrackerNotFoundError(NotFoundError):
    """No tracker has the name asked for (a front end can say how to list or make one).
    `slug` is the name asked for, when the store looked it up: the CLI can then name a
    tracker spelt like it (the web does not: that would name draft trackers)."""

    def __init__(self, message: str, slug: str | None = None) -> None:
        super().__init__(message)
        self.slug = slug


class TrackerDeletedError(NotFoundError):
    """The public tracker asked for was deleted (`lofte tracker delete`): the web answers 410
    Gone, saying when, instead of a 404 that reads as a wrong address (a reader's or a
    newsroom's link to a published tracker). Never for a draft that was deleted."""


class ConflictError(StoreError):
    """A change was refused because it conflicts with another one."""


class AlreadySavedError(ConflictError):
    """The change asked for is already saved (a form sent twice): nothing new was written."""


class EvidenceDecidedError(ConflictError):
    """An evidence decision found the evidence decided already, perhaps by someone else."""


class EvidenceAlreadySavedError(AlreadySavedError, EvidenceDecidedError):
    """An evidence decision found the evidence decided as asked already."""


class MigrationError(StoreError):
    """The database schema is not at the revision this version expects."""


class BackupError(StoreError):
    """A backup cannot be made or restored: not a backup, the wrong kind of database, a
    revision this Löfte does not know, or the database tools are missing."""


class AuditError(StoreError):
    """The audit chain is broken, or current state differs from its last audit event."""

    def __init__(self, message: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(message)


class ValidationError(LofteError):
    """A value given by a user breaks a rule. `fields` names the values it is about, by the
    names of the library function's own parameters ("rationale", "date"; () for the whole
    request), so that a form can point at its field without reading the message's words."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        self.fields = fields
        super().__init__(message)


@contextmanager
def about(*fields: str) -> Iterator[None]:
    """Name the values a ValidationError raised inside is about, unless it names its own: a
    rule checked deep down (a date's form, a text's length) does not know which value it
    checks, its caller does."""
    try:
        yield
    except ValidationError as exc:
        if not exc.fields:
            exc.fields = fields
        raise


class FormProblems(ValidationError):
    """Every rule a form's fields break (`problems`), for a page to name them all at once;
    its message and fields are the first's."""

    def __init__(self, problems: list[ValidationError]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]), problems[0].fields)


class AmbiguousQuoteError(ValidationError):
    """A pledge's words stand in more than one place of the program; `places` are their
    (start, end) offsets, so that a form can offer the choice."""

    def __init__(self, message: str, places: list[tuple[int, int]]) -> None:
        self.places = places
        super().__init__(message, ("place",))


class NotifyError(LofteError):
    """A digest could not be delivered by e-mail or webhook; `attempts` says how often it was
    tried."""

    def __init__(self, message: str, attempts: int = 1) -> None:
        self.attempts = attempts
        super().__init__(message)


class LinkBusyError(ConflictError):
    """Another `lofte link` run holds the tracker (store.link_claims): nothing was linked for
    it by this run; the other run links what is new."""


class LinkClaimLostError(ConflictError):
    """A `lofte link` run's claim on its tracker ran out and another run took it over: the
    batches it stored are kept, the other run links the rest."""
