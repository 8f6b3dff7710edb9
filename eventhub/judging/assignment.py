"""Assigning judges to entries (issue 5, point 3).

The rules, in priority order:

1. no judge gets an entry they have a conflict with (never relaxed);
2. every entry gets at least ``min(k, judges without a conflict)`` judges, exactly that many in
   a fresh plan, counting the judges it already has;
3. judge loads (pairs among ``entries``, existing ones included) are as even as possible:
   they differ by at most one whenever any plan obeying 1 and 2 allows it;
4. the judge-entry graph is connected where the numbers allow, because biases are only
   comparable between judges linked through shared entries.

Method. A greedy pass gives each entry its missing judges, least loaded first. Then loads are
evened by shifting pairs along alternating paths: judge A hands entry e1 to judge B, who hands
e2 to C, ..., ending at a judge at least two below A. This is augmenting-path max flow on the
bipartite b-matching; when no such path exists from any judge to one two below it, the load
vector is the most even one possible (decreasingly minimal: smallest maximum, largest minimum,
in the sense of Frank and Murota's decreasing minimization on M-convex sets), so the spread is
at most one exactly when some valid plan achieves that. Finally components are joined by
degree-preserving swaps -- (j1, e1), (j2, e2) become (j1, e2), (j2, e1) -- which keep every
load and every entry's count; a swap joins two components when at least one of the removed
pairs lies on a cycle (is not a bridge).

Existing pairs are never moved or removed (they may have scores), except one that is now a
conflict: it is left out of the plan with a note, and the caller deletes it. Pairs of judges
not in ``judges`` (a judge who dropped out after scoring) count toward their entry's judges;
pairs of entries not in ``entries`` are kept and otherwise ignored. Deterministic: inputs are
sorted, and ``seed`` alone decides the order in which equally good choices are tried.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

Pair = tuple[int, int]  # (judge, entry)


@dataclass(frozen=True)
class Plan:
    """Every (judge, entry) pair of the plan, kept existing pairs included, and one message
    per rule that could not be met."""

    pairs: set[Pair]
    notes: list[str]


def _entry_name(entry: int) -> str:
    return f"Entry {entry}"


def _judge_name(judge: int) -> str:
    return f"Judge {judge}"


def assign(
    entries: Sequence[int],
    judges: Sequence[int],
    k: int,
    conflicts: AbstractSet[Pair],
    existing: AbstractSet[Pair] = frozenset(),
    seed: int = 0,
    *,
    entry_name: Callable[[int], str] = _entry_name,
    judge_name: Callable[[int], str] = _judge_name,
) -> Plan:
    """A plan giving every entry k judges where possible (see the module docstring).

    ``entry_name`` and ``judge_name`` word the notes ("Entry 12" by default). To reassign a
    dropped judge's entries, leave the judge out of ``judges`` and their unscored pairs out of
    ``existing``.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    board = _Board(sorted(set(entries)), sorted(set(judges)), conflicts, random.Random(seed))
    notes = board.keep(existing, entry_name, judge_name)
    notes += board.fill(k, entry_name)
    board.even_out()
    notes += board.connect()
    notes += board.load_notes(judge_name)
    return Plan(pairs=board.kept | board.new_pairs(), notes=notes)


class _Board:
    """The plan being built: kept pairs are fixed, new ones may still move."""

    def __init__(
        self,
        entries: list[int],
        judges: list[int],
        conflicts: AbstractSet[Pair],
        rng: random.Random,
    ) -> None:
        self.entries, self.judges, self.conflicts = entries, judges, conflicts
        self.entry_set = set(entries)
        shuffled = judges[:]
        rng.shuffle(shuffled)
        self.judge_rank = {j: i for i, j in enumerate(shuffled)}
        shuffled = entries[:]
        rng.shuffle(shuffled)
        self.entry_rank = {e: i for i, e in enumerate(shuffled)}
        self.rng = rng
        self.kept: set[Pair] = set()
        self.judges_of: dict[int, set[int]] = {e: set() for e in entries}  # kept and new
        self.new_of: dict[int, set[int]] = {j: set() for j in judges}  # new entries per judge
        self.load: dict[int, int] = {j: 0 for j in judges}
        self.available: dict[int, list[int]] = {}  # judges who may still be added, by rank

    def keep(
        self,
        existing: Iterable[Pair],
        entry_name: Callable[[int], str],
        judge_name: Callable[[int], str],
    ) -> list[str]:
        notes = []
        for judge, entry in sorted(existing):
            if (judge, entry) in self.conflicts:
                notes.append(
                    f"{judge_name(judge)} has a conflict with {entry_name(entry)}; "
                    "that assignment is removed."
                )
                continue
            self.kept.add((judge, entry))
            if entry in self.entry_set:
                self.judges_of[entry].add(judge)
                if judge in self.load:
                    self.load[judge] += 1
        return notes

    def fill(self, k: int, entry_name: Callable[[int], str]) -> list[str]:
        """Greedy first pass: most constrained entries first, least loaded judges first."""
        notes = []
        targets = {}
        for entry in self.entries:
            allowed = [j for j in self.judges if (j, entry) not in self.conflicts]
            possible = len(set(allowed) | self.judges_of[entry])
            targets[entry] = min(k, possible)
            if possible < k:
                notes.append(_short_note(entry_name(entry), possible))
            self.available[entry] = sorted(
                (j for j in allowed if j not in self.judges_of[entry]), key=self.judge_rank.get
            )
        order = sorted(self.entries, key=lambda e: (len(self.available[e]), self.entry_rank[e]))
        for entry in order:
            missing = targets[entry] - len(self.judges_of[entry])
            if missing <= 0:
                continue
            # Among equally loaded judges pick at random, not in a fixed rotation: a rotation
            # gives every entry neighbouring judges, a long thin chain along which biases are
            # compared only through many steps (and the fit converges slowly).
            draw = {j: self.rng.random() for j in self.available[entry]}
            chosen = sorted(self.available[entry], key=lambda j: (self.load[j], draw[j]))
            for judge in chosen[:missing]:
                self._add(judge, entry)
        return notes

    def even_out(self) -> None:
        """Shift new pairs along alternating paths until no judge can hand one, directly or
        through others, to a judge with at least two fewer (each shift lowers the sum of
        squared loads, so this ends)."""
        if not self.judges:
            return
        while True:
            low = min(self.load.values())
            heavy = sorted(
                (j for j in self.judges if self.load[j] >= low + 2),
                key=lambda j: (-self.load[j], self.judge_rank[j]),
            )
            if not any(self._shift_from(judge) for judge in heavy):
                return

    def _shift_from(self, start: int) -> bool:
        """Breadth-first search for a path from ``start`` to a judge at least two lighter;
        apply it and say whether one was found."""
        parent: dict[int, tuple[int, int]] = {}
        queue = deque([start])
        seen = {start}
        limit = self.load[start] - 2
        while queue:
            giver = queue.popleft()
            for entry in sorted(self.new_of[giver], key=self.entry_rank.get):
                for taker in self.available[entry]:
                    if taker in seen or taker in self.judges_of[entry]:
                        continue
                    seen.add(taker)
                    parent[taker] = (giver, entry)
                    if self.load[taker] <= limit:
                        self._apply(taker, parent)
                        return True
                    queue.append(taker)
        return False

    def _apply(self, end: int, parent: dict[int, tuple[int, int]]) -> None:
        taker = end
        while taker in parent:
            giver, entry = parent[taker]
            self._remove(giver, entry)
            self._add(taker, entry)
            taker = giver

    def connect(self) -> list[str]:
        """Join components with degree-preserving swaps of new pairs, else by handing one
        pair to a judge of another component where that keeps the load spread; a note if
        some stay apart. Each step joins two components, so this ends.

        A connected graph needs at least (nodes - 1) pairs; with fewer, no swap can help.
        """
        components = self._components()
        nodes = sum(len(c) for c in components)
        edges = sum(len(self.judges_of[e]) for e in self.entries)
        if edges >= nodes - 1:
            while len(components) > 1 and (
                self._swap_between(components) or self._move_between(components)
            ):
                components = self._components()
        if len(components) <= 1:
            return []
        everyone = len(self.entries) + len(self.judges)
        if edges < everyone - 1:
            reason = (
                f"linking every judge and entry needs at least {everyone - 1} assignments and "
                f"the plan has {edges}; a larger k would link them"
            )
        else:
            reason = "conflicts and existing assignments leave no swap that links them"
        return [
            f"The judges form {len(components)} groups that share no entry, so their "
            f"harshness cannot be compared across groups: {reason}."
        ]

    def _components(self) -> list[set[tuple[str, int]]]:
        """Connected parts of the judge-entry graph (every judge of an entry among
        ``entries``, also those outside ``judges``), each a set of ("j", id) / ("e", id)."""
        adjacency = self._adjacency()
        components, seen = [], set()
        for node in sorted(adjacency):
            if node in seen:
                continue
            part, stack = {node}, [node]
            while stack:
                for other in adjacency[stack.pop()]:
                    if other not in part:
                        part.add(other)
                        stack.append(other)
            seen |= part
            components.append(part)
        return components

    def _adjacency(self) -> dict[tuple[str, int], list[tuple[str, int]]]:
        adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for entry in self.entries:
            for judge in sorted(self.judges_of[entry]):
                adjacency.setdefault(("e", entry), []).append(("j", judge))
                adjacency.setdefault(("j", judge), []).append(("e", entry))
        return adjacency

    def _swap_between(self, components: list[set[tuple[str, int]]]) -> bool:
        """Find and make one swap that joins two components: (j1, e1) from one and (j2, e2)
        from the other become (j1, e2) and (j2, e1), where one of the removed pairs lies on a
        cycle so its own component stays in one piece."""
        bridges = _bridges(self._adjacency())
        movable = [
            [(j, e) for j, e in sorted(self.new_pairs()) if ("e", e) in part] for part in components
        ]
        on_cycle = [
            [(j, e) for j, e in pairs if frozenset((("j", j), ("e", e))) not in bridges]
            for pairs in movable
        ]
        for a in range(len(components)):
            for b in range(len(components)):
                if a == b:
                    continue
                for j1, e1 in on_cycle[a]:
                    for j2, e2 in movable[b]:
                        if self._may_take(j1, e2) and self._may_take(j2, e1):
                            self._remove(j1, e1)
                            self._remove(j2, e2)
                            self._add(j1, e2)
                            self._add(j2, e1)
                            return True
        return False

    def _move_between(self, components: list[set[tuple[str, int]]]) -> bool:
        """Hand one new pair (j2, e) lying on a cycle of its component to a judge j1 of
        another component, when the spread of loads does not grow: e then links the two
        (conflicts can leave no swap where such a move still exists)."""
        bridges = _bridges(self._adjacency())
        spread = max(self.load.values()) - min(self.load.values())
        for b, part in enumerate(components):
            pairs = [
                (j, e)
                for j, e in sorted(self.new_pairs())
                if ("e", e) in part and frozenset((("j", j), ("e", e))) not in bridges
            ]
            for a, other in enumerate(components):
                if a == b:
                    continue
                takers = sorted(j for kind, j in other if kind == "j" and j in self.load)
                for j2, entry in pairs:
                    for j1 in takers:
                        if not self._may_take(j1, entry):
                            continue
                        self._remove(j2, entry)
                        self._add(j1, entry)
                        if max(self.load.values()) - min(self.load.values()) <= spread:
                            return True
                        self._remove(j1, entry)
                        self._add(j2, entry)
        return False

    def _may_take(self, judge: int, entry: int) -> bool:
        return judge in self.available[entry] and judge not in self.judges_of[entry]

    def load_notes(self, judge_name: Callable[[int], str]) -> list[str]:
        if not self.judges:
            return ["There are no judges to assign."] if self.entries else []
        notes = [
            f"{judge_name(j)} gets no entry: every entry already has its judges or is a conflict."
            for j in self.judges
            if self.load[j] == 0
        ]
        low, high = min(self.load.values()), max(self.load.values())
        if high - low > 1:
            notes.append(
                f"Judge loads range from {low} to {high}: conflicts and existing assignments "
                "leave no way to even them out further."
            )
        return notes

    def new_pairs(self) -> set[Pair]:
        return {(j, e) for j, held in self.new_of.items() for e in held}

    def _add(self, judge: int, entry: int) -> None:
        self.new_of[judge].add(entry)
        self.judges_of[entry].add(judge)
        self.load[judge] += 1

    def _remove(self, judge: int, entry: int) -> None:
        self.new_of[judge].discard(entry)
        self.judges_of[entry].discard(judge)
        self.load[judge] -= 1


def _short_note(entry: str, possible: int) -> str:
    if possible == 0:
        return f"{entry} has no judge without a conflict; it gets none."
    judges = "judge" if possible == 1 else "judges"
    return f"{entry} has only {possible} {judges} without a conflict; it gets {possible}."


def _bridges(adjacency: dict) -> set[frozenset]:
    """Edges whose removal disconnects their component (Tarjan's low-link, iterative so a
    long chain cannot hit the recursion limit)."""
    order: dict = {}
    low: dict = {}
    bridges: set[frozenset] = set()
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for other in neighbours:
                if other == parent:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                    continue
                order[other] = low[other] = counter
                counter += 1
                stack.append((other, node, iter(adjacency[other])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(frozenset((parent, node)))
    return bridges
