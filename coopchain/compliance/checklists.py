"""Checklists shipped as data (data/checklists.json), loaded by a data migration and again by
`load_checklists` whenever the file changes: points are keyed by checklist and number, so
loading twice changes nothing, and answers given to a point stay attached to it."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "checklists.json"


def checklist_data() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_checklists(checklist_model: Any, point_model: Any) -> int:
    """Create or update every shipped checklist; returns the number of control points.
    Takes the model classes so the data migration can pass its historical ones."""
    count = 0
    for data in checklist_data():
        checklist, _created = checklist_model.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "standard": data["standard"],
                "source": data["source"],
                "verified": data["verified"],
                "note": data["note"],
            },
        )
        for order, (code, section, text, level) in enumerate(data["points"], start=1):
            point_model.objects.update_or_create(
                checklist=checklist,
                code=code,
                defaults={"section": section, "text": text, "level": level, "sort_order": order},
            )
            count += 1
    return count
