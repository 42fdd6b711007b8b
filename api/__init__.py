"""Thin FastAPI edge: routers, schemas, auth and the web pages."""
