"""Reusable widgets: live table, panel status, header bar, sparkline."""
