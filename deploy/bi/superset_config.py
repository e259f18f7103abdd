# Superset configuration for gosight's dashboards (deploy/bi/README.md).
# Read by Superset through SUPERSET_CONFIG_PATH, both by `npm run bi` on one
# machine and by the `bi` profile of deploy/compose. Everything that differs
# between the two comes from the environment:
#   SUPERSET_HOME          Superset's own state: the SQLite metadata database
#                          and, unless SUPERSET_SECRET_KEY is set, the secret
#                          key file `secret_key` (mode 0600)
#   SUPERSET_SECRET_KEY    the secret key itself (compose: from .env)
#   SUPERSET_TRUSTED_HOSTS comma-separated host names the server answers to
#                          (default 127.0.0.1,localhost); any other Host header
#                          is refused, so a web page that rebinds its own name
#                          to 127.0.0.1 cannot reach Superset
import os

_data_dir = os.environ.get("SUPERSET_HOME")
if not _data_dir:
    raise RuntimeError("SUPERSET_HOME is not set: the folder for Superset's own state")

SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY", "")
_secret_source = "SUPERSET_SECRET_KEY"
if not SECRET_KEY:
    _secret_source = os.path.join(_data_dir, "secret_key")
    try:
        with open(_secret_source, encoding="utf-8") as _f:
            SECRET_KEY = _f.read().strip()
    except FileNotFoundError as _e:
        raise RuntimeError(
            f"{_secret_source} is missing and SUPERSET_SECRET_KEY is not set: `npm run bi` writes the file"
        ) from _e
if len(SECRET_KEY) < 32:
    raise RuntimeError(f"{_secret_source} holds fewer than 32 characters: not a usable secret key")

SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(_data_dir, "superset.db")

# Host header allow-list (Flask's TRUSTED_HOSTS; the port is not part of the check).
TRUSTED_HOSTS = [
    h.strip() for h in os.environ.get("SUPERSET_TRUSTED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

# Nobody signs themselves up; the anonymous role sees nothing.
AUTH_USER_REGISTRATION = False
PUBLIC_ROLE_LIKE = None
# Login forms and write calls need Flask-WTF's CSRF token (Superset's default,
# stated here so it is not lost); the session cookie is HttpOnly and SameSite=Lax.
WTF_CSRF_ENABLED = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Brute force on the login form: Flask-Limiter in memory, per process.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "10 per minute"

# The warehouse is reached as ClickHouse's read-only analyst; no uploads, no DML.
PREVENT_UNSAFE_DB_CONNECTIONS = True

# No example data, no calls home.
SUPERSET_LOAD_EXAMPLES = False
