"""HL7 FHIR R4B exchange: registry records as one Bundle of type ``collection``.

``codes`` holds the code systems, ``mappers`` turns records into resources and
``bundle`` assembles the Bundle and validates it (fhir.resources, then our own
code-system and reference checks).
"""
