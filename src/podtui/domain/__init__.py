"""Pure rules and entities: imports nothing from services, adapters, screens or textual."""
