"""The former service-desk app. It exists only so existing databases migrate: its migrations hold the
history of the tables (still named ``desk_*``) until ``0006`` hands their models over to
``carebridge.complaints`` and ``carebridge.frontdesk``. Nothing else may live here."""
