"""The one timestamp written into file metadata, so identical input gives identical bytes.

Naive on purpose: Excel and Word core properties are naive UTC.
"""

from datetime import datetime

FIXED_TIMESTAMP = datetime(2000, 1, 1)
