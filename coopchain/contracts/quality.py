"""A delivery's quality grade from the quality measured on it.

A grade may name the range of the contract's measure it covers (moisture 0–12.5 %, say). A
delivery is given the best-paid grade whose range holds its measurement; a measurement no
grade holds is below the specification, and the lowest-paid grade's penalty applies.
"""

from dataclasses import dataclass
from decimal import Decimal

from coopchain.contracts.models import LinkageContract, QualityGrade


@dataclass(frozen=True)
class Graded:
    grade: QualityGrade | None
    below_specification: bool = False


def holds(grade: QualityGrade, measured: Decimal) -> bool:
    return (grade.lowest is None or measured >= grade.lowest) and (
        grade.highest is None or measured <= grade.highest
    )


def grade_for(contract: LinkageContract, measured: Decimal | None) -> Graded:
    grades = list(contract.grades.all())
    ranged = [g for g in grades if g.lowest is not None or g.highest is not None]
    if measured is None or not ranged:
        return Graded(None)
    for grade in sorted(ranged, key=lambda g: -g.adjustment):
        if holds(grade, measured):
            return Graded(grade)
    return Graded(min(grades, key=lambda g: g.adjustment), below_specification=True)
