"""Imports gosight's dashboard bundle (deploy/bi/bundle) into Superset.

    python provision.py --bundle DIR --database-uri URI [--user admin] [--zip OUT.zip]

Run with the Python of Superset's venv and the environment Superset runs with
(SUPERSET_CONFIG_PATH, SUPERSET_HOME). The bundle's database URI is
replaced by --database-uri; CLICKHOUSE_ANALYST_PASSWORD, when set, is put
into it here so that no password is ever written into the bundle. The import
is Superset's "assets" import: it overwrites the database, datasets, charts and
dashboards it created before (stable UUIDs), so running it again after the
bundle changed updates them. --zip also writes the bundle as a ZIP that
Superset's own import dialog accepts. Exit 0 done, 1 import failed, 2 usage.
"""
import argparse
import os
import pathlib
import sys
import zipfile
from urllib.parse import quote

import yaml

DATABASE_FILE = "databases/gosight.yaml"


def load_bundle(bundle: pathlib.Path, uri: str) -> dict[str, str]:
    contents: dict[str, str] = {}
    for path in sorted(bundle.rglob("*.yaml")):
        name = path.relative_to(bundle).as_posix()
        text = path.read_text(encoding="utf-8")
        if name == DATABASE_FILE:
            config = yaml.safe_load(text)
            config["sqlalchemy_uri"] = uri
            text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        contents[name] = text
    if "metadata.yaml" not in contents or DATABASE_FILE not in contents:
        raise SystemExit(f"provision: {bundle} is not a gosight bundle (no metadata.yaml or {DATABASE_FILE})")
    return contents


def with_password(uri: str, password: str) -> str:
    scheme, sep, rest = uri.partition("://")
    userinfo, at, host = rest.partition("@")
    if not sep or not at or ":" in userinfo:
        raise SystemExit("provision: --database-uri must be scheme://user@host/... when a password is set")
    return f"{scheme}://{userinfo}:{quote(password, safe='')}@{host}"


def describe(exc: BaseException) -> str:
    """The error and what caused it (Superset wraps the real reason in ImportFailedError)."""
    parts = []
    seen: BaseException | None = exc
    while seen is not None and len(parts) < 5:
        messages = getattr(seen, "normalized_messages", None)
        parts.append(f"{type(seen).__name__}: {messages() if callable(messages) else seen}")
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(parts)


def write_zip(contents: dict[str, str], out: str) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in contents.items():
            z.writestr(f"gosight_bundle/{name}", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--database-uri", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--zip")
    args = parser.parse_args()

    uri = args.database_uri
    password = os.environ.get("CLICKHOUSE_ANALYST_PASSWORD", "")
    if password:
        uri = with_password(uri, password)
    contents = load_bundle(pathlib.Path(args.bundle), uri)
    if args.zip:
        # The ZIP is for people: it never carries the password.
        write_zip(load_bundle(pathlib.Path(args.bundle), args.database_uri), args.zip)

    from superset.app import create_app  # pylint: disable=import-outside-toplevel

    app = create_app()
    with app.app_context():
        from flask import g  # pylint: disable=import-outside-toplevel
        from superset import security_manager  # pylint: disable=import-outside-toplevel
        from superset.commands.importers.v1.assets import (  # pylint: disable=import-outside-toplevel
            ImportAssetsCommand,
        )

        user = security_manager.find_user(username=args.user)
        if user is None:
            print(f"provision: no Superset user {args.user!r}", file=sys.stderr)
            return 1
        g.user = user
        try:
            ImportAssetsCommand(contents).run()
        except Exception as exc:  # pylint: disable=broad-except
            print(f"provision: import failed: {describe(exc)}", file=sys.stderr)
            return 1
    counts = {kind: sum(1 for n in contents if n.startswith(f"{kind}/")) for kind in ("datasets", "charts", "dashboards")}
    print(
        f"provision: imported {counts['dashboards']} dashboards, {counts['charts']} charts, "
        f"{counts['datasets']} datasets"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
