"""The bundled demo portal: a generated government site with seeded, listed defects."""
