"""Reading the store for people: lists, the day's figures, reports and exports. Never writes."""
