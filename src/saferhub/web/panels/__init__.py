"""The multi-agency panel engine: referrals, meetings, research, actions and statistics."""
