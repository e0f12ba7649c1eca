"""Reference plans and the illustrative funding rows."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from ocophub.centers.models import Center

from . import services
from .models import Commitment

DATA = Path(__file__).parent / "data"
CENTER_DATA = Path(__file__).resolve().parents[1] / "centers" / "data" / "demo_centers.json"


def plans_load() -> int:
    return services.plans_load(json.loads((DATA / "plans.json").read_text(encoding="utf-8")))


def demo_funding_create() -> int:
    """Illustrative commitments and disbursements for the demo centers, once."""
    if Commitment.objects.exists():
        return 0
    rows = json.loads(CENTER_DATA.read_text(encoding="utf-8"))["funding"]["commitments"]
    made = 0
    with transaction.atomic():
        for row in rows:
            center = Center.objects.filter(name=row["center"]).first()
            if center is None:
                continue
            commitment = services.commitment_create(
                actor=None,
                center=center,
                source=row["source"],
                amount=row["amount"],
                funder=row["funder"],
                committed_on=dt.date.fromisoformat(row["committed_on"]),
                document=row["document"],
                is_illustrative=True,
            )
            for paid in row["disbursements"]:
                services.disbursement_create(
                    actor=None,
                    commitment=commitment,
                    amount=paid["amount"],
                    disbursed_on=dt.date.fromisoformat(paid["on"]),
                    document=paid["document"],
                    is_illustrative=True,
                )
            made += 1
    return made
