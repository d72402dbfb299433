"""A session's world: personas and their records, and every change to them."""
