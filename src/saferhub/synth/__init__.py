"""The synthetic partnership: seeded, calibrated to the published Barnet figures, any scale."""
