"""The bureau's pages (区经信局), the agencies' re-check pages, and the public certificate check."""
