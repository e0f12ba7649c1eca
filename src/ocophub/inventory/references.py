"""What a ledger line's reference points at, in words, with a link when the viewer may open it.

A movement's reference is "<kind>:<code>" (e.g. "sale:HD-0000122"). Inventory knows its own kinds
(transfers); the apps above it that move stock (sales: receipts, returns, orders) fill REFERENCE_KINDS
with a describer for theirs. A describer is asked once per kind for a whole page of references, so a
page of the ledger costs the same few queries whatever it shows.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.centers.models import Center


@dataclass(frozen=True)
class ReferenceLink:
    label: str
    url: str = ""


# kind → describer(user, center whose ledger is shown, codes of that kind) → {code: link}
Describer = Callable[[Any, Center, list[str]], dict[str, ReferenceLink]]
REFERENCE_KINDS: dict[str, Describer] = {}


def describe_references(user: Any, center: Center, references: Iterable[str]) -> dict[str, ReferenceLink]:
    """{reference: link} for the non-empty `references`; an unknown kind is shown as it is written."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for reference in set(filter(None, references)):
        kind, _sep, code = reference.partition(":")
        by_kind[kind].append(code)
    found: dict[str, ReferenceLink] = {}
    for kind, codes in by_kind.items():
        describer = REFERENCE_KINDS.get(kind)
        described = describer(user, center, sorted(codes)) if describer else {}
        for code in codes:
            reference = f"{kind}:{code}"
            found[reference] = described.get(code) or ReferenceLink(reference)
    return found


def describe_transfers(user: Any, center: Center, codes: list[str]) -> dict[str, ReferenceLink]:
    """ "transfer:<from id>><to id>": the other center's name, linked to its ledger when the viewer
    may see that center's stock."""
    pairs: dict[str, tuple[int, int]] = {}
    for code in codes:
        out_of, _sep, into = code.partition(">")
        if out_of.isdigit() and into.isdigit():
            pairs[code] = (int(out_of), int(into))
    ids = {i for pair in pairs.values() for i in pair}
    centers = Center.objects.in_bulk(ids) if ids else {}
    links: dict[str, ReferenceLink] = {}
    for code, (source, target) in pairs.items():
        outgoing = source == center.pk
        other = centers.get(target if outgoing else source)
        if other is None:
            continue
        label = (
            _("Transfer to %(center)s") % {"center": other.name}
            if outgoing
            else _("Transfer from %(center)s") % {"center": other.name}
        )
        url = (
            reverse("inventory:ledger", args=[other.slug])
            if permissions.can_view_center_stock(user, other)
            else ""
        )
        links[code] = ReferenceLink(label, url)
    return links


REFERENCE_KINDS.setdefault("transfer", describe_transfers)
