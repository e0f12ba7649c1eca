"""A producer's reference files added to a request after it was submitted."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError

from ..models import DesignFile, DesignRequest, FileRole, RequestState
from .checks import Upload, checked_files, files_store, locked

# States in which the designer still works from the references: until the final files are handed over.
REFERENCE_STATES: tuple[str, ...] = (
    RequestState.SUBMITTED,
    RequestState.ACCEPTED,
    RequestState.IN_PROGRESS,
    RequestState.PROPOSAL_SENT,
    RequestState.CHANGES_REQUESTED,
    RequestState.APPROVED,
)


@transaction.atomic
def design_reference_add(*, actor: Any, request: DesignRequest, files: Sequence[Upload]) -> list[DesignFile]:
    """The producer brings more references (photos of the current label, a sketch…) while the design
    is still being made; a request delivered, closed, declined or withdrawn takes none."""
    checked = checked_files(list(files), "files")
    if not checked:
        raise DomainError(_("Attach at least one file."), fields={"files": _("At least one file.")})
    request = locked(request)
    if request.state not in REFERENCE_STATES:
        raise Conflict(
            _("A request that is “%(state)s” takes no more references.")
            % {"state": request.get_state_display()},
            fields={"state": _("Not allowed from the current state.")},
        )
    return files_store(request, checked, role=FileRole.REFERENCE, version=None, actor=actor)
