"""The policy's words: surfaces, grounds, measures' inputs and the states of a case."""

from __future__ import annotations

from enum import StrEnum


class Surface(StrEnum):
    """Where the reported content lives: the five services the policy covers."""

    KAKAOTALK_PROFILE = "kakaotalk_profile"
    TALK_BOARD = "talk_board"
    OPEN_CHAT_BOARD = "open_chat_board"
    OPEN_CHAT_COVER = "open_chat_cover"
    OPEN_PROFILE = "open_profile"


class Ground(StrEnum):
    """Why the content violates the claimant's rights."""

    PRIVACY = "privacy"
    PORTRAIT = "portrait"
    DEFAMATION = "defamation"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    OTHER_RIGHTS = "other_rights"


class IpRight(StrEnum):
    """Which intellectual property right is infringed."""

    PATENT = "patent"
    TRADEMARK = "trademark"
    DESIGN = "design"
    COPYRIGHT = "copyright"


class RequestedAction(StrEnum):
    """What the claimant asks the service to do with the content."""

    DELETE = "delete"
    BLOCK = "block"


class MeasureKind(StrEnum):
    """What a reviewer decides on a case: the measures the policy allows, and no measure."""

    REQUEST_INFORMATION = "request_information"
    REJECT = "reject"
    BLOCK_CONTENT = "block_content"
    DELETE_CONTENT = "delete_content"
    RESTRICT_ROOM = "restrict_room"
    RESTRICT_USER = "restrict_user"


ENFORCEMENT_MEASURES = frozenset(
    {
        MeasureKind.BLOCK_CONTENT,
        MeasureKind.DELETE_CONTENT,
        MeasureKind.RESTRICT_ROOM,
        MeasureKind.RESTRICT_USER,
    }
)
"""The measures the platform must apply."""

RESTRICTIONS = frozenset({MeasureKind.RESTRICT_USER, MeasureKind.RESTRICT_ROOM})
"""The measures that restrict a user or a room for a time: they lapse by themselves and can be
appealed."""

ALONE_MEASURES = frozenset({MeasureKind.REJECT, MeasureKind.REQUEST_INFORMATION})
"""The decisions that cannot be combined with any other measure."""


class Relationship(StrEnum):
    """Whether the claimant is the person harmed or acts for them."""

    SELF = "self"
    AGENT = "agent"


class Lang(StrEnum):
    """The languages the service speaks to claimants and posters."""

    KO = "ko"
    EN = "en"


class CaseStatus(StrEnum):
    """Where a case stands in its life."""

    RECEIVED = "received"
    IN_REVIEW = "in_review"
    INFORMATION_REQUESTED = "information_requested"
    REJECTED = "rejected"
    ACTIONED = "actioned"
    REPOSTING_REQUESTED = "reposting_requested"
    REINSTATED = "reinstated"
    UPHELD = "upheld"
    CLOSED = "closed"
    CLOSED_NO_RESPONSE = "closed_no_response"
    WITHDRAWN = "withdrawn"


OPEN_CHAT_SURFACES = frozenset({Surface.OPEN_CHAT_BOARD, Surface.OPEN_CHAT_COVER})
