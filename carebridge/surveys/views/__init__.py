"""Pages of the surveys app (quality office): one module per area."""
