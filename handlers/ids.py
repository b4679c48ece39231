"""Every action_id, callback_id and block_id Liaison uses, in one place (Slack routes by these strings)."""

from __future__ import annotations

# Minutes
MINUTES_MODAL = "minutes_modal"  # callback_id: create (private_metadata carries project and M-n when editing)
MINUTES_CONFIRM = "minutes_confirm"  # action_id: client's Confirm button (value: minutes id + hash)
MINUTES_REQUEST_CHANGES = "minutes_request_changes"  # action_id: opens the comment modal
MINUTES_CHANGES_MODAL = "minutes_changes_modal"  # callback_id
MINUTES_UNDO_DELETE = "minutes_undo_delete"  # action_id
MINUTES_OPEN_MODAL = "minutes_open_modal"  # action_id: "start the minutes" button on sync reminders
MINUTES_EDIT = "minutes_edit"  # action_id: Edit M-n when the client asked for changes (value: minutes id)

# Action items
ACTION_DONE = "action_done"  # action_id: a client marks their own item done
ACTION_OWNER_DONE = "action_owner_done"  # action_id: Mark done on the client channel's item (value: item id)
ACTION_MORE_TIME = "action_more_time"  # action_id: Need more time, opens ACTION_MORE_TIME_MODAL
ACTION_MORE_TIME_MODAL = "action_more_time_modal"  # callback_id (metadata: item, channel, message ts)
ACTION_NEW_DATE = "action_new_date"  # block_id and action_id of the form's datepicker
ACTION_REASON = "action_reason"  # block_id and action_id of the form's reason
ACTION_CLIENT_BUTTONS = "action_client_buttons"  # block_id: Mark done / Need more time

# Risks
RISK_MODAL = "risk_modal"  # callback_id

# Check-ins
CHECKIN_OPEN = "checkin_open"  # action_id
CHECKIN_MODAL = "checkin_modal"  # callback_id

# Risks: the new-risk form (block_id == action_id for each input) and the list's Details button
RISK_TITLE = "risk_title"
RISK_P = "risk_p"
RISK_I = "risk_i"
RISK_OWNER = "risk_owner"
RISK_DUE = "risk_due"
RISK_STRATEGY = "risk_strategy"
RISK_RESPONSE = "risk_response"
RISK_SHARE = "risk_share"
RISK_SHOW = "risk_show"  # action_id: value is the risk's reference

# Minutes form fields (block_id; each input's action_id is the same string)
MINUTES_TITLE = "minutes_title"
MINUTES_DATE = "minutes_date"
MINUTES_ATTENDEES = "minutes_attendees"
MINUTES_CLIENT_ATTENDEES = "minutes_client_attendees"
MINUTES_NOTES = "minutes_notes"
MINUTES_DECISIONS = "minutes_decisions"
MINUTES_ACTIONS = "minutes_actions"
MINUTES_SHARE = "minutes_share"
MINUTES_CHANGES_COMMENT = "minutes_changes_comment"  # block_id in the Request changes modal

# Minutes messages
MINUTES_CLIENT_BUTTONS = "minutes_client_buttons"  # block_id: Confirm / Request changes
ACTION_ITEM_BLOCK = "action_item_"  # block_id prefix: one section per action item, + its id

# Decisions
DECISION_UNDO_DELETE = "decision_undo_delete"  # action_id: value is the decision's id
REQUIREMENT_UNDO_DELETE = "requirement_undo_delete"  # action_id: value is the requirement's id
LESSON_UNDO_DELETE = "lesson_undo_delete"  # action_id: value is the lesson's id

# Sign-offs (the client's word): button values are "<sign-off id>:<sha256 of the text shown>"
SIGNOFF_APPROVE = "signoff_approve"  # action_id
SIGNOFF_REMARKS = "signoff_remarks"  # action_id: opens the remarks modal
SIGNOFF_REJECT = "signoff_reject"  # action_id: opens the reason modal
SIGNOFF_MODAL = "signoff_modal"  # callback_id (private_metadata: sign-off id, hash, outcome, channel)
SIGNOFF_TEXT = "signoff_text"  # block_id and action_id of the modal's text input
SIGNOFF_BUTTONS = "signoff_buttons"  # block_id

# Change requests: the new-change form (block_id == action_id for each input)
CHANGE_MODAL = "change_modal"  # callback_id (private_metadata: channel, project, lang)
CHANGE_TITLE = "change_title"
CHANGE_WHY = "change_why"
CHANGE_DAYS = "change_days"
CHANGE_HOURS = "change_hours"
CHANGE_COST = "change_cost"
CHANGE_AFFECTS = "change_affects"
CHANGE_SHARE = "change_share"

# Satisfaction pulses: score buttons (action_id prefix + 1..5, value "<pulse id>:<score>") and the comment form
PULSE_SCORE = "pulse_score_"  # action_id prefix
PULSE_COMMENT = "pulse_comment"  # action_id: opens the comment modal (value: pulse id)
PULSE_BUTTONS = "pulse_buttons"  # block_id
PULSE_MODAL = "pulse_modal"  # callback_id (private_metadata: pulse id, channel, lang)
PULSE_MODAL_SCORE = "pulse_modal_score"  # block_id and action_id of the modal's score select
PULSE_MODAL_COMMENT = "pulse_modal_comment"  # block_id and action_id of the modal's comment input

# Issues (I-n) and the client channel's panel
PANEL_RAISE = "panel_raise"  # action_id: opens the issue form (value "issue")
PANEL_ASK = "panel_ask"  # action_id: opens the same form for a question
PANEL_WAITING = "panel_waiting"  # action_id: a private list of what waits for the clicker
ISSUE_MODAL = "issue_modal"  # callback_id (private_metadata: channel, project, lang, kind)
ISSUE_TITLE = "issue_title"  # block_id == action_id for each input
ISSUE_DESCRIPTION = "issue_description"
ISSUE_SEVERITY = "issue_severity"
ISSUE_ASSIGN = "issue_assign"  # action_id of the users menu on the team's announcement
ISSUE_ASSIGN_BLOCK = "issue_assign_"  # block_id prefix + the issue's id
ISSUE_SHOW = "issue_show"  # action_id: value is the issue's reference (I-3)
ISSUE_FROM_BLOCKER = "issue_from_blocker"  # action_id: value is the check-in answer's id

# Lessons learned: the closing DM's button (value: project id) and its form
LESSON_FORM_OPEN = "lesson_form_open"  # action_id
LESSON_MODAL = "lesson_modal"  # callback_id (private_metadata: project, channel, lang)
LESSON_WENT_WELL = "lesson_went_well"  # block_id == action_id of each multiline input
LESSON_TO_IMPROVE = "lesson_to_improve"

# Review before the client: the team's preview (value: the preview's id) and the note form
REVIEW_BUTTONS = "review_buttons"  # block_id
REVIEW_SEND = "review_send"  # action_id
REVIEW_NOTE = "review_note"  # action_id: opens the note form
REVIEW_SKIP = "review_skip"  # action_id
REVIEW_NOTE_MODAL = "review_note_modal"  # callback_id (private_metadata: preview id, channel, lang)
REVIEW_NOTE_INPUT = "review_note_input"  # block_id == action_id of the note's input
