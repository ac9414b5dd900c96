"""Personal data: the one rule for how an assessor is shown.

A form export may name an assessor only by an e-mail address. The importer keeps the address
as the assessor's name, so that two assessors stay two and the same one is found again in the
pilot's next file; an address is personal data, though, and no page or export shows it. An
assessor whose name holds one is shown by number instead (``#12``), in queries
(``shown_assessor_sql``) and in Python (``shown_assessor``). Only the import history, for
staff, pairs the numbers with the addresses (``importing.history.batch_assessors``). (The Import
page shows the person importing a file what that file holds, its cells among them, so that
they can map its columns; what the hub already holds it shows by number there too.)
"""

from __future__ import annotations

import re

# "Something @ something . something", the same test in SQL (LIKE, in DuckDB and PostgreSQL
# alike) and in Python: a name that merely looks like an address is shown by number too, which
# errs on the side of the person.
EMAIL_LIKE = "%_@_%._%"
_EMAIL = re.compile(r".@.+\..", re.DOTALL)


def holds_email(name: object) -> bool:
    """Whether an assessor's name holds an e-mail address (by ``EMAIL_LIKE``)."""
    return isinstance(name, str) and _EMAIL.search(name) is not None


def shown_assessor(name: object, assessor_id: int | None) -> object:
    """An assessor's name as pages and exports show it: by number when it holds an address."""
    return f"#{assessor_id}" if holds_email(name) else name


def shown_assessor_sql(alias: str) -> str:
    """``shown_assessor`` as an SQL expression over the assessors table under ``alias``."""
    return (
        f"CASE WHEN {alias}.name LIKE '{EMAIL_LIKE}' THEN concat('#', {alias}.id) "
        f"ELSE {alias}.name END"
    )
