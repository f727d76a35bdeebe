"""The office calendar (日程): meetings, the duty roster, receptions, room bookings and vehicle
dispatches by month, week and day — each entity's place on it declared in `register(...,
calendar=CalendarSpec(...))`; `events` reads and moves them, `screens` serves the page."""
