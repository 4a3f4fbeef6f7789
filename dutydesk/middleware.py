"""Control characters stop at the door (issue #22 item 5), in one place for every page.

NUL and the other C0 control characters but tab, line feed and carriage return never come from a keyboard, cannot
be stored by PostgreSQL (NUL) and make an Excel export unreadable (the rest). A request that carries one in its
address, its query string, or a form field's name or value is answered with 400 and a page that says what was
wrong, before any view runs: nothing is read with it and nothing is saved. Uploaded files' cells are checked by the
reader (`dutydesk.spreadsheets.read_table`), which names the row; their names Django already cleans (it drops what
is not printable).
"""

from django.shortcuts import render

from dutydesk.spreadsheets import CONTROL_CHARACTERS

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _texts(request):
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield key
            yield from values


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(CONTROL_CHARACTERS.search(text) for text in _texts(request)):
            return render(request, "control_characters.html", status=400)
        return self.get_response(request)
