"""French as the syndicate writes it: 05/12/2026 14:30, 1 390 000,00 (Django's own French
formats, restated where Menhir relies on them)."""

DATETIME_FORMAT = "d/m/Y H:i:s"  # with seconds: the audit log, the change history
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a no-break space: 1 390 000,00 never breaks across lines
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
