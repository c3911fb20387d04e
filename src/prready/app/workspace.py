"""The workspace of one command: where its files are, the user's config, the moment it runs
at, whether it may use the network, how it reports progress, its GitHub client, its two
SQLite stores, the assessment cache and the parse cache (both in the cache DB).

Built once at the CLI edge (or by a test) and handed to app/ functions, which take it plus
what the user asked for. The client and the stores are created on first use, once per
command, and closed when the workspace's `with` block ends, on success or error. Tests give
the workspace a client factory pointed at a loopback server instead of patching a class.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar

from prready import clock
from prready.config import DEFAULT_API_URL, Secret, UserConfig
from prready.errors import OfflineError
from prready.paths import Paths

if TYPE_CHECKING:
    from prready.models import ProgressFn
    from prready.sources.github_api import GitHubClient
    from prready.store.assessment_cache import AssessmentCache
    from prready.store.parse_cache import ParseCache

# Builds the command's one client: (api_url, token, *, progress=..., responses=...), the
# signature of GitHubClient itself, so `functools.partial(GitHubClient, sleep=...)` fits.
ClientFactory = Callable[..., "GitHubClient"]


class Background(Protocol):
    """Work a command started alongside (the mapping index's scan): stopped when it ends."""

    def stop(self) -> None: ...


B = TypeVar("B", bound=Background)
W = TypeVar("W")


@dataclass(frozen=True)
class GitHubAccess:
    """Where the API is and the token for it, resolved once (see cli.runtime.github_access)."""

    api_url: str = DEFAULT_API_URL
    token: Secret | None = None


@dataclass
class _Resources:
    """What a workspace owns and closes; shared with the views `Workspace.at` makes."""

    cache: sqlite3.Connection | None = None
    progress: sqlite3.Connection | None = None
    assessments: AssessmentCache | None = None
    parse: ParseCache | None = None
    client: GitHubClient | None = None
    access: GitHubAccess | None = None
    background: list[Background] = field(default_factory=list)
    closed: bool = False
    opened: dict[str, int] = field(
        default_factory=lambda: {
            "cache": 0,
            "progress": 0,
            "assessments": 0,
            "parse": 0,
            "client": 0,
        }
    )


class Workspace:
    """One command's context; use it as `with Workspace(...) as ws:`."""

    def __init__(
        self,
        paths: Paths,
        config: UserConfig | None = None,
        *,
        now: datetime | None = None,
        offline: bool = False,
        progress: ProgressFn | None = None,
        github: GitHubAccess | Callable[[], GitHubAccess] | None = None,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.paths = paths
        self.config = config if config is not None else UserConfig()
        self._now = now
        self.offline = offline
        self.progress = progress
        self._github = github if github is not None else GitHubAccess()
        self._client_factory = client_factory
        self._res = _Resources()

    # ------------------------------------------------------------------ lifetime
    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def now(self) -> datetime:
        """The command's one moment, read from the clock on first use (a command that
        never asks never reads SOURCE_DATE_EPOCH)."""
        if self._now is None:
            self._now = clock.now()
        return clock.aware(self._now)

    def close(self) -> None:
        """Stop background work on the stores, close them (and forget the client); safe to
        call twice."""
        res = self._res
        try:
            # Held work (the mapping index's fields the map extracted) may still write to
            # the cache: it ends first.
            while res.background:
                res.background.pop().stop()
        finally:  # the stores are closed whatever stopping did
            stores = (res.cache, res.progress, res.assessments, res.parse)
            res.cache = res.progress = res.assessments = res.parse = None
            res.client = None
            res.closed = True
            for conn in stores:
                if conn is not None:
                    conn.close()

    def hold(self, work: B) -> B:
        """Own `work` started for this command (the mapping index's fields a map extracts,
        `retrieval.prefetch_index`): `close` stops it. Returns it, to pass on."""
        self._check_open()
        self._res.background.append(work)
        return work

    def held(self, kind: type[W]) -> W | None:
        """The work of type `kind` this workspace holds, the latest if several (the
        mapping index's extracted fields, for `mapping_index` to take over); None if none."""
        return next((w for w in reversed(self._res.background) if isinstance(w, kind)), None)

    def _check_open(self) -> None:
        if self._res.closed:
            raise RuntimeError("this workspace is closed: its command has ended")

    def at(self, moment: datetime) -> Workspace:
        """The same workspace (same stores, same client) with its clock fixed at `moment`:
        the demo plans as of its sample's own date."""
        view = Workspace.__new__(Workspace)
        view.__dict__.update(self.__dict__)
        view._now = moment
        return view

    def offline_view(self) -> Workspace:
        """The same workspace (same stores, same held work) working offline: `prready
        issues` maps a cached clone as it is, never fetching code. Itself if offline."""
        if self.offline:
            return self
        view = Workspace.__new__(Workspace)
        view.__dict__.update(self.__dict__)
        view.offline = True
        return view

    # ------------------------------------------------------------------ stores
    @property
    def cache(self) -> sqlite3.Connection:
        """The cache DB (issues, labels, answers), opened on first use."""
        if self._res.cache is None:
            self._check_open()
            from prready.store.issues_store import open_cache

            self._res.cache = open_cache(self.paths)
            self._res.opened["cache"] += 1
        return self._res.cache

    @property
    def progress_store(self) -> sqlite3.Connection:
        """The progress DB (the user's tracked steps), opened on first use."""
        if self._res.progress is None:
            self._check_open()
            from prready.store.progress_store import open_progress

            self._res.progress = open_progress(self.paths.progress_db)
            self._res.opened["progress"] += 1
        return self._res.progress

    @property
    def assessments(self) -> AssessmentCache:
        """The cached issue assessments (in the cache DB), opened on first use."""
        if self._res.assessments is None:
            self._check_open()
            from prready.store.assessment_cache import AssessmentCache

            self._res.assessments = AssessmentCache(self.paths.cache_db)
            self._res.opened["assessments"] += 1
        return self._res.assessments

    @property
    def parse_cache(self) -> ParseCache:
        """The parse cache (scan results, map snapshots, the mapping index's parts; in the
        cache DB), opened on first use. This thread's: a thread that writes to the cache
        (`map.ScanWriter`) opens a connection of its own."""
        if self._res.parse is None:
            self._check_open()
            from prready.store.parse_cache import ParseCache

            self._res.parse = ParseCache(self.paths.cache_db)
            self._res.opened["parse"] += 1
        return self._res.parse

    @property
    def opened(self) -> dict[str, int]:
        """How many times each resource was created (each at most once per workspace)."""
        return dict(self._res.opened)

    # ------------------------------------------------------------------ GitHub
    @property
    def github(self) -> GitHubAccess:
        """The API URL and token, resolved on first use (a command that finds all it needs
        in the store never looks a token up)."""
        if self._res.access is None:
            github = self._github
            self._res.access = github if isinstance(github, GitHubAccess) else github()
        return self._res.access

    def client(self) -> GitHubClient:
        """The command's one GitHub client, built on first use; answers it may ask for
        again are kept in the cache DB, so unchanged ones cost free 304s next time.
        Offline there is none: asking is an error."""
        if self.offline:
            raise OfflineError("offline: this needs GitHub", advice="drop_offline")
        if self._res.client is None:
            self._check_open()
            access = self.github
            factory = self._client_factory
            if factory is None:
                from prready.sources.github_api import GitHubClient

                factory = GitHubClient
            from prready.store.response_cache import ResponseCache

            self._res.client = factory(
                access.api_url,
                access.token,
                progress=self.progress,
                responses=ResponseCache(lambda: self.cache),
            )
            self._res.opened["client"] += 1
        return self._res.client
