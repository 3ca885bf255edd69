"""The programmes around the helpline (issue 13): sessions, sign-ups, reminders."""
