"""The core: pure functions over frozen models. Imports no vendor SDK and nothing from services."""
