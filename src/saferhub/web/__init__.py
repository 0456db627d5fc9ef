"""SaferHub's Django web application."""
