"""PyMockAPI: a mock API server for product demos."""

__version__ = "0.1.0"
