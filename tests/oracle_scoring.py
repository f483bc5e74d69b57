"""An independent reference implementation of the scoring rules in docs/scoring.md.

Written from the rules alone (not from ``sreladder.core.scoring``), on plain dicts as
``yaml.safe_load`` gives them, returning the object ``sreladder score --format json``
prints. Kept short and literal; each rule below quotes the line it implements.

Ambiguities in the rules as first written, and the reading taken here (docs/scoring.md
now states each one):

A1 "a rating with no evidence ... is reported as unsupported": only ``partially`` and
   ``consistently`` count (a ``not-yet`` claims nothing; the scoring block calls it
   "a claim with no evidence"). A skipped answer (rating null) is not a rating.
A2 "L - max_lag" and "none counts as one below the first level": positions in the
   *role's* level list (a role may skip scale levels), none = position -1.
A3 "level(d) = the highest role level L with meets(d, L)" is taken literally: the
   highest, even when a lower cell is unmet (that is the reported inconsistency), and
   a dimension whose last cell is met holds every level above it up to the role's top;
   one that starts late holds the levels below its first cell even with no answers.
A4 "evidence coverage = the share of earned credit that carries evidence": credit as
   defined in the first rule (0 / 0.5 / 1, the *effective* one, so 0 for unsupported
   under require_evidence), not multiplied by expectation or dimension weight;
   answers to unknown expectations earn nothing; null when nothing is earned.
A5 "the level above the recommendation": when the recommendation is the role's top
   level there is none; the target is then the top level itself (no gaps).
A6 "gaps ... cells above level(d) up to the target": the target cell included; "heaviest
   dimensions first" with ties in file order, then level order, then expectation order.
A7 "weighted share of dimensions": dimension weight over all of the role's dimensions,
   including those with no cell at L (their level follows the meets() rules).
A8 "If no L qualifies: 'not yet <first>'": the JSON carries ``null`` ("``recommended``
   ... ``null`` where nothing is held"); the target is then the first level.
A9 ">= threshold" and "at least quorum" allow 1e-9 of float error (``EPS``), so 4 of 5
   equal weights hold a 0.8 threshold however the sum rounds.
A10 "coverage(d, L) ... over the expectations of the cell (d, L)": reported only at the
   levels where d has a cell (elsewhere there is no cell, so no share to report), in the
   role's level order whatever order the file lists the cells in.
A11 "reported as an inconsistency": one entry per held cell that has an unheld cell below
   it, ``{"dimension", "level", "unmet": [the unheld cells below, in level order]}``. An
   unheld cell counts only when at least one of its expectations was rated: the adaptive
   interview starts at the claimed level and never asks the cells below a held one, so
   an unasked cell is "not assessed", not evidence against the level above it.
A12 Orders and errors the rules left open: ``unsupported`` in role order (dimensions in
   file order, cells in level order); ``unknown_answers`` sorted; a target that is not a
   level of the role (from ``--target`` or the file; a scale level the role skips counts
   as unknown) is an error, not a guess.
"""

from __future__ import annotations

CREDIT = {"not-yet": 0.0, "partially": 0.5, "consistently": 1.0}
EPS = 1e-9  # tolerance of the >= comparisons (coverage vs threshold, share vs quorum)


def _has_evidence(answer: dict | None) -> bool:
    return bool(answer and answer.get("evidence"))


def _rating(answer: dict | None) -> str | None:
    return answer.get("rating") if answer else None


def oracle_score(role: dict, assessment: dict, target: str | None = None) -> dict:
    levels = list(role["levels"])  # role level order (validated to follow the scale)
    pos = {lv: i for i, lv in enumerate(levels)}
    sc = {"threshold": 0.8, "quorum": 0.75, "max_lag": 1, "require_evidence": False}
    sc.update(role.get("scoring") or {})
    answers = assessment.get("answers") or {}
    dims = role["dimensions"]

    def credit(eid: str) -> float:
        a = answers.get(eid)
        r = _rating(a)
        if r is None:
            return 0.0  # unanswered / skipped
        if sc["require_evidence"] and not _has_evidence(a):
            return 0.0
        return CREDIT[r]

    def cells(d: dict) -> list[str]:
        return [lv for lv in levels if lv in d["levels"]]

    known: list[str] = []
    dim_out, dim_level, coverage = [], {}, {}
    inconsistencies = []
    for d in dims:
        cov = {}
        for lv in cells(d):
            exps = d["levels"][lv]["expectations"]
            known += [e["id"] for e in exps]
            num = sum(e.get("weight", 1) * credit(e["id"]) for e in exps)
            cov[lv] = num / sum(e.get("weight", 1) for e in exps)
        coverage[d["id"]] = cov
        held = {lv: cov[lv] >= sc["threshold"] - EPS for lv in cov}

        def meets(lv: str, held=held) -> bool:
            below = [c for c in held if pos[c] <= pos[lv]]
            return held[below[-1]] if below else True  # below the first cell: not yet expected

        met = [lv for lv in levels if meets(lv)]
        dim_level[d["id"]] = met[-1] if met else None
        rated = {
            lv
            for lv in cov
            if any(_rating(answers.get(e["id"])) for e in d["levels"][lv]["expectations"])
        }
        for lv in held:
            unmet = [c for c in held if pos[c] < pos[lv] and not held[c] and c in rated]
            if held[lv] and unmet:
                inconsistencies.append({"dimension": d["id"], "level": lv, "unmet": unmet})
        level = dim_level[d["id"]]
        dim_out.append(
            {
                "id": d["id"],
                "name": d["name"],
                "level": level,
                "coverage": cov,
                # held only below the dimension's first cell: nothing expected of it yet
                "not_expected_yet": level is not None and pos[level] < pos[cells(d)[0]],
                # the dimension's last cell: a level above it is held by carrying it over
                "top_cell": cells(d)[-1],
            }
        )

    def lpos(d: dict) -> int:
        lv = dim_level[d["id"]]
        return -1 if lv is None else pos[lv]

    total_w = sum(d.get("weight", 1) for d in dims)
    recommended = None
    for i, lv in enumerate(levels):
        share = sum(d.get("weight", 1) for d in dims if lpos(d) >= i) / total_w
        if share >= sc["quorum"] - EPS and all(lpos(d) >= i - sc["max_lag"] for d in dims):
            recommended = lv  # keep the highest

    if target is None:
        target = assessment.get("target")
    if target is None:
        target = (
            levels[0] if recommended is None else levels[min(pos[recommended] + 1, len(levels) - 1)]
        )
    if target not in pos:
        raise ValueError(f"unknown target level {target!r}")

    gaps = []
    for d in sorted(dims, key=lambda d: -d.get("weight", 1)):  # stable: ties in file order
        if lpos(d) >= pos[target]:
            continue
        for lv in cells(d):
            if lpos(d) < pos[lv] <= pos[target]:
                for e in d["levels"][lv]["expectations"]:
                    if credit(e["id"]) < 1:
                        gaps.append(
                            {
                                "dimension": d["id"],
                                "level": lv,
                                "expectation": e["id"],
                                "text": e["text"],
                                "credit": credit(e["id"]),
                            }
                        )

    earned = sum(credit(e) for e in known)
    with_evidence = sum(credit(e) for e in known if _has_evidence(answers.get(e)))
    unsupported = [
        e
        for e in known
        if _rating(answers.get(e)) in ("partially", "consistently")
        and not _has_evidence(answers.get(e))
    ]
    known_set = set(known)
    return {
        "role": role["id"],
        "recommended": recommended,
        "target": target,
        "dimensions": dim_out,
        "gaps": gaps,
        "evidence_coverage": with_evidence / earned if earned > 0 else None,
        "unsupported": unsupported,
        "inconsistencies": inconsistencies,
        "unknown_answers": sorted(a for a in answers if a not in known_set),
    }
