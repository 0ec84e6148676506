"""Pseudonyms are keyed per recipient, stable, normalised, and never an unkeyed hash."""

from __future__ import annotations

import hashlib

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.anonymize.keys import derive
from vault.anonymize.pseudonym import normalize, pseudonym, pseudonymize

DATA_KEY = bytes(range(32))
VALUES = st.one_of(st.text(min_size=1, max_size=30), st.integers(0, 2**62))


@given(VALUES, st.text(min_size=1, max_size=10))
@settings(max_examples=200)
def test_same_recipient_same_pseudonym(value: object, recipient: str) -> None:
    key, _ = derive(DATA_KEY, recipient, "a" * 64)
    key_again, _ = derive(DATA_KEY, recipient, "b" * 64)
    assert pseudonym(key, normalize(value)) == pseudonym(key_again, normalize(value))


@given(VALUES, st.text(min_size=1, max_size=10), st.text(min_size=1, max_size=10))
@settings(max_examples=200)
def test_other_recipient_other_pseudonym(value: object, first: str, second: str) -> None:
    if first == second:
        return
    one = pseudonym(derive(DATA_KEY, first, "p")[0], normalize(value))
    two = pseudonym(derive(DATA_KEY, second, "p")[0], normalize(value))
    assert one != two


@given(VALUES)
@settings(max_examples=200)
def test_never_an_unkeyed_hash(value: object) -> None:
    key, _ = derive(DATA_KEY, "study-42", "p")
    shown = pseudonym(key, normalize(value), length=64)
    text = normalize(value).encode()
    unkeyed = {hashlib.sha256(text).hexdigest(), hashlib.sha256(str(value).encode()).hexdigest()}
    assert shown not in unkeyed


def test_spellings_of_one_identifier_share_a_pseudonym() -> None:
    values = pa.array(
        [
            "+49 30 1234567",
            "0049301234567",
            "Anna@Example.ORG",
            "anna@example.org ",
            "Zoë  Ünal",
            "ZOË ÜNAL",
            None,
        ]
    )
    out = pseudonymize(values, b"k" * 32).to_pylist()
    assert out[0] == out[1] and out[2] == out[3] and out[4] == out[5]
    assert len({out[0], out[2], out[4]}) == 3 and out[6] is None


def test_national_phone_normalised_with_region() -> None:
    assert normalize("030 1234567", "phone", ["DE"]) == "+49301234567"


def test_seed_depends_on_policy_key_does_not() -> None:
    key_a, seed_a = derive(DATA_KEY, "r", "a" * 64)
    key_b, seed_b = derive(DATA_KEY, "r", "b" * 64)
    assert key_a == key_b and seed_a != seed_b
    assert derive(bytes(32), "r", "a" * 64) != (key_a, seed_a)
