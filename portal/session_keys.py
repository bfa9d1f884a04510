"""What the session cookie holds that more than one blueprint reads, under which key."""

#: The eligibility checker's answers, carried into a registration ("Ask to join now").
ELIGIBILITY_ANSWERS = "eligibility_answers"
