"""One module a screen. Screens talk to the service layer only (never httpx)."""
