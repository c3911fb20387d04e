"""Distances between issues in the code's area graph, so later plan stages can prefer code
near what the user already read (knowledge compounds)."""

from __future__ import annotations

from collections.abc import Sequence

from prready.analysis.mapping import rank_areas, strong_areas
from prready.analysis.snapshot import adjacency
from prready.code_models import CodeMap
from prready.models import IssueAssessment

# The earlier step nearest to an issue: (that step, hops, the issue's area, the step's area).
Near = tuple[IssueAssessment, int, str, str]
MAX_DISTANCE = 3  # beyond three hops between areas, nothing carries over
AREAS_PER_ISSUE = 2


class AreaDistances:
    """Hop counts between areas (undirected: an import either way means shared knowledge),
    computed on demand with breadth-first search and cached per source area, and per pair
    of top-area lists (thousands of issues share a few dozen of them)."""

    def __init__(self, code_map: CodeMap) -> None:
        self.code_map = code_map
        self._graph: dict[str, set[str]] | None = None  # area -> its neighbour areas
        self._from: dict[str, dict[str, int]] = {}
        self._pairs: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[int, str, str] | None] = {}

    def areas_of(self, a: IssueAssessment) -> list[str]:
        """The top areas an issue maps to."""
        if a.features is not None:
            return list(a.features.areas[:AREAS_PER_ISSUE])
        return list(strong_areas(rank_areas(a.modules, self.code_map))[:AREAS_PER_ISSUE])

    def distance(self, a: IssueAssessment, b: IssueAssessment) -> int | None:
        """Fewest hops between any top area of `a` and any of `b`; None when unrelated."""
        found = self.closest_areas(a, b)
        return None if found is None else found[0]

    def closest_areas(self, a: IssueAssessment, b: IssueAssessment) -> tuple[int, str, str] | None:
        """(hops, area of `a`, area of `b`) of the closest pair of their top areas (ties:
        the better-ranked areas); None when unrelated."""
        pair = (tuple(self.areas_of(a)), tuple(self.areas_of(b)))
        if pair in self._pairs:
            return self._pairs[pair]
        best: tuple[int, str, str] | None = None
        for source in pair[0]:
            reach = self._reach(source)
            for target in pair[1]:
                hops = reach.get(target)
                if hops is not None and (best is None or hops < best[0]):
                    best = (hops, source, target)
        self._pairs[pair] = best
        return best

    def closeness(self, a: IssueAssessment, earlier: Sequence[IssueAssessment]) -> float:
        """1 for the same area as an earlier step, 1/2 one hop away, ..., 0 if unrelated."""
        near = self.nearest(a, earlier)
        return 0.0 if near is None else 1.0 / (1 + near[1])

    def nearest(self, a: IssueAssessment, earlier: Sequence[IssueAssessment]) -> Near | None:
        """The earlier step closest to `a`, its distance and the two areas that are that
        close (ties: lowest issue number)."""
        best: Near | None = None
        for other in sorted(earlier, key=lambda e: e.issue.number):
            found = self.closest_areas(a, other)
            if found is not None and (best is None or found[0] < best[1]):
                best = (other, *found)
        return best

    def _reach(self, source: str) -> dict[str, int]:
        if source not in self._from:
            graph = self._area_graph()
            if source in graph:
                # Breadth-first, at most MAX_DISTANCE hops out.
                reach = {source: 0}
                frontier = [source]
                for hops in range(1, MAX_DISTANCE + 1):
                    following = []
                    for area in frontier:
                        for other in graph[area]:
                            if other not in reach:
                                reach[other] = hops
                                following.append(other)
                    frontier = following
                self._from[source] = reach
            else:
                self._from[source] = {source: 0}
        return self._from[source]

    def _area_graph(self) -> dict[str, set[str]]:
        """Areas linked by an import either way: read from the map's adjacency dicts (a
        restored map's graph is never built for it, nor networkx imported)."""
        if self._graph is None:
            graph: dict[str, set[str]] = {name: set() for name in self.code_map.areas}
            area = {name: info.area for name, info in self.code_map.modules.items()}
            successors, _ = adjacency(self.code_map)
            # Tens of thousands of module edges collapse to a few hundred area pairs.
            for u, targets in successors.items():
                au = area.get(u, "")
                if not au:
                    continue
                # One set per module (C loops): "" is a target of no module or no area.
                linked = {area.get(v, "") for v in targets}
                linked.difference_update(("", au))
                if linked:
                    graph.setdefault(au, set()).update(linked)
                    for av in linked:
                        graph.setdefault(av, set()).add(au)
            self._graph = graph
        return self._graph
