"""Stories: the DSL users write, their discovery on disk, and their compilation."""
