"""The synthetic person: where they live and work, who they know, and their identifiers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers

from vault.demo.truth import Contact, Place

FIRST_NAMES = [
    "Lena",
    "Jonas",
    "Mia",
    "Lukas",
    "Zoë",
    "Jürgen",
    "Emma",
    "Felix",
    "Sofia",
    "Paul",
    "Hannah",
    "Elias",
    "Lea",
    "Noah",
    "Marie",
    "Ben",
    "Clara",
    "Leon",
    "Ayşe",
    "Mehmet",
    "Chloé",
    "Mateo",
    "Ingrid",
    "Tomás",
    "Priya",
    "Kenji",
    "Olga",
    "Rafael",
    "Nina",
    "Jan",
    "Greta",
    "Anton",
    "Maya",
    "Emil",
    "Ida",
    "Oskar",
    "Frieda",
    "Karl",
    "Aurélie",
    "Björn",
]
LAST_NAMES = [
    "Hoffmann",
    "Weber",
    "Schneider",
    "Müller",
    "Fischer",
    "Wagner",
    "Becker",
    "Schulz",
    "Köhler",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Çelik",
    "Yılmaz",
    "García",
    "Dubois",
    "Rossi",
    "Nowak",
    "Jansen",
    "Lindqvist",
    "Tanaka",
    "Silva",
]

# Berlin neighbourhoods: (name, lat, lon, postcode, streets)
NEIGHBOURHOODS = [
    ("Neukölln", 52.4811, 13.4350, "12047", ["Weserstraße", "Pannierstraße", "Sonnenallee"]),
    ("Kreuzberg", 52.4986, 13.4030, "10999", ["Oranienstraße", "Wiener Straße", "Reichenberger Straße"]),
    (
        "Prenzlauer Berg",
        52.5389,
        13.4244,
        "10437",
        ["Kastanienallee", "Stargarder Straße", "Lychener Straße"],
    ),
    (
        "Friedrichshain",
        52.5155,
        13.4540,
        "10245",
        ["Boxhagener Straße", "Simon-Dach-Straße", "Krossener Straße"],
    ),
    ("Mitte", 52.5250, 13.4010, "10115", ["Torstraße", "Invalidenstraße", "Linienstraße"]),
    ("Charlottenburg", 52.5050, 13.3040, "10625", ["Kantstraße", "Pestalozzistraße", "Goethestraße"]),
    ("Schöneberg", 52.4840, 13.3530, "10827", ["Akazienstraße", "Goltzstraße", "Crellestraße"]),
    ("Wedding", 52.5500, 13.3600, "13353", ["Müllerstraße", "Seestraße", "Amrumer Straße"]),
]

# Trip destinations: (city, country, lat, lon, zone, airport lat, lon)
DESTINATIONS = [
    ("Lisbon", "PT", 38.7139, -9.1394, "Europe/Lisbon", 38.7742, -9.1342),
    ("Rome", "IT", 41.8986, 12.4769, "Europe/Rome", 41.8003, 12.2389),
    ("Barcelona", "ES", 41.3874, 2.1686, "Europe/Madrid", 41.2974, 2.0833),
    ("New York", "US", 40.7306, -73.9866, "America/New_York", 40.6413, -73.7781),
    ("Copenhagen", "DK", 55.6761, 12.5683, "Europe/Copenhagen", 55.6180, 12.6508),
]
BER_AIRPORT = (52.3667, 13.5033)

PLATFORMS_FOR_CONTACTS = ["whatsapp", "telegram", "messenger", "instagram", "x", "reddit"]


@dataclass(frozen=True)
class TripPlan:
    """A stay abroad: the first and last local dates are travel days."""

    city: str
    country: str
    zone: str
    start: date
    days: int
    hotel: Place
    sights: tuple[Place, ...]
    airport: Place


@dataclass
class Persona:
    """One synthetic person, fully determined by the seed."""

    seed: int
    zone: str
    start: date
    days: int
    first: str
    last: str
    phone: str  # E.164
    email: str
    handles: dict[str, str]
    birth_date: str
    gender: str
    home: Place
    work: Place
    gym: Place
    errands: list[Place]
    airport: Place
    trips: list[TripPlan]
    contacts: list[Contact]
    identifiers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The owner's full name."""
        return f"{self.first} {self.last}"


def _jitter(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """Move a point up to `metres` in a random direction."""
    return (
        round(lat + rng.uniform(-metres, metres) / 111_320, 6),
        round(lon + rng.uniform(-metres, metres) / 68_000, 6),
    )


def _place(rng: random.Random, role: str, name: str, hood: tuple, spread: float) -> Place:
    """A place inside a neighbourhood with a street address."""
    _hood_name, lat, lon, postcode, streets = hood
    plat, plon = _jitter(rng, lat, lon, spread)
    street = rng.choice(streets)
    address = f"{street} {rng.randint(1, 180)}, {postcode} Berlin"
    return Place(role, name, plat, plon, address, "Berlin")


def mobile_number(rng: random.Random, region: str = "DE") -> str:
    """A valid mobile number in E.164 for a region (DE, GB, US, FR)."""
    prefixes = {
        "DE": ["+49151", "+49152", "+49157", "+49160", "+49170", "+49176"],
        "GB": ["+447700", "+447911"],
        "US": ["+1415555", "+1212555"],
        "FR": ["+336"],
    }
    lengths = {"DE": 13, "GB": 13, "US": 12, "FR": 12}
    while True:
        prefix = rng.choice(prefixes[region])
        digits = "".join(str(rng.randint(0, 9)) for _ in range(lengths[region] - len(prefix)))
        number = prefix + digits
        parsed = phonenumbers.parse(number)
        if phonenumbers.is_valid_number(parsed):
            return number


def phone_formats(e164: str) -> dict[str, str]:
    """The ways people write one number: international, national, E.164, 00-prefixed, RFC 3966."""
    parsed = phonenumbers.parse(e164)
    fmt = phonenumbers.PhoneNumberFormat
    international = phonenumbers.format_number(parsed, fmt.INTERNATIONAL)
    return {
        "e164": e164,
        "international": international,
        "national": phonenumbers.format_number(parsed, fmt.NATIONAL),
        "double_zero": "00" + international[1:],
        "rfc3966": phonenumbers.format_number(parsed, fmt.RFC3966),
    }


def german_iban(rng: random.Random) -> str:
    """A German IBAN with a correct mod-97 check, grouped in fours as people write it."""
    bban = "".join(str(rng.randint(0, 9)) for _ in range(18))
    numeric = int(bban + "131400")  # D=13, E=14, then 00
    check = 98 - numeric % 97
    iban = f"DE{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def luhn_card(rng: random.Random) -> str:
    """A Luhn-valid 16-digit Visa-style number, grouped in fours."""
    digits = [4] + [rng.randint(0, 9) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        doubled = d * 2 if i % 2 == 0 else d
        total += doubled - 9 if doubled > 9 else doubled
    number = "".join(map(str, digits)) + str((10 - total % 10) % 10)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def _slug(text: str) -> str:
    """An ASCII handle from a name."""
    table = str.maketrans(
        {
            "ä": "ae",
            "ö": "oe",
            "ü": "ue",
            "ß": "ss",
            "é": "e",
            "ë": "e",
            "ç": "c",
            "ş": "s",
            "ı": "i",
            "á": "a",
            "ó": "o",
            "è": "e",
        }
    )
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum() or ch == ".")


def _contacts(rng: random.Random, owner_last: str, count: int) -> list[Contact]:
    """Contacts with phones, e-mails and the platforms they are on."""
    names: set[str] = set()
    contacts: list[Contact] = []
    regions = ["DE"] * 7 + ["GB", "US", "FR"]
    while len(contacts) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        if name in names or last == owner_last:
            continue
        names.add(name)
        phone = mobile_number(rng, rng.choice(regions))
        domain = rng.choice(["gmail.com", "web.de", "posteo.de", "outlook.com", "gmx.net"])
        email = f"{_slug(first)}.{_slug(last)}{rng.randint(1, 99)}@{domain}"
        contacts.append(Contact(name, phone, email, {}))
    return contacts


def _trip(rng: random.Random, dest: tuple, start: date, days: int) -> TripPlan:
    """A trip to one destination with a hotel, sights and the airport."""
    city, country, lat, lon, zone, alat, alon = dest
    hlat, hlon = _jitter(rng, lat, lon, 900)
    hotel = Place("hotel", f"Hotel {city} Centro", hlat, hlon, f"Hotel {city} Centro, {city}", city)
    sights = []
    for i in range(4):
        slat, slon = _jitter(rng, lat, lon, 2500)
        sights.append(Place("sight", f"{city} sight {i + 1}", slat, slon, f"{city}", city))
    airport = Place("airport", f"{city} airport", alat, alon, f"{city} airport", city)
    return TripPlan(city, country, zone, start, days, hotel, tuple(sights), airport)


def build_persona(seed: int, start: date = date(2023, 2, 1), days: int = 365) -> Persona:
    """Draw the whole persona from the seed."""
    rng = random.Random(seed)
    first, last = rng.choice(FIRST_NAMES[:20]), rng.choice(LAST_NAMES[:20])
    hoods = rng.sample(NEIGHBOURHOODS, 3)
    home = _place(rng, "home", "Home", hoods[0], 600)
    work = _place(rng, "work", "Office", hoods[1], 500)
    gym = _place(rng, "gym", "Urban Gym", hoods[0], 900)
    errands = [
        _place(rng, "shop", "Supermarket", hoods[0], 500),
        _place(rng, "cafe", "Café Kiez", hoods[0], 700),
        _place(rng, "park", "Park", hoods[2], 400),
        _place(rng, "friend", "Friend's flat", hoods[2], 600),
        _place(rng, "bar", "Bar", hoods[1], 800),
    ]
    lunch = _place(rng, "lunch", "Lunch place", hoods[1], 300)
    errands.append(lunch)
    airport = Place("airport", "BER airport", BER_AIRPORT[0], BER_AIRPORT[1], "Flughafen BER", "Berlin")
    dests = rng.sample(DESTINATIONS, 3)
    trips = []
    for i, dest in enumerate(dests):
        offset = int(days * (i + 1) / 4) + rng.randint(-10, 10)
        trips.append(_trip(rng, dest, start + timedelta(days=offset), rng.randint(4, 8)))
    handle = f"{_slug(first)}.{_slug(last)}"
    persona = Persona(
        seed=seed,
        zone="Europe/Berlin",
        start=start,
        days=days,
        first=first,
        last=last,
        phone=mobile_number(rng, "DE"),
        email=f"{handle}@posteo.de",
        handles={
            "x": f"{_slug(first)}{_slug(last)[:4]}{rng.randint(10, 99)}",
            "reddit": f"{_slug(first)}_{_slug(last)[:5]}_{rng.randint(80, 99)}",
            "instagram": handle,
            "telegram": f"{_slug(first)}{rng.randint(100, 999)}",
            "messenger": f"{first} {last}",
            "whatsapp": f"{first} {last}",
        },
        birth_date=f"{rng.randint(1985, 1998)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        gender=rng.choice(["female", "male"]),
        home=home,
        work=work,
        gym=gym,
        errands=errands,
        airport=airport,
        trips=trips,
        contacts=_contacts(rng, last, 36),
    )
    persona.identifiers = {
        "iban": german_iban(rng),
        "card": luhn_card(rng),
        "ip": f"{rng.randint(81, 95)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        "url": f"https://{_slug(last)}-{rng.randint(100, 999)}.example.net/cv",
    }
    return persona
