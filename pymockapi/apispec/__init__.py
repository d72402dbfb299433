"""API descriptions (OpenAPI 3.x, Swagger 2.0) as another way to declare a story's endpoints.

The flow: :mod:`.loader` reads and validates a description into the
:mod:`.model`; :mod:`.binder` maps its schemas to the industry's record
types and fields by meaning, once per story; :mod:`.synth` builds a body
valid against a schema from a :class:`.model.Source` (the bound world);
:mod:`.checks` refuses requests the description does not allow.
"""
