"""Every share operator, as table-level functions registered with their parameters."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pyarrow as pa

from vault.anonymize import location_ops as loc
from vault.anonymize import numbers, pseudonym, quasi, text, timeops
from vault.anonymize.context import OperatorContext
from vault.anonymize.identifiers import KINDS
from vault.anonymize.registry import (
    Check,
    Columns,
    OperatorSpec,
    OpError,
    Param,
    Params,
    arrow_kind,
    column_array,
    column_kind,
    with_column,
)

_LAT = Param("lon", "str", "longitude column paired with this latitude (default: lat -> lon)")


def _map(table: pa.Table, column: str, values: pa.Array) -> pa.Table:
    """Replace one column by new values."""
    return with_column(table, column, values)


def _drop(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    return table.drop_columns([column]) if column in table.column_names else table


def _pseudonymize(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = pseudonym.pseudonymize(
        column_array(table, column),
        ctx.pseudonym_key,
        how=params["normalize"],
        length=params["length"],
        prefix=params["prefix"],
        regions=ctx.phone_regions,
    )
    return _map(table, column, values)


def _tag(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    return _map(table, column, text.tag(column_array(table, column), ctx.finder, params["label"]))


def _redact(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = text.redact(column_array(table, column), ctx.finder, params["kinds"], params["style"])
    return _map(table, column, values)


def _drop_others(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    return table.filter(text.owner_mask(column_array(table, params["sender"]), ctx.owner_person_ids))


def _length_only(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    return _map(table, column, text.length_only(column_array(table, column), params["unit"]))


def _truncate(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = timeops.truncate(column_array(table, column), params["to"], ctx.timezone)
    return _map(table, column, values)


def _shift(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    # One draw per export, whatever the column: start and end times move together.
    rng = ctx.rng(f"shift\x00{params['max_days']}\x00{params['whole_days']}")
    offset = timeops.draw_shift_ms(rng, params["max_days"], params["whole_days"])
    return _map(table, column, timeops.shift(column_array(table, column), offset))


def _hour_of_week(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    return _map(table, column, timeops.hour_of_week(column_array(table, column), ctx.timezone))


def _generalize(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = column_array(table, column)
    if params.get("interval") is not None:
        return _map(table, column, quasi.generalize_interval(values, float(params["interval"])))
    if params.get("prefix") is not None:
        return _map(table, column, quasi.generalize_prefix(values, int(params["prefix"])))
    return _map(table, column, quasi.generalize_date(values, params["part"], ctx.timezone))


def _suppress_rare(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    names = [column, *[c for c in params["with"] if c != column]]
    keep = quasi.rare_mask([column_array(table, n) for n in names], int(params["k"]))
    if params["action"] == "drop":
        return table.filter(pa.array(keep, pa.bool_()))
    values = column_array(table, column)
    nulled = pa.array(keep, pa.bool_())
    return _map(table, column, pa.compute.if_else(nulled, values, pa.scalar(None, values.type)))


def _round(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = numbers.round_values(column_array(table, column), params["digits"], params["multiple"])
    return _map(table, column, values)


def _bin(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    values = numbers.bin_values(column_array(table, column), params["edges"], params["labels"])
    return _map(table, column, values)


def _check_generalize(column: str, params: Params, available: Mapping[str, str] | None) -> None:
    """Exactly one of interval, prefix, part, matching the column's kind."""
    given = [name for name in ("interval", "prefix", "part") if params.get(name) is not None]
    if len(given) != 1:
        raise OpError("op", "generalize needs exactly one of: interval, prefix, part")
    if available is None or column not in available:
        return
    kind = column_kind(available[column])
    needed = {"interval": ("integer", "float"), "prefix": ("text",), "part": ("time",)}
    if kind not in needed[given[0]]:
        raise OpError(given[0], f"does not apply to {column!r} ({available[column]})")


def _check_bin(column: str, params: Params, available: Mapping[str, str] | None) -> None:
    """Edges ascending and, when labels are given, one more label than edges."""
    edges = params.get("edges") or []
    if not edges or any(b <= a for a, b in itertools.pairwise(edges)):
        raise OpError("edges", "needs at least one edge, in strictly ascending order")
    labels = params.get("labels")
    if labels and len(labels) != len(edges) + 1:
        raise OpError("labels", f"{len(edges)} edges need {len(edges) + 1} labels")


def _check_columns(*names: str) -> Check:
    """A check that the columns named by these parameters exist."""

    def check(column: str, params: Params, available: Mapping[str, str] | None) -> None:
        for name in names:
            values = params.get(name)
            for value in values if isinstance(values, list) else [values]:
                if available is not None and value and value not in available:
                    raise OpError(name, f"unknown column {value!r}")

    return check


def _check_snap(column: str, params: Params, available: Mapping[str, str] | None) -> None:
    loc.check_pair(column, params, available)
    if params.get("cell_column") and params.get("grid_m"):
        raise OpError("cell_column", "only H3 snapping has cells (drop grid_m or cell_column)")


def _reads(*names: str) -> Columns:
    """Columns read besides the target, taken from these parameters."""

    def reads(column: str, params: Params) -> tuple[str, ...]:
        found: list[str] = []
        for name in names:
            value = params.get(name)
            found += value if isinstance(value, list) else [value] if value else []
        return tuple(found)

    return reads


def _specs() -> list[OperatorSpec]:
    """All operators, in the order the template documents them."""
    return [
        OperatorSpec("drop", "identifiers", "remove the column from the slice", ("any",), (), _drop),
        OperatorSpec(
            "pseudonymize",
            "identifiers",
            "replace each value by a keyed HMAC-SHA256 pseudonym, stable for this recipient only",
            ("text", "integer"),
            (
                Param(
                    "normalize",
                    "str",
                    "how values are normalised first (E.164 phones, lower-case e-mails, NFKC+casefold names)",
                    "auto",
                    pseudonym.NORMALIZATIONS,
                ),
                Param("length", "int", "hex digits kept", 16, minimum=8, maximum=64),
                Param("prefix", "str", "text put before each pseudonym", ""),
            ),
            _pseudonymize,
        ),
        OperatorSpec(
            "tag",
            "identifiers",
            "replace each value by its kind (<EMAIL>, <PHONE>...) or a label",
            ("text",),
            (Param("label", "str", "used when the value is no known kind", "<VALUE>"),),
            _tag,
        ),
        OperatorSpec(
            "redact",
            "free text",
            "replace e-mails, URLs, phones, IBANs, cards, IPs, coordinates, map links and the "
            "names of people in the vault by [KIND]",
            ("text",),
            (
                Param("kinds", "str_list", "kinds to redact", list(KINDS), KINDS),
                Param("style", "str", "'tag' writes [EMAIL], 'remove' deletes", "tag", text.REDACT_STYLES),
            ),
            _redact,
        ),
        OperatorSpec(
            "drop_others",
            "free text",
            "keep only the owner's messages (rows)",
            ("any",),
            (Param("sender", "str", "the column holding the sender's person id", "sender_id"),),
            _drop_others,
            phase="rows",
            check=_check_columns("sender"),
            reads=_reads("sender"),
        ),
        OperatorSpec(
            "length_only",
            "free text",
            "replace each text by its length",
            ("text",),
            (Param("unit", "str", "count characters or words", "chars", text.LENGTH_UNITS),),
            _length_only,
        ),
        OperatorSpec(
            "truncate",
            "time",
            "round times down, in the owner's time zone",
            ("time",),
            (Param("to", "str", "unit", "hour", timeops.TRUNCATE_UNITS, required=True),),
            _truncate,
        ),
        OperatorSpec(
            "shift",
            "time",
            "move all times of the export by one random offset (same for every "
            "time column; same draw for the same policy and recipient)",
            ("time",),
            (
                Param("max_days", "int", "largest offset in days", 30, minimum=1, maximum=3650),
                Param("whole_days", "bool", "shift by whole days (keeps time of day)", True),
            ),
            _shift,
        ),
        OperatorSpec(
            "hour_of_week",
            "time",
            "replace times by the local hour of the week (0 = Monday 00h)",
            ("time",),
            (),
            _hour_of_week,
        ),
        OperatorSpec(
            "snap",
            "location",
            "move positions to the centre of their H3 cell (or a metric grid)",
            ("float",),
            (
                Param("res", "int", "H3 resolution (8: cells of about 0.7 km2)", 8, minimum=0, maximum=15),
                Param("grid_m", "float", "use a square grid of this many metres instead of H3", minimum=1.0),
                Param("cell_column", "str", "also add the H3 cell id in a column of this name"),
                _LAT,
            ),
            loc.apply_snap,
            check=_check_snap,
            produces=loc.snap_produces,
            reads=loc.pair_reads,
        ),
        OperatorSpec(
            "privacy_zone",
            "location",
            "withhold positions near places: drops points inside (a stream's 'lat') and, by default "
            "for randomised zones, whole trips to or from them, or nulls a trip endpoint inside "
            "('start_lat', 'end_lat'); randomised centre and radius",
            ("float",),
            (
                Param("places", "str_list", "place roles the vault knows (home, work...)", ["home", "work"]),
                Param(
                    "radius_m",
                    "float",
                    "radius r; randomised zones draw R in [r, 1.5r]",
                    500.0,
                    minimum=50.0,
                    maximum=50_000.0,
                ),
                Param("randomize", "bool", "offset the centre by 0.5R..0.8R in a random direction", True),
                Param(
                    "action", "str", "auto: drop for 'lat', null for '<prefix>_lat'", "auto", loc.ZONE_ACTIONS
                ),
                Param(
                    "ends",
                    "str",
                    "a stream's ways in and out (needs ts): trip drops whole trips (moves between stays "
                    "of 5 min within 100 m) to or from a zone and stays touching it, trim drops 100-400 m "
                    "of each trip end, none only the points inside; auto: trip if randomize, else none",
                    "auto",
                    loc.ZONE_ENDS,
                ),
                Param("ts", "str", "the time column that orders a point stream into stays and trips", "ts"),
                _LAT,
            ),
            loc.apply_privacy_zone,
            phase="rows",
            check=loc.check_pair,
            reads=loc.zone_reads,
        ),
        OperatorSpec(
            "stays_only",
            "location",
            "keep only points where the person stayed (rows)",
            ("float",),
            (
                Param("radius_m", "float", "a stay stays within this distance", 100.0, minimum=1.0),
                Param("min_minutes", "float", "shortest stay", 10.0, minimum=0.0),
                Param("ts", "str", "the time column", "ts"),
                _LAT,
            ),
            loc.apply_stays_only,
            phase="rows",
            check=loc.check_pair,
            reads=loc.stays_reads,
        ),
        OperatorSpec(
            "generalize",
            "quasi-identifiers",
            "coarsen values: numbers to intervals, text to a prefix, times to a part",
            ("integer", "float", "text", "time"),
            (
                Param("interval", "float", "width of numeric intervals ('[30, 40)')", minimum=1e-9),
                Param("prefix", "int", "characters of text kept ('SW1*')", minimum=0),
                Param("part", "str", "part of a time kept", choices=quasi.DATE_PARTS),
            ),
            _generalize,
            check=_check_generalize,
        ),
        OperatorSpec(
            "suppress_rare",
            "quasi-identifiers",
            "withhold rows whose combination of values is seen fewer than k times",
            ("any",),
            (
                Param("k", "int", "smallest group allowed", 5, minimum=2),
                Param(
                    "with",
                    "str_list",
                    "other columns of the combination (default: [quasi_identifiers] columns)",
                ),
                Param("action", "str", "drop the rows or null this column", "drop", ("drop", "null")),
            ),
            _suppress_rare,
            phase="after",
            check=_check_columns("with"),
            reads=_reads("with"),
        ),
        OperatorSpec(
            "round",
            "numbers",
            "round to digits, or to a multiple",
            ("integer", "float"),
            (
                Param("digits", "int", "decimal digits kept", 0, minimum=-15, maximum=15),
                Param("multiple", "float", "round to the nearest multiple of this instead", minimum=1e-9),
            ),
            _round,
        ),
        OperatorSpec(
            "bin",
            "numbers",
            "replace numbers by the interval they fall in",
            ("integer", "float"),
            (
                Param("edges", "float_list", "ascending interval edges", required=True),
                Param("labels", "str_list", "one label per interval (edges + 1)"),
            ),
            _bin,
            check=_check_bin,
        ),
    ]


OPERATORS: dict[str, OperatorSpec] = {spec.name: spec for spec in _specs()}


def accepts_arrow(spec: OperatorSpec, data_type: pa.DataType) -> bool:
    """Whether an operator can act on an Arrow column of this type."""
    kind = arrow_kind(data_type)
    if kind == "integer" and "time" in spec.accepts:
        return True  # integer times are epoch milliseconds, as the store keeps them
    return "any" in spec.accepts or kind in spec.accepts
