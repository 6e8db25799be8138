from carebridge.reports.models.access import ReportAccess

__all__ = ["ReportAccess"]
