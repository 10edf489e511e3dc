"""Campaigns: marketing staff write, segment, schedule and send mail to a list."""
