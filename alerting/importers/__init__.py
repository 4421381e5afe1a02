"""Import an operator's CSV export of trouble tickets or maintenance notices, all or nothing.

`import_tickets(data, operator)` and `import_maintenance(data, operator)` check the whole file,
then save it in one transaction, or raise `ImportFailed` with one error per problem (line,
column, reason) and change nothing. The CSV reading and the error types are the inventory
importer's. docs/alerting.md describes the columns.
"""

from __future__ import annotations

from alerting.importers.maintenance import import_maintenance
from alerting.importers.tickets import import_tickets
from inventory.importers import ImportFailed, ImportResult, RowError

KINDS = {"tickets": import_tickets, "maintenance": import_maintenance}

__all__ = [
    "KINDS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "import_maintenance",
    "import_tickets",
]
