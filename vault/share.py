"""Sharing: the rows a policy selects, what they become, what they reveal, and the export itself.

One path serves `coffer reveal`, `coffer export` and the TUI's share screen, so what the user
previews is exactly what leaves.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from vault.anonymize import OperatorContext, apply_policy
from vault.anonymize.keys import derive
from vault.errors import CofferError, UsageError
from vault.places import infer_home_work
from vault.policy import Policy, PolicyError
from vault.reveal import build_report
from vault.reveal.inputs import LedgerEntry, RevealInputs, VaultTruth
from vault.reveal.report import Report, Severity
from vault.session import Vault

TIME_COLUMNS = ("ts", "start_ts", "created_at")
PERSON_COLUMNS = ("sender_id", "author_id", "person_id", "id")
ZONE_OPERATORS = frozenset({"privacy_zone"})


class ExportRefused(CofferError):
    """The reveal report is worse than `--max-severity` allows."""


@dataclass(frozen=True)
class SharePreview:
    """The selected rows before and after the policy, and what the result reveals."""

    policy: Policy
    before: pa.Table
    after: pa.Table
    report: Report


def vault_truth(vault: Vault, engine: Any) -> VaultTruth:
    """What the whole vault knows about its owner (cached until the vault changes)."""
    cache = getattr(engine, "_coffer_truth", None)
    generation = vault.store.generation
    if cache is not None and cache[0] == generation:
        truth: VaultTruth = cache[1]
        return truth
    zone = local_zone(vault)
    fixes = engine.internal("SELECT epoch_ms(ts) AS ts, lat, lon FROM locations ORDER BY ts")
    places = infer_home_work(fixes["ts"].to_numpy(), fixes["lat"].to_numpy(), fixes["lon"].to_numpy(), zone)
    rows = vault.store.rows(
        "SELECT i.value, p.is_self, p.id FROM identities i JOIN people p ON p.id = i.person_id "
        "WHERE i.kind IN ('name', 'handle', 'key') AND length(i.value) >= 3"
    )
    facts = vault.store.rows("SELECT key, value FROM profile_facts")
    truth = VaultTruth(
        home=places.home,
        work=places.work,
        timezone=zone,
        contact_names=tuple(sorted({v for v, is_self, _ in rows if not is_self and _is_name(v)})),
        owner_names=tuple(sorted({v for v, is_self, _ in rows if is_self and _is_name(v)})),
        owner_person_ids=frozenset(int(pid) for _, is_self, pid in rows if is_self),
        profile_facts=tuple((str(k), str(v)) for k, v in facts),
    )
    engine._coffer_truth = (generation, truth)
    return truth


def _is_name(value: str) -> bool:
    """Names and handles worth redacting: not bare ids or numbers."""
    return any(ch.isalpha() for ch in value) and not value.startswith(("user", "channel", "phone:"))


def local_zone(vault: Vault) -> str:
    """The owner's zone: the setting, else the zone most imports used, else UTC."""
    setting = vault.store.scalar("SELECT value FROM settings WHERE key = 'timezone'")
    if setting:
        return str(setting)
    common = vault.store.scalar(
        "SELECT tz FROM imports WHERE tz IS NOT NULL AND tz != 'UTC' GROUP BY tz ORDER BY count(*) DESC LIMIT 1"
    )
    return str(common) if common else "UTC"


def operator_context(vault: Vault, policy: Policy, truth: VaultTruth) -> OperatorContext:
    pseudonym_key, seed = derive(vault.data_key, policy.recipient, policy.sha256)
    places = {role: (p.lat, p.lon) for role, p in (("home", truth.home), ("work", truth.work)) if p}
    return OperatorContext(
        pseudonym_key=pseudonym_key,
        seed=seed,
        known_names=truth.contact_names + truth.owner_names,
        owner_person_ids=truth.owner_person_ids,
        places=places,
        timezone=truth.timezone,
    )


def dataset_columns(engine: Any, policy: Policy) -> dict[str, str]:
    """Column name -> DuckDB type of what the policy reads from (a table, a view or its query)."""
    if policy.query:
        sample = engine.query(f"SELECT * FROM ({policy.query}) LIMIT 0")
        return {f.name: str(f.type) for f in sample.schema}
    names = {t.name for t in engine.tables()}
    if policy.dataset not in names:
        raise PolicyError(
            f"unknown dataset {policy.dataset!r} (choose from: {', '.join(sorted(names))})", key="dataset"
        )
    return {c.name: c.type for c in engine.columns(policy.dataset)}


def select_rows(engine: Any, policy: Policy, limit: int | None = None) -> pa.Table:
    """The rows the policy takes, with the columns its operators read, oldest first."""
    available = dataset_columns(engine, policy)
    wanted = [c for c in policy.required_columns() if c in available]
    missing = [
        c for c in policy.required_columns() if c not in available and c not in policy.produced_columns()
    ]
    if missing:
        raise PolicyError(
            f"unknown column {missing[0]!r} (choose from: {', '.join(available)})", key="columns"
        )
    where, params = _filters(policy, available)
    source = f"({policy.query}) AS q" if policy.query else _quote(policy.dataset or "")
    time_column = next((c for c in TIME_COLUMNS if c in available), None)
    sql = f"SELECT {', '.join(_quote(c) for c in wanted)} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if time_column:
        sql += f" ORDER BY {_quote(time_column)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if policy.query:
        return engine.query(sql, params=params) if params else engine.query(sql)
    return engine.internal(sql, params)


def _filters(policy: Policy, available: dict[str, str]) -> tuple[list[str], list[Any]]:
    f = policy.filter
    where: list[str] = []
    params: list[Any] = []
    time_column = next((c for c in TIME_COLUMNS if c in available), None)
    if f.platforms:
        _require(available, "platform", "filter.platforms")
        where.append(f"platform IN ({', '.join('?' * len(f.platforms))})")
        params += list(f.platforms)
    for bound, op in ((f.since, ">="), (f.until, "<")):
        if bound:
            if time_column is None:
                raise PolicyError("this dataset has no time column to filter on", key="filter")
            where.append(
                f"{_quote(time_column)} {op} CAST(? AS TIMESTAMPTZ)"
                + (" + INTERVAL 1 DAY" if op == "<" else "")
            )
            params.append(bound)
    if f.conversations:
        _require(available, "conversation_id", "filter.conversations")
        where.append(f"conversation_id IN ({', '.join('?' * len(f.conversations))})")
        params += list(f.conversations)
    if f.people:
        column = next((c for c in PERSON_COLUMNS if c in available), None)
        if column is None:
            raise PolicyError("this dataset has no person column to filter on", key="filter.people")
        where.append(f"{_quote(column)} IN ({', '.join('?' * len(f.people))})")
        params += list(f.people)
    return where, params


def _require(available: dict[str, str], column: str, key: str) -> None:
    if column not in available:
        raise PolicyError(f"this dataset has no {column} column", key=key)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ledger(vault: Vault) -> tuple[LedgerEntry, ...]:
    rows = vault.store.rows("SELECT id, recipient, created_at, fingerprints FROM contributions ORDER BY id")
    return tuple(
        LedgerEntry(int(cid), str(recipient), int(created), json.loads(fp or "{}"))
        for cid, recipient, created, fp in rows
    )


def preview(vault: Vault, engine: Any, policy: Policy, limit: int | None = None) -> SharePreview:
    """The whole share computed in memory: nothing is written."""
    truth = vault_truth(vault, engine)
    before = select_rows(engine, policy, limit)
    after = apply_policy(before, policy, operator_context(vault, policy, truth))
    report = build_report(
        RevealInputs(
            policy_name=policy.name,
            dataset=policy.dataset or "query",
            before=before.select([c for c in policy.columns if c in before.column_names]),
            after=after,
            truth=truth,
            quasi_identifiers=policy.quasi_identifiers.columns,
            sensitive=policy.quasi_identifiers.sensitive,
            ledger=ledger(vault),
            zones_used=any(op.op in ZONE_OPERATORS for op in policy.column_ops),
            recipient=policy.recipient,
        )
    )
    return SharePreview(policy, before, after, report)


def check_severity(report: Report, max_severity: str | None) -> None:
    if max_severity is None:
        return
    try:
        limit = Severity(max_severity)
    except ValueError:
        raise UsageError(f"--max-severity must be low, medium or high, not {max_severity!r}") from None
    if report.worst_severity.rank > limit.rank:
        raise ExportRefused(
            f"export refused: the reveal report's worst finding is {report.worst_severity.value.upper()}, "
            f"above --max-severity {limit.value} (see `coffer reveal`)"
        )


def now_ms() -> int:
    return int(time.time() * 1000)
