"""Walk the full situation space, uncapped, and print the counts (a benchmark, not a test: it prints numbers
and never fails on them).

    .venv/bin/python -m bench.situation_space [--pairwise]

The full product: every cause alone and in pairs (with each resection length) x every lab outcome x
neurological symptoms x pregnancy x age band x guidance x every combination of the other boxes and route
preferences (calc/situations.py), and the review visit's space (``review_space`` there). Each distinct
situation is decided and put into words, and every safety invariant of the test suite
(tests/core/situation_invariants.py) is checked. Prints: requests, distinct
situations, plans by action, how often each rule decided, invariant violations, and the time taken.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from calc import load_guideline
from calc.situations import review_space, space
from tests.core.situation_invariants import INVARIANTS, decided, distinct_situations


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairwise", action="store_true", help="the test suite's covering array instead")
    args = parser.parse_args()
    guideline = load_guideline()
    started = time.perf_counter()
    situations = distinct_situations(guideline, full=not args.pairwise)
    situations |= distinct_situations(guideline, review=True)
    built = time.perf_counter()
    actions: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for situation, request, outcome, plan in decided(situations, guideline):
        actions[plan.action] += 1
        for table, codes in outcome.rows().items():
            rules.update(f"{table}:{code}" for code in codes)
        for invariant in INVARIANTS:
            problem = invariant(situation, outcome, plan)
            if problem:
                violations[invariant.__name__] += 1
                examples.setdefault(invariant.__name__, f"{problem}: {request}")
    done = time.perf_counter()
    requests = sum(1 for _ in space(guideline, full=not args.pairwise))
    requests += sum(1 for _ in review_space(guideline))
    print(f"space: {'pairwise' if args.pairwise else 'full'} product")
    print(f"requests: {requests:,}; distinct situations: {len(situations):,}")
    print(f"time: {built - started:.1f} s to build the situations, {done - built:.1f} s to decide and check")
    print("plans by action: " + ", ".join(f"{a} {n:,}" for a, n in actions.most_common()))
    tables = guideline.decisions.rows()
    all_rows = [f"{t}:{r.code}" for t, rows in tables if t not in ("route", "route_preference") for r in rows]
    unreached = [r for r in all_rows if not rules[r]]
    reached = len(all_rows) - len(unreached)
    missing = f"; not: {unreached}" if unreached else ""
    print(f"rules reached (action to review): {reached} of {len(all_rows)}{missing}")
    total = sum(violations.values())
    print(f"invariants checked: {len(INVARIANTS)} x {len(situations):,} situations; violations: {total}")
    for name, count in violations.items():
        print(f"  {name}: {count:,}, e.g. {examples[name]}")


if __name__ == "__main__":
    main()
