"""The shop's catalogue: what must be set up before a first send, kept without SQL.

- `artwork_files`: a print image or a template with its assets, checked and hashed, made ready to
  copy into the library (pure file work: no database).
- `artwork_library`: the artwork library in the data directory (add, list with usage counts).
- `vendor_catalog`: the vendors' catalogues (products, providers, variants), cached in the DB.
- `mappings`, `mapping_plan`, `unmapped`, `mapping_csv`: product mappings: check, save and apply;
  plan variants with suggestions; what no mapping covers; CSV export and import.
- `editor`: what the Catalogue screen and its mapping editor ask for.
"""
