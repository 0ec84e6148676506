"""`coffer people` (list), `coffer people merge A B` and `coffer forget-person ID`."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from vault.commands.common import global_options, info, open_vault


@click.group("people", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@global_options
@click.pass_context
def people(ctx: click.Context, as_json: bool) -> None:
    """List people: id, name, platforms, identities and messages sent."""
    from vault.people_ops import list_people

    if ctx.invoked_subcommand is not None:
        return
    with open_vault(ctx) as vault:
        rows = list_people(vault.store)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        info("No people yet: they come with imported chats and contacts.")
        return
    click.echo(f"{'ID':>5}  {'NAME':<28}  {'PLATFORMS':<24}  {'IDENTITIES':>10}  {'MESSAGES':>9}")
    for r in rows:
        name = (r.name + (" (you)" if r.is_self else ""))[:28]
        platforms = ",".join(r.platforms)[:24]
        click.echo(f"{r.id:>5}  {name:<28}  {platforms:<24}  {r.identities:>10,}  {r.messages:>9,}")


@people.command("merge")
@click.argument("keep", type=int)
@click.argument("drop", type=int)
@global_options
@click.pass_context
def merge_command(ctx: click.Context, keep: int, drop: int) -> None:
    """Fold person DROP into person KEEP (identities, messages, posts, memberships)."""
    from vault.people_ops import merge

    with open_vault(ctx) as vault:
        merge(vault.store, keep, drop)
    info(f"Merged person {drop} into {keep}.")


@click.command("forget-person")
@click.argument("person_id", type=int)
@global_options
@click.pass_context
def forget_person_command(ctx: click.Context, person_id: int) -> None:
    """Delete a person, their identities and everything they sent (your own messages stay)."""
    from vault.people_ops import forget_person

    with open_vault(ctx) as vault:
        deleted = forget_person(vault.store, person_id)
    detail = ", ".join(f"{n:,} {what}" for what, n in sorted(deleted.items()))
    click.echo(f"Forgot person {person_id}: deleted {detail}.")


COMMANDS = [people, forget_person_command]
