"""SaferHub's database backends: Django's own, with the hardening SaferHub needs."""
