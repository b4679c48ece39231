"""Use cases: validate typed input, apply the policy, call repositories, write the audit log.

Nothing here talks to Slack; everything raises UsageError for the user's mistakes.
"""
