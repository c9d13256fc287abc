"""One exception tree for everything that can go wrong with a message.

Every error carries a stable ``code``: it is the dead-letter reason header, the metric label and
what the CLI prints, so it must never change once published. ``retriable`` tells the edge whether
to try again (broker trouble) or to dead-letter the message at once (bad input).
"""

from __future__ import annotations

from typing import ClassVar


class WirefeedError(Exception):
    """Base of every error wirefeed raises on purpose."""

    code: ClassVar[str] = "internal_error"
    retriable: ClassVar[bool] = False

    def __init__(self, message: str, *, stage: str = "parse") -> None:
        super().__init__(message)
        self.message = message
        self.stage = stage

    def as_dict(self) -> dict[str, str | bool]:
        return {"code": self.code, "message": self.message, "stage": self.stage, "retriable": self.retriable}


class RejectedInput(WirefeedError):
    """The message itself is bad: retrying cannot help, it goes to the dead-letter topic."""

    code = "rejected"


class EmptyMessage(RejectedInput):
    code = "empty_message"


class TooLarge(RejectedInput):
    code = "too_large"


class UndecodableText(RejectedInput):
    code = "bad_encoding"


class UnknownFormat(RejectedInput):
    code = "unknown_format"


class UnsafeXml(RejectedInput):
    """DOCTYPE, entity declarations and anything else that could make the parser fetch or expand."""

    code = "unsafe_xml"


class MalformedXml(RejectedInput):
    code = "malformed_xml"


class MalformedJson(RejectedInput):
    code = "malformed_json"


class TooDeep(RejectedInput):
    code = "too_deep"


class MissingContent(RejectedInput):
    """Well-formed, but without the headline or text a wire item needs."""

    code = "missing_content"


class InvalidItem(RejectedInput):
    """The parsed fields do not fit the item model (bad dates, wrong types, ...)."""

    code = "invalid_item"


class InternalError(WirefeedError):
    """A bug: an exception no parser meant to raise. Still dead-lettered, never crashes a worker."""

    code = "internal_error"


class PublishFailed(WirefeedError):
    """The broker refused a record for good (for example: too large). Dead-lettered, not retried."""

    code = "publish_failed"


class TransientError(WirefeedError):
    """Infrastructure trouble (broker down, timeouts): retry, never dead-letter."""

    code = "transient"
    retriable = True


REASON_CODES: tuple[str, ...] = tuple(
    sorted(
        {
            cls.code
            for cls in (
                EmptyMessage,
                TooLarge,
                UndecodableText,
                UnknownFormat,
                UnsafeXml,
                MalformedXml,
                MalformedJson,
                TooDeep,
                MissingContent,
                InvalidItem,
                InternalError,
                PublishFailed,
            )
        }
    )
)
"""Every reason a message can be dead-lettered for: the fixed label set of the rejection metric."""
