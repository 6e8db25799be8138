"""Views of the surveys API, one module per area."""
