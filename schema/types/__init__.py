"""Strawberry object types, one module per aggregate."""
