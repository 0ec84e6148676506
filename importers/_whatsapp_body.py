"""What a WhatsApp message body is: text, a media placeholder, a deletion, a poll, a location."""

from __future__ import annotations

import re
from typing import NamedTuple

from importers._chat_common import attachment_kind
from vault.records import Attachment

_LRM = "\u200e"

# Placeholders written instead of a file that was not exported, by locale (lower case).
_MEDIA_PLACEHOLDERS = {
    "<media omitted>": None,
    "<medien ausgeschlossen>": None,
    "<multimedia omitido>": None,
    "<médias omis>": None,
    "<fichier omis>": None,
    "<media weggelaten>": None,
    "<mídia oculta>": None,
    "<arquivo de mídia oculto>": None,
    "<media omessi>": None,
    "<media dihilangkan>": None,
    "<medya dahil edilmedi>": None,
    "<без медиафайлов>": None,
    "image omitted": "photo",
    "video omitted": "video",
    "audio omitted": "audio",
    "sticker omitted": "sticker",
    "gif omitted": "gif",
    "document omitted": "file",
    "bild weggelassen": "photo",
    "video weggelassen": "video",
    "audio weggelassen": "audio",
    "sticker weggelassen": "sticker",
    "gif weggelassen": "gif",
    "imagen omitida": "photo",
    "video omitido": "video",
    "audio omitido": "audio",
    "sticker omitido": "sticker",
    "image absente": "photo",
    "vidéo absente": "video",
    "audio omis": "audio",
    "immagine omessa": "photo",
    "null": None,
}

_CONTACT_PLACEHOLDERS = {
    "contact card omitted",
    "kontaktkarte weggelassen",
    "tarjeta de contacto omitida",
    "carte de contact omise",
}

_DELETED = {
    "this message was deleted",
    "you deleted this message",
    "diese nachricht wurde gelöscht",
    "du hast diese nachricht gelöscht",
    "se eliminó este mensaje",
    "eliminaste este mensaje",
    "este mensaje fue eliminado",
    "ce message a été supprimé",
    "vous avez supprimé ce message",
    "questo messaggio è stato eliminato",
    "hai eliminato questo messaggio",
    "essa mensagem foi apagada",
    "mensagem apagada",
    "você apagou esta mensagem",
    "dit bericht is verwijderd",
    "waiting for this message. this may take a while.",
}

_EDITED = re.compile(
    r"\s*\u200e?<(?:this message was edited|diese nachricht wurde bearbeitet|"
    r"se editó este mensaje\.?|ce message a été modifié|questo messaggio è stato modificato|"
    r"esta mensagem foi editada)>$",
    re.IGNORECASE,
)

_ATTACHED = re.compile(
    r"^\u200e?(?:<\s*attached:\s*(?P<ios>[^>]+?)\s*>"
    r"|(?P<named>\S.*?)\s+(?:\(file attached\)|\(datei angehängt\)|\(archivo adjunto\)|"
    r"\(fichier joint\)|\(file allegato\)|\(arquivo anexado\)|\(bestand bijgevoegd\)|"
    r"<\u200e?attached>))(?:\n(?P<caption>.*))?$",
    re.DOTALL | re.IGNORECASE,
)

_LOCATION = re.compile(
    r"^(?:[\w ]{0,40}:\s*)?https?://maps\.google\.com/(?:maps)?\?q=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)"
)

_POLL_HEADS = frozenset({"POLL:", "UMFRAGE:", "ENCUESTA:", "SONDAGE:", "SONDAGGIO:", "ENQUETE:"})

_CALLS = re.compile(
    r"^(?:missed (?:voice|video) call|voice call|video call|verpasster (?:sprach|video)anruf|"
    r"llamada perdida|appel (?:vocal|vidéo) manqué)",
    re.IGNORECASE,
)

_ENCRYPTION = re.compile(
    r"end-to-end encrypt|secured with end-to-end encryption|ende-zu-ende-verschlüsselt|"
    r"cifrados de extremo a extremo|chiffrement de bout en bout|crittografia end-to-end|"
    r"criptografia de ponta a ponta",
    re.IGNORECASE,
)

_SHORTEST_NOTICE = len("end-to-end encrypt")  # the shortest text _ENCRYPTION matches
# A word every notice has, case as written: most lines fail this one cheap search.
_ENCRYPTION_HINT = re.compile("crypt|chiffr|cifra|verschl|criptogr|crittogr")

_CREATED_GROUP = re.compile(
    r"created group|created this group|die gruppe .*erstellt|hat die gruppe|creó el grupo|"
    r"creaste el grupo|a créé le groupe|avez créé le groupe|ha creato il gruppo|criou o grupo|"
    r"heeft groep .* aangemaakt|added|hinzugefügt|añadió|a ajouté",
    re.IGNORECASE,
)


class Body(NamedTuple):
    """A classified message body."""

    kind: str
    text: str | None
    edited: bool = False
    deleted: bool = False
    lat: float | None = None
    lon: float | None = None
    attachments: tuple[Attachment, ...] = ()


def classify(text: str) -> Body | None:
    """Classify one message body (the text after "Name: "); None for plain text."""
    edited = False
    if text[-1:] == ">":
        match = _EDITED.search(text)
        if match:
            text, edited = text[: match.start()], True
    plain = text.lstrip(_LRM) if text[:1] == _LRM else text
    if len(plain) < 48:
        body = _classify_short(plain)
        if body is not None:
            return body._replace(edited=edited)
    body = _classify_long(plain)
    if body is None:
        return Body("text", plain, edited=True) if edited else None
    return body._replace(edited=edited)


def _classify_short(plain: str) -> Body | None:
    lowered = plain.casefold()
    if lowered in _MEDIA_PLACEHOLDERS:
        kind = _MEDIA_PLACEHOLDERS[lowered]
        return Body("media", None, attachments=(Attachment(kind),) if kind else ())
    if lowered in _DELETED:
        return Body("text", None, deleted=True)
    if lowered in _CONTACT_PLACEHOLDERS:
        return Body("contact", None)
    if ("call" in lowered or "anruf" in lowered or "llamada" in lowered or "appel" in lowered) and (
        _CALLS.match(plain)
    ):
        return Body("call", plain)
    return None


def _classify_long(plain: str) -> Body | None:
    newline = plain.find("\n")
    first = plain if newline < 0 else plain[:newline]
    if first[-1:] in (")", ">") and (attached := _ATTACHED.match(plain)):
        name = (attached.group("ios") or attached.group("named")).strip(_LRM + " ")
        kind = "contact" if name.lower().endswith(".vcf") else "media"
        attachment = Attachment(attachment_kind(name), name)
        return Body(kind, attached.group("caption"), attachments=(attachment,))
    if "maps.google" in first and (location := _LOCATION.match(plain)):
        lat, lon = float(location.group(1)), float(location.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Body("location", plain, lat=lat, lon=lon)
    if newline > 0 and first.replace(_LRM, "").upper() in _POLL_HEADS:
        return Body("poll", plain.replace(_LRM, ""))
    return None


def is_encryption_notice(text: str) -> bool:
    """Tell whether a line is WhatsApp's end-to-end encryption notice (in any known language)."""
    hinted = len(text) >= _SHORTEST_NOTICE and _ENCRYPTION_HINT.search(text) is not None
    return hinted and bool(_ENCRYPTION.search(text))


def is_group_event(text: str) -> bool:
    """Tell whether a system line shows a group (created, members added)."""
    return bool(_CREATED_GROUP.search(text))
