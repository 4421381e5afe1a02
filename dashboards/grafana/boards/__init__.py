"""The dashboards, one module each, one function per panel."""
