"""Yemot HaMashiach (call2all): wire models, client and adapter (import them from their modules)."""
