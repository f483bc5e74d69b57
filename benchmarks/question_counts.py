"""How many questions the adaptive interview asks, against ``--thorough``.

For each shipped role and each of its levels X, a simulated person "really at X" goes
through the pure plan (``sreladder.core.interview.simulate``): they claim X in every
dimension, answer ``consistently`` at cells up to X and ``not-yet`` above. The table
counts expectation ratings (level questions, one per dimension, come on top in both
modes) and checks that the recommendation is X.

    python benchmarks/question_counts.py

``docs/commands.md`` shows this output as a generated block (``benchmarks/docs_figures.py``).
"""

from __future__ import annotations

from sreladder.core.interview import simulate
from sreladder.core.scoring import score
from sreladder.io.rubric import load_rubric

ROLES = ("sre", "ops-sre", "production-engineer")


def table() -> str:
    """The Markdown table and the line about level questions, as printed."""
    rubric = load_rubric()
    lines = [
        "| role | really at | adaptive | thorough | saved | recommended |",
        "|---|---|---:|---:|---:|---|",
    ]
    for role_id in ROLES:
        role = rubric.role(role_id)
        for level in role.level_ids:
            adaptive, asked = simulate(role, level)
            _, asked_all = simulate(role, level, thorough=True)
            recommended = score(role, adaptive).recommended
            saved = 1 - asked / asked_all
            lines.append(
                f"| {role_id} | {level} | {asked} | {asked_all} | {saved:.0%} | {recommended} |"
            )
    per_role = ", ".join(f"{r} {len(rubric.role(r).dimensions)}" for r in ROLES)
    lines += ["", f"Level questions (one per dimension) come on top in both modes: {per_role}."]
    return "\n".join(lines)


def main() -> None:
    print(table())


if __name__ == "__main__":
    main()
