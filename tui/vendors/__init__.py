"""Vendor adapters. `make_vendor` builds the right one for a profile."""
