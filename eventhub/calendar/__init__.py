"""Calendar feeds: the site's, each event's and each person's own, in iCalendar."""
