"""Settings from the command line, the environment and config.toml, resolved in one place.

The token is held in a `Secret` whose repr and str never reveal it; it is never written
to disk, logged or rendered.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from prready.errors import UsageError
from prready.text import safe_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_API_URL = "https://api.github.com"


class Secret:
    """A string that does not show itself in reprs, f-strings, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def redact_secret(text: str, secret: str, window: int = 8) -> str:
    """`text` with every echo of `secret` masked: whole, truncated (any run of `window`
    characters of it), in another letter case, or base64-encoded (alone or as the
    `user:token` of Basic auth)."""
    if not text or not secret or len(secret) < window:
        return text.replace(secret, "***") if secret else text
    forms = [secret]
    for raw in (secret, f"x-access-token:{secret}", f"token:{secret}", f":{secret}"):
        encoded = base64.b64encode(raw.encode()).decode()
        forms += [encoded, encoded.rstrip("="), base64.urlsafe_b64encode(raw.encode()).decode()]
    pieces = {form[i : i + window].lower() for form in forms for i in range(len(form) - window + 1)}
    lower = text.lower()
    masked = bytearray(len(text))
    for piece in pieces:
        start = lower.find(piece)
        while start != -1:
            masked[start : start + window] = b"\1" * window
            start = lower.find(piece, start + 1)
    if not any(masked):
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if masked[i]:
            if not out or out[-1] != "***":
                out.append("***")
        else:
            out.append(ch)
    return "".join(out)


# Where a token came from: given by the caller ("option": the command line's), an
# environment variable (named in `variable`), `gh auth token`, or nowhere. render/ names
# them for the user.
TokenOrigin = Literal["option", "environment", "gh", "none"]


@dataclass(frozen=True)
class TokenSource:
    token: Secret | None
    origin: TokenOrigin
    variable: str = ""  # the environment variable, when origin is "environment"


def resolve_token(
    cli_token: str | None, env: dict[str, str] | None = None, api_url: str | None = None
) -> TokenSource:
    """The token for the API host, looked up as gh does, each bound to its host:

    the token given (for the API URL it comes with); for github.com (and *.ghe.com)
    GH_TOKEN, then GITHUB_TOKEN; for any other host GH_ENTERPRISE_TOKEN, then
    GITHUB_ENTERPRISE_TOKEN (and GITHUB_TOKEN when GITHUB_API_URL names that host, as in
    GitHub Actions on a server); then `gh auth token --hostname HOST`. A github.com token
    never goes to another host."""
    env = dict(os.environ) if env is None else env
    if cli_token:
        return TokenSource(Secret(cli_token.strip()), "option")
    host = web_host(api_url or resolve_api_url(None, env))
    if _is_github_com(host):
        names = ["GH_TOKEN", "GITHUB_TOKEN"]
    else:
        names = ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"]
        actions_api = env.get("GITHUB_API_URL", "").strip()
        if actions_api and web_host(actions_api) == host:
            names.append("GITHUB_TOKEN")
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return TokenSource(Secret(value), "environment", name)
    gh = shutil.which("gh", path=env.get("PATH"))
    if gh:
        try:
            out = subprocess.run(
                [gh, "auth", "token", "--hostname", host],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None and out.returncode == 0 and out.stdout.strip():
            return TokenSource(Secret(out.stdout.strip()), "gh")
    return TokenSource(None, "none")


def token_advice(api_url: str) -> str:
    """Where a token for the API host is looked up, as `resolve_token` reads them: what to
    tell a user who has none."""
    host = web_host(api_url)
    names = "GH_TOKEN or GITHUB_TOKEN" if _is_github_com(host) else "GH_ENTERPRISE_TOKEN"
    return f"set {names}, or run `gh auth login --hostname {host}`"


def resolve_api_url(cli_url: str | None, env: dict[str, str] | None = None) -> str:
    """The URL given, else GITHUB_API_URL (set by GitHub Actions), else GH_HOST (as gh reads it:
    https://HOST/api/v3 for a server), else api.github.com."""
    env = dict(os.environ) if env is None else env
    url = cli_url or env.get("GITHUB_API_URL") or _api_url_of_host(env.get("GH_HOST", ""))
    url = (url or DEFAULT_API_URL).strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise UsageError(
            f"API URL {url!r} must start with https:// (or http:// for a local server)"
        )
    return url


def web_host(api_url: str) -> str:
    """The web (and git) host of an API URL: github.com for api.github.com, TENANT.ghe.com
    for api.TENANT.ghe.com, the host itself (with its port) for a server's /api/v3."""
    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if host == "api.github.com":
        return "github.com"
    if host.startswith("api.") and host.endswith(".ghe.com"):
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    return f"{host}:{parts.port}" if parts.port else host


def clone_url(slug: str, api_url: str) -> str:
    """Where OWNER/REPO is cloned from when the API is at `api_url` (same host, same scheme)."""
    host = web_host(api_url)
    scheme = "https" if _is_github_com(host) else (urlsplit(api_url).scheme or "https")
    return f"{scheme}://{host}/{slug}.git"


def server_clone_url(slug: str, api_url: str) -> str | None:
    """The clone URL when the API is not github.com's (None for github.com: the default)."""
    return None if _is_github_com(web_host(api_url)) else clone_url(slug, api_url)


def _is_github_com(host: str) -> bool:
    return host == "github.com" or host.endswith(".ghe.com")


def _api_url_of_host(host: str) -> str:
    host = host.strip().lower()
    if not host:
        return ""
    if _is_github_com(host):
        return DEFAULT_API_URL if host == "github.com" else f"https://api.{host}"
    return f"https://{host}/api/v3"


def carries_token_safely(api_url: str) -> bool:
    """Whether a token may go to this API URL: over TLS, or to a loopback test server."""
    parts = urlsplit(api_url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_token_transport(api_url: str, token: Secret | None) -> None:
    """Refuse a token bound for plain HTTP before anything is sent or cloned."""
    if token and not carries_token_safely(api_url):
        host = safe_line(urlsplit(api_url).hostname or "?", 100)
        raise UsageError(
            f"refusing to send a GitHub token over plain HTTP to {host}: "
            "use an https:// API URL (plain http:// only for a server on this machine), "
            "or run without a token"
        )


def is_offline(cli_flag: bool, env: dict[str, str] | None = None) -> bool:
    env = dict(os.environ) if env is None else env
    return cli_flag or env.get("PRREADY_OFFLINE", "").strip().lower() in ("1", "true", "yes")


@dataclass
class UserConfig:
    """The parsed config.toml. Unknown keys are ignored with a warning; wrong types are errors."""

    labels: dict[str, str] = field(default_factory=dict)  # label name -> kind (or "kind:value")
    skills: list[str] = field(default_factory=list)
    hardware: list[str] = field(default_factory=list)  # [profile] hardware: what the user has
    area_depth: int | None = None
    exclude_labels: list[str] = field(default_factory=list)
    claim_days: int = 30
    raw: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # unknown keys, with the nearest known


# The keys config.toml may hold, per table ([labels] maps any label name).
KNOWN_KEYS: dict[str, tuple[str, ...] | None] = {
    "labels": None,
    "profile": ("skills",),
    "plan": ("area_depth", "exclude_labels", "claim_days"),
}


def load_config(path: Path) -> UserConfig:
    """Read config.toml; a missing file is an empty config, a broken one a UsageError."""
    if not path.exists():
        return UserConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"config file {path} is not valid TOML: {_first_line(exc)}") from None
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror}") from None
    cfg = UserConfig(raw=data, warnings=unknown_keys(data, path))
    labels = data.get("labels", {})
    if not isinstance(labels, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
    ):
        raise UsageError(f"config file {path}: [labels] must map label names to strings")
    cfg.labels = dict(labels)
    profile = data.get("profile", {})
    if not isinstance(profile, dict):
        raise UsageError(f"config file {path}: [profile] must be a table")
    skills = profile.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise UsageError(f"config file {path}: profile.skills must be a list of strings")
    cfg.skills = list(skills)
    hardware = profile.get("hardware", [])
    if not isinstance(hardware, list) or not all(isinstance(s, str) for s in hardware):
        raise UsageError(f"config file {path}: profile.hardware must be a list of strings")
    cfg.hardware = list(hardware)
    plan = data.get("plan", {})
    if not isinstance(plan, dict):
        raise UsageError(f"config file {path}: [plan] must be a table")
    depth = plan.get("area_depth")
    if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 1):
        raise UsageError(f"config file {path}: plan.area_depth must be a positive integer")
    cfg.area_depth = depth
    exclude = plan.get("exclude_labels", [])
    if not isinstance(exclude, list) or not all(isinstance(s, str) for s in exclude):
        raise UsageError(f"config file {path}: plan.exclude_labels must be a list of strings")
    cfg.exclude_labels = list(exclude)
    claim_days = plan.get("claim_days", 30)
    if not isinstance(claim_days, int) or isinstance(claim_days, bool) or claim_days < 1:
        raise UsageError(f"config file {path}: plan.claim_days must be a positive integer")
    cfg.claim_days = claim_days
    return cfg


def unknown_keys(data: dict[str, Any], path: Path) -> list[str]:
    """One line per key prready does not know (a typo is ignored otherwise), naming the
    nearest known key."""
    import difflib

    dotted = [f"{t}.{k}" for t, keys in KNOWN_KEYS.items() for k in keys or ()]
    found = []
    for table, value in data.items():
        if table in KNOWN_KEYS:
            keys = KNOWN_KEYS[table]
            if keys is None or not isinstance(value, dict):
                continue
            names = [f"{table}.{k}" for k in value if k not in keys]
        else:
            names = [table]
        for name in names:
            pool = [*dotted, *(f"[{t}]" for t in KNOWN_KEYS)]
            close = difflib.get_close_matches(name, pool, n=1, cutoff=0.5) or (
                difflib.get_close_matches(name.rsplit(".", 1)[-1], dotted, n=1, cutoff=0.5)
            )
            hint = f" (did you mean {close[0]}?)" if close else ""
            found.append(f"{path}: unknown key {safe_line(name, 80)}{hint}; it is ignored")
    return found


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
