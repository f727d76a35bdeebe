"""Command-line tasks: `flask init-office`, `sync-roles`, `create-admin`, `seed-demo`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("sync-roles")
@click.option("--strict", is_flag=True, help="Reset each role to exactly its rule.")
@with_appcontext
def sync_roles_command(strict: bool) -> None:
    """Create permissions and the five roles, granting each its rights."""
    from app.roles import sync_roles

    for role, count in sync_roles(strict=strict).items():
        click.echo(f"{role}: {count} permissions")


@click.command("init-office")
@with_appcontext
def init_office_command() -> None:
    """Reference data every installation needs: lookups, permissions, roles."""
    from app.extensions import db
    from app.roles import sync_roles
    from models.base import REFERENCE_SEEDS

    for seed in REFERENCE_SEEDS:
        added = seed(db.session)
        db.session.commit()
        click.echo(f"{seed.__name__}: {added} rows added")
    sync_roles()
    click.echo("roles synchronised")


@click.command("create-admin")
@click.option("--username", default="admin")
@click.option("--password", default=None, help="Default: a random one, printed once.")
@click.option("--email", default="admin@xm.gov.cn")
@with_appcontext
def create_admin_command(username: str, password: str | None, email: str) -> None:
    """Create the first administrator (or reset his password) and print the login.

    There is no default password anywhere: without --password a random one that passes
    the policy is made and printed this once."""
    from app.passwords import generate_password, problems_for

    sm = current_app.appbuilder.sm
    user = sm.find_user(username=username)
    account = user or {"username": username, "first_name": "系统", "last_name": "管理员", "email": email}
    if password:
        refused = problems_for(password, account)
        if refused:
            raise click.ClickException(" ".join(refused))
    while not password or problems_for(password, account):
        password = generate_password()
    role = sm.find_role(current_app.config["AUTH_ROLE_ADMIN"])
    if user is None:
        user = sm.add_user(username, "系统", "管理员", email, [role], password)
        if not user:
            raise click.ClickException("could not create the admin user")
    else:
        sm.reset_password(user.id, password)
    click.echo("=" * 60)
    click.echo(f"  Admin login:  {username} / {password}")
    click.echo("=" * 60)


@click.command("seed-demo")
@click.option("--scale", default=1.0, help="Multiply the number of demo records.")
@with_appcontext
def seed_demo_command(scale: float) -> None:
    """Load Xiamen's units and realistic demo records for every entity."""
    from app.demo import seed_all
    from app.demo.org import DEMO_PASSWORD, DEMO_USERS
    from app.extensions import db
    from app.passwords import generate_password

    # The README's well-known demo password only on the embedded run; on a real database
    # the demo logins get a random one, printed this once.
    embedded = current_app.config.get("EMBEDDED")
    password = DEMO_PASSWORD if embedded else generate_password()

    # Demo data is a bulk load, not clerks' work: tens of thousands of audit rows
    # saying "system inserted" would only bury the real trail.
    db.session.info["audit"] = False
    try:
        counts = seed_all(scale=scale, password=password)
        for name, count in counts.items():
            click.echo(f"{name}: {count}")
        if counts.get("demo logins") and not embedded:
            names = ", ".join(user[0] for user in DEMO_USERS)
            click.echo(f"Demo logins ({names}) password: {password}")
    finally:
        db.session.info.pop("audit", None)


@click.command("search-reindex")
@click.option("--entity", "names", multiple=True, help="Only this entity (its class name); may be repeated.")
@with_appcontext
def search_reindex_command(names: tuple[str, ...]) -> None:
    """Rebuild the global search index from the records (after a restore from a backup, or a
    change of what an entity is found by)."""
    from app.extensions import db
    from app.registry.spec import REGISTRY
    from app.search.keep import reindex, searchable

    chosen = [e for e in REGISTRY.values() if not names or e.name in names]
    unknown = sorted(set(names) - {e.name for e in REGISTRY.values() if searchable(e)})
    if unknown:
        raise click.ClickException(f"not searchable or no such entity: {', '.join(unknown)}")
    done = {"last": 0}

    def report(entity, total):
        click.echo(f"{entity.name}: {total - done['last']:,}")
        done["last"] = total
    total = reindex(db.session, chosen, report=report)
    db.session.commit()
    click.echo(f"indexed {total:,} records")


@click.command("jobs-worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once (threads).")
@with_appcontext
def jobs_worker_command(workers: int) -> None:
    """Run the job queue's consumer for this app (`make run` starts one beside the web
    process): large exports and ledgers, the nightly clean-up of My downloads. Stops on
    Ctrl-C or SIGTERM once the jobs running are done."""
    from app.jobs import runner
    from app.jobs.queue import huey

    runner.bind(current_app._get_current_object())
    click.echo(f"job queue: {huey.office_url} ({workers} workers)")
    # an idle SQLite queue is looked at every second at most (Redis wakes the consumer at once)
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=1.0).run()


@click.command("reminders")
@click.option("--today", default=None, help="Run as on this day (YYYY-MM-DD); default: today.")
@click.option("--no-mail", is_flag=True, help="Tell in the app only; send no digest.")
@with_appcontext
def reminders_command(today: str | None, no_mail: bool) -> None:
    """The daily reminder run: what falls due soon or is overdue, told to each unit's users;
    the weekly summary on Mondays; the e-mail digest where MAIL_SERVER is set."""
    import datetime as dt

    from app.extensions import db
    from app.reminders.run import daily

    day = dt.date.fromisoformat(today) if today else None
    counts = daily(db.session, day, send_mail=not no_mail)
    click.echo(", ".join(f"{kind}: {count}" for kind, count in sorted(counts.items())) or "nothing to tell")


def install(app) -> None:
    for command in (sync_roles_command, init_office_command, create_admin_command, seed_demo_command,
                    search_reindex_command, jobs_worker_command, reminders_command):
        app.cli.add_command(command)
