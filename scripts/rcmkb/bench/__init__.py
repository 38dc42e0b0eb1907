"""`rcmkb bench`: scale, speed and page weight of the site, side by side with stock MkDocs."""
