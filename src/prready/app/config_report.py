"""`prready config`: where the config file is, and every setting as resolved, with where its
value came from (command line defaults aside). The token's value is never part of it: only
whether one was found and where."""

from __future__ import annotations

import os

from prready.config import (
    UserConfig,
    is_offline,
    load_config,
    resolve_api_url,
    resolve_token,
)
from prready.paths import Paths
from prready.reports import ConfigReport, Setting


def config_report(paths: Paths, env: dict[str, str] | None = None) -> ConfigReport:
    """Every setting prready would use now, and where it came from."""
    env = dict(os.environ) if env is None else env
    config = load_config(paths.config_file)
    raw = config.raw
    where = "PRREADY_HOME" if env.get("PRREADY_HOME") else "platform default"
    settings = [
        Setting("paths.config", str(paths.config), where),
        Setting("paths.data", str(paths.data), where),
        Setting("paths.cache", str(paths.cache), where),
    ]
    api_source = "GITHUB_API_URL" if env.get("GITHUB_API_URL") else "default"
    settings.append(Setting("github.api_url", resolve_api_url(None, env), api_source))
    token = resolve_token(None, env)
    found = "set (value never shown)" if token.token else "none"
    settings.append(Setting("github.token", found, token.variable or token.origin))
    offline_source = "PRREADY_OFFLINE" if is_offline(False, env) else "default"
    settings.append(Setting("offline", is_offline(False, env), offline_source))
    settings.append(
        Setting("debug", bool(env.get("PRREADY_DEBUG")), _env_or_default(env, "PRREADY_DEBUG"))
    )
    settings.extend(_file_settings(config, raw))
    return ConfigReport(
        config_file=str(paths.config_file),
        exists=paths.config_file.exists(),
        settings=settings,
        warnings=list(config.warnings),
    )


def _file_settings(config: UserConfig, raw: dict[str, object]) -> list[Setting]:
    def source(table: str, key: str) -> str:
        section = raw.get(table)
        return "config.toml" if isinstance(section, dict) and key in section else "default"

    labels = raw.get("labels")
    return [
        Setting("labels", dict(config.labels), "config.toml" if labels else "default"),
        Setting("profile.skills", list(config.skills), source("profile", "skills")),
        Setting(
            "plan.area_depth",
            config.area_depth if config.area_depth is not None else "chosen per repository",
            source("plan", "area_depth"),
        ),
        Setting(
            "plan.exclude_labels", list(config.exclude_labels), source("plan", "exclude_labels")
        ),
        Setting("plan.claim_days", config.claim_days, source("plan", "claim_days")),
    ]


def _env_or_default(env: dict[str, str], name: str) -> str:
    return name if env.get(name) else "default"
