"""Thin HTTP and WebSocket handlers: parse, call, serialise."""
