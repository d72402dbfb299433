"""Durable state: sessions and their journals."""
