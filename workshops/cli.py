"""The `workshops` command: serve, migrate, makemigrations, demo, createuser, worker, anonymise,
report, communes."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

from workshops.accounts import OrganisationKind, Role
from workshops.kernel import db
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings, SettingsError, load_settings
from workshops.kernel.validation import Invalid

Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[None]:
    await db.connect(settings)
    try:
        yield
    finally:
        await db.disconnect()


async def migrate(settings: Settings, args: argparse.Namespace) -> int:
    await db.migrate(settings)
    print("Base de données à jour.")
    # Communes typed before the official list: matched after every migration (see
    # workshops/signup/commune_codes.py for why this is not a step of migration 0010).
    return await communes(settings, args)


async def communes(settings: Settings, args: argparse.Namespace) -> int:
    from workshops.signup import match_typed_communes

    async with _database(settings):
        report = await match_typed_communes()
    if report.matched:
        print(f"Communes reconnues dans la liste officielle : {report.matched}.")
    if report.unmatched:
        print(
            "Communes saisies librement, non reconnues (gardées telles quelles) : "
            + " ; ".join(f"« {text} » ({count})" for text, count in report.unmatched)
        )
    if report.sites_matched:
        print(f"Communes des lieux reconnues dans la liste officielle : {report.sites_matched}.")
    if report.sites_unmatched:
        print(
            "Lieux dont la commune n'est pas reconnue (gardée telle quelle) : "
            + " ; ".join(f"« {name} » : « {text} »" for name, text in report.sites_unmatched)
        )
    return 0


async def makemigrations(settings: Settings, args: argparse.Namespace) -> int:
    names = await db.pending_migrations(write=not args.check)
    if not names:
        print("No changes detected : les migrations correspondent aux modèles.")
        return 0
    if args.check:
        print("Migrations manquantes : " + ", ".join(names), file=sys.stderr)
        return 1
    print("Migrations écrites : " + ", ".join(names))
    return 0


async def demo(settings: Settings, args: argparse.Namespace) -> int:
    from workshops.demo import DEMO_PASSWORD, load_demo

    if settings.is_embedded:
        await db.migrate(settings)
    async with _database(settings):
        accounts = await load_demo(settings.zone)
    print(f"Données de démonstration prêtes. Mot de passe de tous les comptes : {DEMO_PASSWORD}")
    for account in accounts:
        print(f"  {account.email:<40} {account.role.value:<15} {account.organisation}")
    return 0


def _ask(value: str | None, prompt: str) -> str:
    if value:
        return value
    if not sys.stdin.isatty():
        raise Invalid({prompt: "valeur manquante (option ou saisie interactive)"})
    return input(f"{prompt} : ").strip()


async def createuser(settings: Settings, args: argparse.Namespace) -> int:
    from workshops.accounts import create_user

    email = _ask(args.email, "Adresse e-mail")
    full_name = _ask(args.name, "Prénom et nom")
    organisation = _ask(args.organisation, "Structure")
    role = _ask(args.role, "Rôle (" + ", ".join(role.value for role in Role) + ")")
    password = args.password
    if not password:
        if not sys.stdin.isatty():
            raise Invalid({"password": "mot de passe manquant (--password ou saisie interactive)"})
        password = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    async with _database(settings):
        user = await create_user(
            email=email,
            full_name=full_name,
            password=password,
            organisation_name=organisation,
            role=role,
            organisation_kind=args.kind,
            commune=args.commune or "",
            profession=args.profession or "",
        )
    print(f"Compte créé : {user.email}")
    return 0


async def worker(settings: Settings, args: argparse.Namespace) -> int:
    from workshops.worker import run_until_stopped

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    print("Worker démarré ; Ctrl+C pour l'arrêter.")
    async with _database(settings):
        await run_until_stopped(settings, stop)
    return 0


async def anonymise(settings: Settings, args: argparse.Namespace) -> int:

    from workshops.privacy import anonymise_expired

    async with _database(settings):
        erased = await anonymise_expired(settings=settings, now=utc_now())
    print(
        f"{len(erased)} inscription(s) anonymisée(s) (conservation : "
        f"{settings.retention_months} mois après la dernière séance)."
    )
    return 0


async def report(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from workshops.evaluation import build_report

    async with _database(settings):
        content = await build_report(
            convention_id=args.convention,
            year=args.period,
            file_format=args.format,
            zone=settings.zone,
            now=utc_now(),
            calendar=args.calendar,
        )
    try:
        await asyncio.to_thread(Path(args.output).write_bytes, content)
    except OSError as error:
        print(f"Erreur : impossible d'écrire {args.output} ({error}).", file=sys.stderr)
        return 1
    print(f"Bilan écrit dans {args.output}.")
    return 0


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "workshops.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        # Requests still running when SIGTERM comes get this long, then the process stops.
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_seconds)),
    )
    return 0


ASYNC_COMMANDS: dict[str, Command] = {
    "migrate": migrate,
    "communes": communes,
    "makemigrations": makemigrations,
    "demo": demo,
    "createuser": createuser,
    "worker": worker,
    "anonymise": anonymise,
    "report": report,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshops", description="Ateliers parents-enfants.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="servir l'application web")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    commands.add_parser("migrate", help="appliquer les migrations")
    commands.add_parser(
        "communes", help="reconnaître les communes saisies librement, lister les autres"
    )
    make = commands.add_parser("makemigrations", help="écrire les migrations des modèles")
    make.add_argument("--check", action="store_true", help="échouer si une migration manque")
    commands.add_parser("demo", help="charger les données de démonstration")
    create = commands.add_parser("createuser", help="créer un compte professionnel")
    create.add_argument("--email")
    create.add_argument("--name", help="prénom et nom")
    create.add_argument("--organisation", help="nom de la structure (créée si absente)")
    create.add_argument("--role", choices=[role.value for role in Role])
    create.add_argument("--password")
    create.add_argument(
        "--kind",
        default=OrganisationKind.PMI.value,
        choices=[kind.value for kind in OrganisationKind],
        help="type de la structure si elle est créée",
    )
    create.add_argument("--commune")
    create.add_argument("--profession")
    commands.add_parser("worker", help="lancer le worker (tâches de fond)")
    commands.add_parser("anonymise", help="anonymiser les inscriptions trop anciennes (règle 6)")
    report_parser = commands.add_parser("report", help="écrire le bilan annuel d'une convention")
    report_parser.add_argument("--convention", type=int, required=True, help="numéro")
    report_parser.add_argument(
        "--period", type=int, required=True, help="année de début de l'année de convention"
    )
    report_parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    report_parser.add_argument("--output", required=True, help="fichier à écrire")
    report_parser.add_argument(
        "--calendar", action="store_true", help="l'année civile plutôt que l'année de convention"
    )
    return parser


def _install_urls() -> None:
    """The routes' names for the e-mails the worker and the commands render (no web app here)."""
    from workshops.app import install_urls

    install_urls()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Erreur de configuration : {error}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return serve(settings, args)
    _install_urls()
    try:
        return asyncio.run(ASYNC_COMMANDS[args.command](settings, args))
    except Invalid as invalid:
        for field, message in invalid.errors.items():
            print(f"Erreur ({field}) : {message}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Erreur : base de données inaccessible ({error}).", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
