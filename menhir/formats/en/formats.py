"""English as the syndicate's engineers write it: 24-hour clock, dates that sort (2026-12-05)."""

DATETIME_FORMAT = "Y-m-d H:i:s"  # with seconds: the audit log, the change history
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in France
