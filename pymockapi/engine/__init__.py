"""Sessions running stories on a clock: timers, goto/rewind, pause, events."""
