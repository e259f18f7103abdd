# Superset configuration for gosight's dashboards (deploy/bi/README.md).
# Read by Superset through SUPERSET_CONFIG_PATH, both by `npm run bi` on one
# machine and by the `bi` profile of deploy/compose. Everything that differs
# between the two comes from the environment:
#   GOSIGHT_BI_DATA_DIR    Superset's own state: the SQLite metadata database
#                          and the secret key file (`secret_key`, mode 0600)
#   GOSIGHT_BI_HOSTS       comma-separated host names the server answers to
#                          (default 127.0.0.1,localhost); any other Host header
#                          is refused, so a web page that rebinds its own name
#                          to 127.0.0.1 cannot reach Superset
import os

_data_dir = os.environ.get("GOSIGHT_BI_DATA_DIR")
if not _data_dir:
    raise RuntimeError("GOSIGHT_BI_DATA_DIR is not set: the folder for Superset's own state")

_secret_file = os.path.join(_data_dir, "secret_key")
try:
    with open(_secret_file, encoding="utf-8") as _f:
        SECRET_KEY = _f.read().strip()
except FileNotFoundError as _e:
    raise RuntimeError(
        f"{_secret_file} is missing: `npm run bi` (or the compose bi-init job) writes it"
    ) from _e
if len(SECRET_KEY) < 32:
    raise RuntimeError(f"{_secret_file} holds fewer than 32 characters: not a usable secret key")

SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(_data_dir, "superset.db")

# Host header allow-list (Flask's TRUSTED_HOSTS; the port is not part of the check).
TRUSTED_HOSTS = [
    h.strip() for h in os.environ.get("GOSIGHT_BI_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
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
