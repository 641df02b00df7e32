"""The vocabulary, once: kinds, stances and their groups, anonymity, statuses and ratings."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    GOVERNMENT_BODY = "government_body", "Government body"
    MILITARY = "military", "Military"
    ARMED_GROUP = "armed_group", "Armed group"
    COMPANY = "company", "Company"
    MOVEMENT = "movement", "Movement"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    MEDIA = "media", "Media"
    PERSON = "person", "Person"
    OTHER = "other", "Other"


class SourceKind(models.TextChoices):
    PERSON = "person", "Named person"
    ORGANISATION = "organisation", "Organisation"
    DOCUMENT = "document", "Document"
    ANONYMOUS = "anonymous", "Anonymous"
    # An official speaking on the record for a body without being named ("a spokesman for
    # Haftar's militia"): the body owns the words, so it is not an anonymous source.
    SPOKESPERSON = "spokesperson", "Unnamed spokesperson (on the record)"
    UNATTRIBUTED = "unattributed", "Unattributed"


class SourceTie(models.TextChoices):
    """How a source is tied to its actor: only speaking for it makes its words the actor's."""

    SPEAKS_FOR = "speaks_for", "Speaks for the actor"
    BELONGS_TO = "belongs_to", "Belongs to the actor"


# Source kinds that stand for no person, so their attributions count nobody.
NOT_PEOPLE = (SourceKind.DOCUMENT, SourceKind.UNATTRIBUTED)


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    DECLINED = "declined", "Declined to comment"
    NO_RESPONSE = "no_response", "Did not respond"


# The "responses" (what the design card calls denials): what a source did when asked. Analysts
# ask for them as one group, by this name, on the pages, the exports and the API alike.
RESPONSES = (Stance.DENIES, Stance.DECLINED, Stance.NO_RESPONSE)
RESPONSES_GROUP = "responses"
RESPONSES_LABEL = "Any response (denied, declined, no response)"
STANCE_FILTER_CHOICES = [*Stance.choices, (RESPONSES_GROUP, RESPONSES_LABEL)]


def expand_stances(stances: Iterable[str]) -> list[str]:
    """Stance values with the group name "responses" expanded to its three stances."""
    expanded: list[str] = []
    for stance in stances:
        for value in RESPONSES if stance == RESPONSES_GROUP else (stance,):
            if value not in expanded:
                expanded.append(str(value))
    return expanded


class Anonymity(models.TextChoices):
    NAMED = "named", "Named"
    ANONYMOUS = "anonymous", "Anonymous"
    # On the record for a named body, the person unnamed: not counted as anonymous.
    ON_RECORD = "on_record", "On the record, unnamed"
    UNATTRIBUTED = "unattributed", "Unattributed"


class DatePrecision(models.TextChoices):
    """How much of a date is known: "7 January 2020", "January 2020", "2020"."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class LinkRelation(models.TextChoices):
    """How one claim answers another (read from the first: it contradicts the second)."""

    CONTRADICTS = "contradicts", "Contradicts"
    SUPPORTS = "supports", "Supports"
    SAME_AS = "same_as", "The same as"


class ClaimStatus(models.TextChoices):
    UNRATED = "unrated", "Not yet rated"
    CONFIRMED = "confirmed", "Confirmed"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    REFUTED = "refuted", "Refuted"
    UNPROVEN = "unproven", "Unproven"


# What the evidence says of a claim: every claim status but "not yet rated", the same values.
# Built with Enum's functional API so the values are written once; django-stubs types only the
# class syntax, hence the ignore, and the annotation gives mypy the class it makes.
Rating: type[models.TextChoices] = models.TextChoices(  # type: ignore[call-overload]
    "Rating",
    [(s.name, (s.value, s.label)) for s in ClaimStatus if s != ClaimStatus.UNRATED],
    module=__name__,
)
