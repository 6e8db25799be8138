"""Follow-up rules that write nothing: the tier policy, calling hours and due times, default rows."""
