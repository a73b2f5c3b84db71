"""sanctions-stance: label each country's stance on sanctions in news articles."""

LABELS = ("supportive", "reluctant", "opposed", "none")
STANCES = ("supportive", "reluctant", "opposed")
