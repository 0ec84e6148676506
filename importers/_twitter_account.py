"""X account sections: what X holds or inferred about the owner, as profile facts and the owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from importers._social_common import SELF_KEY, iso_ms, text_of
from vault.records import Invalid, Person, ProfileFact, Record


def _body(item: Any, *names: str) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    for name in names:
        if isinstance(item.get(name), dict):
            return item[name]
    return None


def owner_id(items: list[Any]) -> str | None:
    """The owner's account id from the elements of `account.js`."""
    for item in items:
        body = _body(item, "account")
        if body is not None and text_of(body.get("accountId")):
            return text_of(body.get("accountId"))
    return None


def account(item: Any, where: str) -> Iterator[Record]:
    """`account.js`: the owner, with e-mail, phone, user name and creation time."""
    body = _body(item, "account")
    if body is None:
        yield Invalid("account element without `account`", where)
        return
    email, phone, username = (text_of(body.get(k)) for k in ("email", "phoneNumber", "username"))
    yield Person(
        SELF_KEY,
        text_of(body.get("accountDisplayName")) or username,
        is_self=True,
        phones=(phone,) if phone else (),
        emails=(email,) if email else (),
        handles=(username,) if username else (),
    )
    for key, value, sensitivity in (
        ("email", email, "medium"),
        ("phone", phone, "high"),
        ("username", username, "medium"),
        ("account_id", text_of(body.get("accountId")), "medium"),
        ("created_via", text_of(body.get("createdVia")), "low"),
    ):
        if value is not None:
            yield ProfileFact(key, value, None, sensitivity)
    created = text_of(body.get("createdAt"))
    if created is not None:
        yield ProfileFact("account_created", created, iso_ms(created), "low")


def ip_audit(item: Any, where: str) -> Iterator[Record]:
    """`ip-audit.js`: each login's address and time."""
    body = _body(item, "ipAudit")
    ip = text_of(body.get("loginIp")) if body else None
    if body is None or ip is None:
        yield Invalid("ip audit entry without loginIp", where)
        return
    yield ProfileFact("ip_address", ip, iso_ms(body.get("createdAt")), "high")


def creation_ip(item: Any, where: str) -> Iterator[Record]:
    """`account-creation-ip.js`: the address the account was created from."""
    body = _body(item, "accountCreationIp")
    ip = text_of(body.get("userCreationIp")) if body else None
    if ip is None:
        yield Invalid("account creation entry without userCreationIp", where)
        return
    yield ProfileFact("ip_address", ip, None, "high")


def phone_number(item: Any, where: str) -> Iterator[Record]:
    """`phone-number.js`: the phone on the account."""
    body = _body(item, "device")
    phone = text_of(body.get("phoneNumber")) if body else None
    if phone is None:
        yield Invalid("device entry without phoneNumber", where)
        return
    yield Person(SELF_KEY, is_self=True, phones=(phone,))
    yield ProfileFact("phone", phone, None, "high")


def _change(item: Any, where: str, outer: str, inner: str, key: str) -> Iterator[Record]:
    body = _body(item, outer)
    change = _body(body, inner)
    if change is None or text_of(change.get("changedTo")) is None:
        yield Invalid(f"{outer} entry without changedTo", where)
        return
    ts = iso_ms(change.get("changedAt"))
    yield ProfileFact(key, change["changedTo"], ts, "medium")
    if text_of(change.get("changedFrom")):
        yield ProfileFact(key, change["changedFrom"], None, "medium")


def email_change(item: Any, where: str) -> Iterator[Record]:
    """`email-address-change.js`: old and new e-mail addresses."""
    yield from _change(item, where, "emailAddressChange", "emailChange", "email")


def screen_name_change(item: Any, where: str) -> Iterator[Record]:
    """`screen-name-change.js`: old and new user names."""
    yield from _change(item, where, "screenNameChange", "screenNameChange", "username")


def ageinfo(item: Any, where: str) -> Iterator[Record]:
    """`ageinfo.js`: the birth date given, or the age range X inferred."""
    body = _body(item, "ageMeta")
    if body is None:
        yield Invalid("ageinfo entry without ageMeta", where)
        return
    yield from age_facts(_body(body, "ageInfo"), "birth_date", "age")
    yield from age_facts(_body(body, "inferredAgeInfo"), "inferred_birth_date", "inferred_age")


def age_facts(info: dict[str, Any] | None, birth_key: str, age_key: str) -> Iterator[Record]:
    """Facts from an `{age: [...], birthDate: ...}` object."""
    if info is None:
        return
    if text_of(info.get("birthDate")):
        yield ProfileFact(birth_key, info["birthDate"], None, "high")
    for age in info.get("age") or []:
        if text_of(age):
            yield ProfileFact(age_key, str(age), None, "high")


def profile(item: Any, where: str) -> Iterator[Record]:
    """`profile.js`: bio, website and the location the owner wrote."""
    body = _body(item, "profile")
    description = _body(body, "description") if body else None
    if description is None:
        yield Invalid("profile entry without description", where)
        return
    for field, key, sensitivity in (
        ("bio", "bio", "low"),
        ("website", "website", "low"),
        ("location", "profile_location", "medium"),
    ):
        if text_of(description.get(field)):
            yield ProfileFact(key, description[field].strip(), None, sensitivity)


def connected_app(item: Any, where: str) -> Iterator[Record]:
    """`connected-application.js` and `app.js`: applications linked to the account."""
    body = _body(item, "connectedApplication", "app")
    if body is None:
        yield Invalid("application entry without a body", where)
        return
    listed = body.get("appNames")
    names: list[Any] = listed if isinstance(listed, list) else [body.get("name")]
    for name in names:
        if text_of(name):
            yield ProfileFact("linked_account", f"app:{name}", iso_ms(body.get("approvedAt")), "medium")
