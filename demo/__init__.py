"""The bundled demo portal: a generated, fictional 市级 government site (滇中市人民政府) with seeded defects,
served on local sockets, and a manifest listing every defect so that govmon's findings can be checked exactly.

portal generates the site and the manifest, server serves it (with a stand-in external site and a closed port),
media the portal's new-media accounts (政务新媒体: their page, mirrors, registry entries and verdicts), routes
holds the URLs with special behaviour that both share.
"""
