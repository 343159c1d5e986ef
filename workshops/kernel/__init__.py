"""What every package of the platform may use and which uses nothing of ours: today, the clock."""
