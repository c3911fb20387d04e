"""Validate JSON bodies against the response schemas of GitHub's OpenAPI description
(the shared subset), converting OpenAPI 3.0 `nullable` into JSON Schema type unions."""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT7

SHARED_SPEC_PATH = (
    Path(__file__).resolve().parents[3] / "shared" / "github-api" / "rest-subset.openapi.json"
)
# The paths of the shared subset. When only the full description is at hand (the npm
# package @octokit/openapi, fetched by .ci/run where ../shared is absent), these are kept.
SUBSET_PATHS = (
    "/repos/{owner}/{repo}",
    "/repos/{owner}/{repo}/issues",
    "/repos/{owner}/{repo}/issues/{issue_number}",
    "/repos/{owner}/{repo}/issues/{issue_number}/timeline",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    "/repos/{owner}/{repo}/labels",
    "/repos/{owner}/{repo}/pulls",
    "/repos/{owner}/{repo}/pulls/{pull_number}",
    "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    "/repos/{owner}/{repo}/commits",
    "/repos/{owner}/{repo}/contents/{path}",
    "/search/issues",
    "/rate_limit",
    "/user",
    "/users/{username}",
)


NPM_PACKAGE = "@octokit/openapi@23.0.2"
# Downloaded description, kept next to the tests (gitignored), never committed.
NPM_CACHE = Path(__file__).resolve().parents[1] / ".openapi-cache"


def spec_path() -> Path:
    """GitHub's OpenAPI description: $PRREADY_GITHUB_OPENAPI, else the shared subset next
    to the checkout, else the full description from the npm registry (fetched once)."""
    configured = os.environ.get("PRREADY_GITHUB_OPENAPI")
    if configured:
        return Path(configured)
    if SHARED_SPEC_PATH.exists():
        return SHARED_SPEC_PATH
    return _npm_spec()


def _npm_spec() -> Path:
    target = NPM_CACHE / "package" / "generated" / "api.github.com.json"
    if target.exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError(
            f"GitHub's OpenAPI description is missing: no {SHARED_SPEC_PATH} and no npm to "
            f"fetch {NPM_PACKAGE}; set PRREADY_GITHUB_OPENAPI to its api.github.com.json"
        )
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        [npm, "pack", "--silent", NPM_PACKAGE],
        cwd=NPM_CACHE, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    tarball = NPM_CACHE / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        member = "package/generated/api.github.com.json"
        if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4
            archive.extract(member, NPM_CACHE, filter="data")
        else:  # pragma: no cover - a fixed member name from a registry package
            archive.extract(member, NPM_CACHE)
    tarball.unlink()
    return target


_SPEC_URI = "urn:github-rest-subset"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_OPENAPI_ONLY = (
    "nullable",
    "discriminator",
    "example",
    "examples",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
)


def validate(path_template: str, body: Any, status: int = 200, *, strict: bool = False) -> None:
    """Raise jsonschema.ValidationError unless `body` fits the GET operation's `status`
    response. `strict` also forbids keys the schema does not list (catches our typos)."""
    error = next(iter(errors(path_template, body, status, strict=strict)), None)
    if error is not None:
        raise error


def errors(
    path_template: str, body: Any, status: int = 200, *, strict: bool = False
) -> list[ValidationError]:
    """Every validation error of `body` (best first), empty when it fits."""
    validator = _validator(path_template, status, strict)
    return sorted(validator.iter_errors(body), key=lambda e: len(list(e.absolute_path)))


def component_errors(name: str, body: Any, *, strict: bool = False) -> list[ValidationError]:
    """Every validation error of `body` against `components/schemas/{name}`."""
    validator = _component_validator(name, strict)
    return sorted(validator.iter_errors(body), key=lambda e: len(list(e.absolute_path)))


def timeline_event_errors(event: dict[str, Any], *, strict: bool = False) -> list[ValidationError]:
    """Check a timeline item against the schema its `event` names: the operation's anyOf
    alone is too loose (some branch accepts almost anything)."""
    name = TIMELINE_EVENT_SCHEMAS.get(str(event.get("event")))
    if name is None:
        raise KeyError(f"no schema known for timeline event {event.get('event')!r}")
    return component_errors(name, event, strict=strict)


TIMELINE_EVENT_SCHEMAS = {
    "commented": "timeline-comment-event",
    "cross-referenced": "timeline-cross-referenced-event",
    "labeled": "labeled-issue-event",
    "unlabeled": "unlabeled-issue-event",
    "closed": "state-change-issue-event",
    "reopened": "state-change-issue-event",
    "renamed": "renamed-issue-event",
    "committed": "timeline-committed-event",
    "reviewed": "timeline-reviewed-event",
    "assigned": "timeline-assigned-issue-event",
    "unassigned": "timeline-unassigned-issue-event",
    "locked": "locked-issue-event",
    "milestoned": "milestoned-issue-event",
    "demilestoned": "demilestoned-issue-event",
}


def operation_paths() -> list[str]:
    """The GET path templates the spec subset describes."""
    return [p for p, ops in _spec(False)["paths"].items() if "get" in ops]


@functools.lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    """The raw OpenAPI document, its paths cut down to the subset's GET operations."""
    spec = json.loads(spec_path().read_text(encoding="utf-8"))
    spec["paths"] = {
        p: {"get": ops["get"]}
        for p, ops in spec["paths"].items()
        if p in SUBSET_PATHS and "get" in ops
    }
    return spec


@functools.cache
def _validator(path_template: str, status: int, strict: bool) -> Draft7Validator:
    spec = _spec(strict)
    try:
        response = spec["paths"][path_template]["get"]["responses"][str(status)]
    except KeyError:
        raise KeyError(f"the spec has no GET {path_template} response {status}") from None
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    registry: Registry = Registry().with_resource(_SPEC_URI, DRAFT7.create_resource(spec))
    return Draft7Validator(_rebase(schema), registry=registry, format_checker=_format_checker())


@functools.cache
def _component_validator(name: str, strict: bool) -> Draft7Validator:
    spec = _spec(strict)
    if name not in spec["components"]["schemas"]:
        raise KeyError(f"the spec has no schema {name!r}")
    registry: Registry = Registry().with_resource(_SPEC_URI, DRAFT7.create_resource(spec))
    schema = {"$ref": f"{_SPEC_URI}#/components/schemas/{name}"}
    return Draft7Validator(schema, registry=registry, format_checker=_format_checker())


@functools.lru_cache(maxsize=2)
def _spec(strict: bool) -> dict[str, Any]:
    spec = load_spec()
    converted = _convert(copy.deepcopy(spec), strict)
    converted["$id"] = _SPEC_URI
    return _rebase(converted)  # type: ignore[no-any-return]


def _convert(node: Any, strict: bool) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema draft 7 (nullable, no OpenAPI-only keys)."""
    if isinstance(node, list):
        return [_convert(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _convert(v, strict)
        for k, v in node.items()
        if k not in _OPENAPI_ONLY and not k.startswith("x-")
    }
    # Keys named like keywords inside `properties` are property names, not keywords.
    if "properties" in node and isinstance(node["properties"], dict):
        out["properties"] = {k: _convert(v, strict) for k, v in node["properties"].items()}
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
        # Some schemas require keys they never list (pull labels' "description").
        for key in out.get("required", []):
            out["properties"].setdefault(key, {})
    if node.get("nullable") is True:
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _rebase(node: Any) -> Any:
    """Point local `#/components/...` refs at the registered spec document."""
    if isinstance(node, list):
        return [_rebase(item) for item in node]
    if isinstance(node, dict):
        return {
            k: (
                _SPEC_URI + v
                if k == "$ref" and isinstance(v, str) and v.startswith("#")
                else _rebase(v)
            )
            for k, v in node.items()
        }
    return node


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def _is_date_time(value: object) -> bool:
        return not isinstance(value, str) or bool(_DATE_TIME.fullmatch(value))

    @checker.checks("uri")
    def _is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.scheme in ("mailto", "urn")))

    return checker
