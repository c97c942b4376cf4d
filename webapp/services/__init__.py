"""State-changing operations the views call. Each service owns its transaction."""
