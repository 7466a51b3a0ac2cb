"""``manualkit serve``: the toolkit as a local web page, for staff who never open a terminal.

Public API::

    create_app(policy=DEFAULT_POLICY, limits=None, allowed_hosts=None) -> Starlette

The page holds no rules: each of its jobs calls the library function its CLI
command calls (``manualkit.toolkit.serve.work``). Uploads (``uploads``) live in a
temporary folder per request, removed when the job (``jobs``) ends.
"""

from manualkit.toolkit.serve.app import create_app

__all__ = ["create_app"]
