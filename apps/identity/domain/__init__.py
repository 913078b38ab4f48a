"""The identity domain: the User aggregate (people and API clients), plain Python."""
