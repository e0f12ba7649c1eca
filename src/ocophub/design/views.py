"""Pages of one design request: its brief, versions, files, thread and the moves the viewer may make.

A request the viewer may not see is 404 (accounts.permissions.can_view_design_request).
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    design_request = selectors.request_for(request.user, pk)
    if design_request is None:
        raise Http404
    return render(
        request,
        "design/request_detail.html",
        {"design_request": design_request, **selectors.request_page(design_request)},
    )
