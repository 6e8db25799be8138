"""Models of the performance app, by sub-domain."""

from carebridge.performance.models.actions import ActionTransition, ImprovementAction

__all__ = ["ActionTransition", "ImprovementAction"]
