"""Table-level location operators, declared on a latitude column and acting on its (lat, lon) pair."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vault.anonymize import geo
from vault.anonymize.context import AnonymizeError, OperatorContext
from vault.anonymize.registry import OpError, Params, column_array, column_kind, with_column

ZONE_ACTIONS: tuple[str, ...] = ("auto", "drop", "null")
ZONE_ENDS: tuple[str, ...] = ("auto", "trip", "trim", "none")
TRIM_M: tuple[float, float] = (100.0, 400.0)  # path length of each trip end dropped beyond a zone


def lon_column(column: str, params: Params) -> str:
    """The longitude paired with a latitude column: `lon` if given, else 'lat' -> 'lon' in the name."""
    explicit = params.get("lon")
    if explicit:
        return str(explicit)
    if column.endswith("lat"):
        return column[:-3] + "lon"
    raise OpError("lon", f"cannot tell the longitude of {column!r}: declare it on a *lat column")


def check_pair(column: str, params: Params, available: Mapping[str, str] | None) -> None:
    """Raise OpError unless the latitude and its longitude are both numeric columns."""
    lon = lon_column(column, params)
    if available is None:
        return
    if lon not in available:
        raise OpError("lon", f"the longitude column {lon!r} does not exist")
    if column_kind(available[lon]) not in ("float", "integer"):
        raise OpError("lon", f"the longitude column {lon!r} is {available[lon]}, not a number")


def zone_action(column: str, params: Params) -> str:
    """'drop' rows for a point stream (`lat`), 'null' the endpoint for prefixed pairs (`start_lat`)."""
    action = str(params.get("action") or "auto")
    if action != "auto":
        return action
    return "drop" if column == "lat" else "null"


def zones_for(params: Params, ctx: OperatorContext) -> list[geo.Zone]:
    """The zones of a privacy_zone op, drawn per recipient and place role."""
    zones: list[geo.Zone] = []
    radius = float(params["radius_m"])
    randomize = bool(params["randomize"])
    for role in params["places"]:
        if role not in ctx.places:
            known = ", ".join(sorted(ctx.places)) or "none"
            raise AnonymizeError(f"privacy_zone: the vault knows no place {role!r} (known: {known})")
        rng = ctx.recipient_rng(f"privacy_zone\x00{role}\x00{radius!r}")
        zones += geo.draw_zones([ctx.places[role]], radius, randomize, rng)
    return zones


def zone_ends(params: Params) -> str:
    """How a stream's trips at the zones are withheld: 'trip' for randomised zones, else 'none'."""
    ends = str(params.get("ends") or "auto")
    if ends != "auto":
        return ends
    return "trip" if bool(params["randomize"]) else "none"


def apply_privacy_zone(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    """Drop the points inside the zones, or null the endpoint coordinates inside them.

    On a point stream with a time column (`ts`), `ends` also withholds the ways in and out:
    'trip' (the default for randomised zones) drops every whole trip that starts, ends or passes
    in a zone, and the stays that touch one, so no departure points back at the place; 'trim'
    drops only a TRIM_M (100-400 m) stretch of each trip end beyond a zone, drawn with the export's
    seeded generator; 'none' (the default for fixed zones) drops only the points inside.
    """
    lon = lon_column(column, params)
    lat_values, lon_values = (
        geo.as_floats(column_array(table, column)),
        geo.as_floats(column_array(table, lon)),
    )
    inside = geo.inside_zones(lat_values, lon_values, zones_for(params, ctx))
    if zone_action(column, params) == "drop":
        inside |= _withheld_ends(table, column, params, ctx, inside)
        return table.filter(pa.array(~inside, pa.bool_()))
    mask = pa.array(inside, pa.bool_())
    for name in (column, lon):
        values = column_array(table, name)
        table = with_column(table, name, pc.if_else(mask, pa.scalar(None, values.type), values))
    return table


def _withheld_ends(
    table: pa.Table, column: str, params: Params, ctx: OperatorContext, inside: np.ndarray
) -> np.ndarray:
    """The fixes outside the zones that `ends` withholds as well (none without a time column)."""
    ends, ts = zone_ends(params), str(params.get("ts") or "ts")
    if ends == "none" or ts not in table.column_names:
        return np.zeros(len(inside), dtype=bool)
    times = _epoch_ms(column_array(table, ts))
    lat_values = geo.as_floats(column_array(table, column))
    lon_values = geo.as_floats(column_array(table, lon_column(column, params)))
    if ends == "trip":
        return geo.zone_trip_mask(times, lat_values, lon_values, inside)
    rng = ctx.np_rng(f"privacy_zone_trim\x00{column}")
    return geo.trim_trip_ends(times, lat_values, lon_values, inside, rng, TRIM_M)


def apply_snap(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    """Snap positions to H3 cell centres (or a metric grid), optionally adding the cell column."""
    lon = lon_column(column, params)
    lat_values, lon_values = column_array(table, column), column_array(table, lon)
    if params.get("grid_m"):
        new_lat, new_lon = geo.snap_grid(lat_values, lon_values, float(params["grid_m"]))
        cells = None
    else:
        new_lat, new_lon, cells = geo.snap_h3(lat_values, lon_values, int(params["res"]))
    table = with_column(table, column, new_lat)
    table = with_column(table, lon, new_lon)
    if params.get("cell_column") and cells is not None:
        table = with_column(table, str(params["cell_column"]), cells)
    return table


def apply_stays_only(table: pa.Table, column: str, params: Params, ctx: OperatorContext) -> pa.Table:
    """Keep only the points that belong to stays (no movement between places)."""
    lon = lon_column(column, params)
    ts = _epoch_ms(column_array(table, str(params["ts"])))
    lat_values = geo.as_floats(column_array(table, column))
    lon_values = geo.as_floats(column_array(table, lon))
    keep = geo.stay_mask(ts, lat_values, lon_values, float(params["radius_m"]), float(params["min_minutes"]))
    return table.filter(pa.array(keep, pa.bool_()))


def snap_produces(column: str, params: Params) -> tuple[str, ...]:
    """The extra cell column a snap op adds, if any."""
    cell = params.get("cell_column")
    return (str(cell),) if cell else ()


def pair_reads(column: str, params: Params) -> tuple[str, ...]:
    """A location op reads its longitude column."""
    return (lon_column(column, params),)


def zone_reads(column: str, params: Params) -> tuple[str, ...]:
    """privacy_zone reads the longitude, and the time column that orders a stream's trips."""
    return (lon_column(column, params), str(params.get("ts") or "ts"))


def stays_reads(column: str, params: Params) -> tuple[str, ...]:
    """stays_only reads the longitude and the time column."""
    return (lon_column(column, params), str(params.get("ts") or "ts"))


def _epoch_ms(values: pa.Array) -> np.ndarray:
    """Times as int64 epoch milliseconds (integers are taken as milliseconds already)."""
    if pa.types.is_timestamp(values.type):
        values = values.cast(pa.timestamp("ms", tz=values.type.tz)).cast(pa.int64())
    return values.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
